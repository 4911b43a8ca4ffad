//! Trainings: upcoming sessions with one-click registration, a session's page (with the
//! trainer's roster, made for a phone), one's own trainings and colleagues', and the
//! management page. Plain form posts, server-rendered (no wasm).

use crate::api;
use crate::components::text::PageTitle;
use crate::i18n::{t, use_lang, T};
use crate::pages::not_found::problem_notice;
use leenpunt_shared::labels::human_date;
use leenpunt_shared::{Lang, Qualification, TrainingSession};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The `?ok=` / `?fout=` outcome of a form post, as a notice.
#[component]
fn Outcome() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let ok = query.get("ok").map(|code| match code.as_str() {
        "ingeschreven" => t(T::RegisteredNotice),
        "wachtlijst" => t(T::WaitingListNotice),
        "uitgeschreven" => t(T::UnregisteredNotice),
        "aanwezigheden" => t(T::AttendanceSaved),
        "walk-in" => t(T::WalkInAdded),
        "gepland" => t(T::SessionPlanned),
        "afgelast" => t(T::SessionCalledOff),
        _ => t(T::Saved),
    });
    let error = query.get("fout");
    view! {
        {ok.map(|m| view! { <p class="notice" role="status" id="outcome">{m}</p> })}
        {error.map(|e| view! { <p class="error" role="alert" id="outcome-error">{e}</p> })}
    }
}

fn when(s: &TrainingSession, lang: Lang) -> String {
    format!(
        "{}, {}–{}",
        human_date(&s.day, lang),
        s.start_time,
        s.end_time
    )
}

fn seats(s: &TrainingSession, lang: Lang) -> String {
    let free = s.capacity.saturating_sub(s.registered);
    match (lang, free) {
        (Lang::Nl, 0) => format!("Volzet ({} op de wachtlijst)", s.waiting),
        (Lang::En, 0) => format!("Full ({} waiting)", s.waiting),
        (Lang::Nl, 1) => "Nog 1 plaats".to_owned(),
        (Lang::En, 1) => "1 seat left".to_owned(),
        (Lang::Nl, n) => format!("Nog {n} plaatsen"),
        (Lang::En, n) => format!("{n} seats left"),
    }
}

fn my_status(s: &TrainingSession) -> Option<&'static str> {
    match s.my_status.as_deref() {
        Some("ingeschreven") if s.my_attended => Some("attended"),
        Some("ingeschreven") => Some("registered"),
        Some("wachtlijst") => Some("waiting"),
        _ => None,
    }
}

fn status_text(code: &str) -> impl IntoView {
    match code {
        "attended" => t(T::Attended),
        "registered" => t(T::YouAreRegistered),
        _ => t(T::YouAreWaiting),
    }
}

/// The register / cancel button of a session, as a form post returning to `next`.
#[component]
pub fn RegisterButton(session: TrainingSession, next: String) -> impl IntoView {
    let id = session.id;
    match my_status(&session) {
        None => Either::Left(view! {
            <form method="post" action=format!("/opleidingen/sessies/{id}/inschrijven") class="inline">
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button primary register" data-session=id>
                    {if session.registered >= session.capacity { t(T::JoinSessionWaitingList) } else { t(T::RegisterForSession) }}
                </button>
            </form>
        }),
        Some("attended") => Either::Right(None),
        Some(_) => Either::Right(Some(view! {
            <form method="post" action=format!("/opleidingen/sessies/{id}/uitschrijven") class="inline">
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="button secondary unregister" data-session=id>{t(T::CancelRegistration)}</button>
            </form>
        })),
    }
}

/// A list of sessions as cards.
#[component]
fn SessionList(sessions: Vec<TrainingSession>, can_register: bool, next: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="sessions">
            {sessions.into_iter().map(|s| {
                let status = my_status(&s);
                let next = next.clone();
                view! {
                    <li class="session-card" data-session=s.id>
                        <h3><a href=format!("/opleidingen/sessies/{}", s.id)>{s.training_title.clone()}</a></h3>
                        <p class="when">{when(&s, lang)}</p>
                        <p class="place">{s.place.clone()}</p>
                        <p class="seats">{seats(&s, lang)}</p>
                        {s.cancelled.then(|| view! { <p class="warning">{t(T::SessionCancelled)}</p> })}
                        {status.map(|code| view! { <p class="my-status" data-status=code>{status_text(code)}</p> })}
                        {(can_register && !s.cancelled).then(|| view! { <RegisterButton session=s.clone() next=next/> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// `/opleidingen`: upcoming sessions, optionally of one training.
#[component]
pub fn Sessions() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let training = query.get("opleiding").filter(|s| !s.is_empty());
    let next = match &training {
        Some(slug) => format!("/opleidingen?opleiding={slug}"),
        None => "/opleidingen".to_owned(),
    };
    let screen = Resource::new(
        move || (),
        move |_| api::training_sessions(training.clone()),
    );
    view! {
        <PageTitle text=t(T::TrainingsTitle)/>
        <section class="trainings-page">
            <h1>{t(T::TrainingsTitle)}</h1>
            <p class="hint">{t(T::TrainingsIntro)}</p>
            <Outcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || {
                    let next = next.clone();
                    Suspend::new(async move {
                        match screen.await {
                            Ok(s) => Either::Left(view! {
                                <form method="get" action="/opleidingen" class="training-filter">
                                    <label for="training-filter">{t(T::TrainingLabel)}</label>
                                    <select id="training-filter" name="opleiding">
                                        <option value="">{t(T::AllTrainings)}</option>
                                        {s.trainings.iter().map(|tr| view! { <option value=tr.slug.clone()>{tr.title.clone()}</option> }).collect_view()}
                                    </select>
                                    <button type="submit" class="button secondary">{t(T::Apply)}</button>
                                </form>
                                {if s.sessions.is_empty() {
                                    Either::Left(view! { <p class="empty">{t(T::NoSessions)}</p> })
                                } else {
                                    Either::Right(view! { <SessionList sessions=s.sessions can_register=s.can_register next=next/> })
                                }}
                            }),
                            Err(p) => Either::Right(problem_notice(p, T::SessionNotFound, T::NotAllowed)),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// `/opleidingen/sessies/:id`: a session, registration, and the trainer's roster.
#[component]
pub fn SessionPage() -> impl IntoView {
    let lang = use_lang();
    let id: i64 = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let screen = Resource::new(move || id, api::training_session);
    view! {
        <PageTitle text=t(T::TrainingsTitle)/>
        <section class="session-page">
            <Outcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left({
                            let session = s.session.clone();
                            let status = my_status(&session);
                            view! {
                                <h1>{session.training_title.clone()}</h1>
                                <dl class="session-facts">
                                    <dt>{t(T::WhenLabel)}</dt><dd class="when">{when(&session, lang)}</dd>
                                    <dt>{t(T::PlaceLabel)}</dt><dd>{session.place.clone()}</dd>
                                    <dt>{t(T::SeatsLabel)}</dt><dd class="seats">{seats(&session, lang)}</dd>
                                    <dt>{t(T::TrainersLabel)}</dt><dd>{session.trainers.join(", ")}</dd>
                                    <dt>{t(T::PartnerLabel)}</dt><dd>{session.partner.clone()}</dd>
                                </dl>
                                {session.cancelled.then(|| view! { <p class="warning">{t(T::SessionCancelled)}</p> })}
                                {status.map(|code| view! { <p class="my-status" data-status=code>{status_text(code)}</p> })}
                                {(s.can_register && !session.cancelled && (s.open || status.is_some()) && !s.started).then(|| view! {
                                    <RegisterButton session=session.clone() next=format!("/opleidingen/sessies/{}", session.id)/>
                                })}
                                {(s.can_register && !s.open && status.is_none() && !s.started).then(|| view! { <p class="hint">{t(T::RegistrationClosedHint)}</p> })}
                                {s.can_call_off.then(|| view! {
                                    <form method="post" action=format!("/opleidingen/sessies/{}/afgelasten", session.id) class="inline">
                                        <button type="submit" class="button secondary call-off">{t(T::CallOffSession)}</button>
                                    </form>
                                })}
                                {s.runs.then(|| view! { <Roster session=session.clone() roster=s.roster.clone() started=s.started/> })}
                            }
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::SessionNotFound, T::NotAllowed)),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The trainer's list: a big checkbox per person and "all present"; walk-ins below. With
/// the roster script each tick is saved as it is made (and kept on the device until it is);
/// without it the save button posts the whole list.
#[component]
fn Roster(
    session: TrainingSession,
    roster: Vec<leenpunt_shared::RosterEntry>,
    started: bool,
) -> impl IntoView {
    let id = session.id;
    let (seated, others): (Vec<_>, Vec<_>) =
        roster.into_iter().partition(|r| r.status == "ingeschreven");
    let waiting: Vec<_> = others
        .into_iter()
        .filter(|r| r.status == "wachtlijst")
        .collect();
    let script = roster_script();
    view! {
        <section
            class="roster"
            aria-labelledby="roster-title"
            data-session=id
            data-saving=t(T::TickSaving)
            data-saved=t(T::TickSaved)
            data-offline=t(T::TickWaiting)
            data-sign-in=t(T::TickSignIn)
            data-refused=t(T::TickRefused)
        >
            <h2 id="roster-title">{t(T::RosterTitle)}</h2>
            {(!started).then(|| view! { <p class="hint">{t(T::AttendanceFromStart)}</p> })}
            <form method="post" action=format!("/opleidingen/sessies/{id}/aanwezigheden") class="attendance">
                <ul class="roster-list">
                    {seated.into_iter().map(|r| {
                        let input_id = format!("present-{}", r.registration);
                        view! {
                            <li data-registration=r.registration>
                                <input type="checkbox" id=input_id.clone() name="present" value=r.registration.to_string() checked=r.attended disabled=!started/>
                                <label for=input_id>
                                    <span class="name">{r.name.clone()}</span>
                                    <span class="school">{r.schools.clone()}</span>
                                    {r.walk_in.then(|| view! { <span class="badge">{t(T::WalkIn)}</span> })}
                                </label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p class="attendance-actions">
                    <button type="submit" name="all" value="1" class="button secondary all-present" disabled=!started aria-disabled=(!started).to_string()>{t(T::AllPresent)}</button>
                    " "
                    <button type="submit" class="button primary save-attendance" disabled=!started aria-disabled=(!started).to_string()>{t(T::SaveAttendance)}</button>
                </p>
                <p class="save-state" role="status" hidden=true></p>
            </form>
            {(!waiting.is_empty()).then(|| view! {
                <h3>{t(T::WaitingListTitle)}</h3>
                <ol class="waiting">{waiting.into_iter().map(|r| view! { <li>{r.name.clone()}</li> }).collect_view()}</ol>
            })}
            {started.then(|| view! {
                <form method="post" action=format!("/opleidingen/sessies/{id}/walk-in") class="walk-in">
                    <label for="walk-in-email">{t(T::WalkInLabel)}</label>
                    <input id="walk-in-email" type="email" name="email" required=true autocomplete="off"/>
                    <button type="submit" class="button secondary">{t(T::AddWalkIn)}</button>
                </form>
            })}
            {(!script.is_empty()).then(|| view! { <script type="module" src=script></script> })}
        </section>
    }
}

/// Where the roster script is (server render only; the page has no island).
fn roster_script() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::ssr::AssetManifest>()
            .map(|m| m.roster)
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

fn state_text(state: &str) -> impl IntoView {
    match state {
        "geldig" => t(T::QualificationValid),
        "verlopen" => t(T::QualificationExpired),
        _ => t(T::QualificationRevoked),
    }
}

fn validity(q: &Qualification, lang: Lang) -> String {
    match &q.valid_until {
        Some(until) => format!("{} {}", T::ValidUntil.get(lang), human_date(until, lang)),
        None => T::ValidForever.get(lang).to_owned(),
    }
}

/// A table of qualifications (with the holder's name when `names`).
#[component]
fn QualificationTable(
    list: Vec<Qualification>,
    names: bool,
    #[prop(optional)] revoke: bool,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="qualifications" tabindex="0">
            <thead><tr>
                {names.then(|| view! { <th scope="col">{t(T::PersonLabel)}</th> })}
                <th scope="col">{t(T::TrainingLabel)}</th>
                <th scope="col">{t(T::SinceLabel)}</th>
                <th scope="col">{t(T::ValidityLabel)}</th>
                <th scope="col">{t(T::StateLabel)}</th>
                {revoke.then(|| view! { <th scope="col"><span class="visually-hidden">{t(T::Revoke)}</span></th> })}
            </tr></thead>
            <tbody>
                {list.into_iter().map(|q| view! {
                    <tr data-qualification=q.id data-state=q.state.clone()>
                        {names.then(|| view! { <td>{q.user_name.clone()}</td> })}
                        <td>{q.training_title.clone()}</td>
                        <td>{human_date(&q.granted_on, lang)}</td>
                        <td>{validity(&q, lang)}</td>
                        <td>{state_text(&q.state)}{q.revoke_reason.clone().map(|r| format!(" — {r}"))}</td>
                        {revoke.then(|| (q.state != "ingetrokken").then(|| view! {
                            <td>
                                <form method="post" action=format!("/kwalificaties/{}/intrekken", q.id) class="revoke">
                                    <label class="visually-hidden" for=format!("revoke-{}", q.id)>{t(T::Reason)}</label>
                                    <input id=format!("revoke-{}", q.id) name="reason" required=true placeholder=T::Reason.get(lang)/>
                                    <button type="submit" class="button secondary">{t(T::Revoke)}</button>
                                </form>
                            </td>
                        }))}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// `/mijn-opleidingen`: qualifications, sessions, sessions one trains, colleagues.
#[component]
pub fn MyTrainings() -> impl IntoView {
    let screen = Resource::new(|| (), |_| api::my_trainings());
    view! {
        <PageTitle text=t(T::MyTrainingsTitle)/>
        <section class="my-trainings-page">
            <h1>{t(T::MyTrainingsTitle)}</h1>
            <Outcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left(view! {
                            <h2>{t(T::MyQualifications)}</h2>
                            {if s.qualifications.is_empty() {
                                Either::Left(view! { <p class="empty">{t(T::NoQualifications)}</p> })
                            } else {
                                Either::Right(view! { <QualificationTable list=s.qualifications names=false/> })
                            }}
                            <p><a href="/opleidingen" class="button secondary">{t(T::FindASession)}</a></p>
                            <h2>{t(T::MySessions)}</h2>
                            {if s.sessions.is_empty() {
                                Either::Left(view! { <p class="empty">{t(T::NoMySessions)}</p> })
                            } else {
                                Either::Right(view! { <SessionList sessions=s.sessions can_register=true next="/mijn-opleidingen".to_owned()/> })
                            }}
                            {(!s.trains.is_empty()).then(|| view! {
                                <h2>{t(T::SessionsITrain)}</h2>
                                <SessionList sessions=s.trains can_register=false next=String::new()/>
                            })}
                            {s.colleagues.into_iter().map(|(school, list)| view! {
                                <h2>{format!("{} — {school}", T::Colleagues.get(use_lang()))}</h2>
                                {if list.is_empty() {
                                    Either::Left(view! { <p class="empty">{t(T::NoColleagueQualifications)}</p> })
                                } else {
                                    Either::Right(view! { <QualificationTable list=list names=true/> })
                                }}
                            }).collect_view()}
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::SessionNotFound, T::NotAllowed)),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/beheer/opleidingen`: plan sessions, define trainings, grant and revoke.
#[component]
pub fn TrainingsAdmin() -> impl IntoView {
    let screen = Resource::new(|| (), |_| api::trainings_admin());
    view! {
        <PageTitle text=t(T::TrainingsAdminTitle)/>
        <section class="trainings-admin-page">
            <h1>{t(T::TrainingsAdminTitle)}</h1>
            <Outcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left(view! {
                            <h2>{t(T::PlanSession)}</h2>
                            <form method="post" action="/opleidingen/sessies" class="plan-session">
                                <p><label for="plan-training">{t(T::TrainingLabel)}</label>
                                <select id="plan-training" name="training" required=true>
                                    {s.trainings.iter().map(|tr| view! { <option value=tr.slug.clone()>{format!("{} ({})", tr.title, tr.partner)}</option> }).collect_view()}
                                </select></p>
                                <p><label for="plan-day">{t(T::DayLabel)}</label><input id="plan-day" type="date" name="day" required=true/></p>
                                <p><label for="plan-start">{t(T::StartLabel)}</label><input id="plan-start" type="time" name="start_time" required=true/></p>
                                <p><label for="plan-end">{t(T::EndLabel)}</label><input id="plan-end" type="time" name="end_time" required=true/></p>
                                <p><label for="plan-place">{t(T::PlaceLabel)}</label><input id="plan-place" name="place" required=true maxlength="300"/></p>
                                <p><label for="plan-capacity">{t(T::SeatsLabel)}</label><input id="plan-capacity" type="number" min="1" max="1000" name="capacity" required=true/></p>
                                <p><label for="plan-closes">{t(T::RegistrationClosesLabel)}</label><input id="plan-closes" type="date" name="registration_closes"/></p>
                                <p><label for="plan-trainers">{t(T::TrainersEmailLabel)}</label><input id="plan-trainers" name="trainers"/></p>
                                <button type="submit" class="button primary">{t(T::PlanSession)}</button>
                            </form>
                            <h2>{t(T::SessionsTitle)}</h2>
                            {if s.sessions.is_empty() {
                                Either::Left(view! { <p class="empty">{t(T::NoSessions)}</p> })
                            } else {
                                Either::Right(view! { <SessionList sessions=s.sessions can_register=false next=String::new()/> })
                            }}
                            <h2>{t(T::GrantTitle)}</h2>
                            <form method="post" action="/kwalificaties" class="grant">
                                <p><label for="grant-email">{t(T::EmailLabel)}</label><input id="grant-email" type="email" name="email" required=true/></p>
                                <p><label for="grant-training">{t(T::TrainingLabel)}</label>
                                <select id="grant-training" name="training">
                                    {s.trainings.iter().map(|tr| view! { <option value=tr.slug.clone()>{tr.title.clone()}</option> }).collect_view()}
                                </select></p>
                                <p><label for="grant-on">{t(T::SinceLabel)}</label><input id="grant-on" type="date" name="granted_on"/></p>
                                <p><label for="grant-reason">{t(T::Reason)}</label><input id="grant-reason" name="reason" required=true maxlength="500"/></p>
                                <button type="submit" class="button primary">{t(T::Grant)}</button>
                            </form>
                            <h2>{t(T::QualificationsTitle)}</h2>
                            <QualificationTable list=s.qualifications names=true revoke=true/>
                            <h2>{t(T::NewTrainingTitle)}</h2>
                            <form method="post" action="/opleidingen/types" class="new-training">
                                <p><label for="training-partner">{t(T::PartnerLabel)}</label>
                                <select id="training-partner" name="partner">
                                    {s.partners.iter().map(|(slug, name)| view! { <option value=slug.clone()>{name.clone()}</option> }).collect_view()}
                                </select></p>
                                <p><label for="training-title">{t(T::TitleLabel)}</label><input id="training-title" name="title" required=true maxlength="200"/></p>
                                <p><label for="training-description">{t(T::DescriptionLabel)}</label><textarea id="training-description" name="description" maxlength="5000"></textarea></p>
                                <p><label for="training-duration">{t(T::DurationLabel)}</label><input id="training-duration" type="number" min="1" max="1440" name="duration_minutes" required=true/></p>
                                <p><label for="training-validity">{t(T::ValidityMonthsLabel)}</label><input id="training-validity" type="number" min="1" max="240" name="validity_months"/></p>
                                <button type="submit" class="button primary">{t(T::AddTraining)}</button>
                            </form>
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::SessionNotFound, T::NotAllowed)),
                    }
                })}
            </Suspense>
        </section>
    }
}
