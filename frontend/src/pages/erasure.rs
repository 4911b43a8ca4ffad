//! The right to erasure on screen: "delete my account" on the account page (asks first,
//! no JavaScript) and the admins' list of pending requests at `/beheer/verwijderverzoeken`
//! (confirm, or refuse with a reason). Plain POST forms that come back with `?ok=`/`?fout=`.

use crate::api;
use crate::components::text::PageTitle;
use crate::i18n::{t, use_lang, T};
use crate::pages::not_found::set_status;
use leenpunt_shared::privacy::{Blocker, ErasureRequest, MyErasureRequest};
use leenpunt_shared::Lang;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A stored UTC instant as the Brussels date and time people read.
fn local_time(rfc3339: &str, lang: Lang) -> String {
    match leenpunt_shared::time::brussels_local(rfc3339) {
        Some((day, time)) => format!("{} {time}", leenpunt_shared::labels::human_date(&day, lang)),
        None => rfc3339.to_owned(),
    }
}

/// What still blocks an erasure, in words, with where it is dealt with.
fn blocker_line(b: &Blocker, lang: Lang) -> String {
    let day = |d: &str| leenpunt_shared::labels::human_date(d, lang);
    match b {
        Blocker::OpenLoan {
            reservation,
            kit,
            day: d,
        } => format!(
            "{} {reservation} ({kit}): {} {}",
            T::ErasureReservation.get(lang),
            T::ErasureOnLoanUntil.get(lang),
            day(d)
        ),
        Blocker::UpcomingReservation {
            reservation,
            kit,
            day: d,
        } => format!(
            "{} {reservation} ({kit}): {} {}",
            T::ErasureReservation.get(lang),
            T::ErasureNotPickedUp.get(lang),
            day(d)
        ),
        Blocker::Waiting { kit, day: d } => {
            format!("{} {kit}, {}", T::ErasureWaiting.get(lang), day(d))
        }
        Blocker::UpcomingSession {
            training, day: d, ..
        } => format!(
            "{} {training}, {}",
            T::ErasureSession.get(lang),
            local_time(d, lang)
        ),
    }
}

/// The account page's part: ask to delete the account, or see the request's state.
#[component]
pub fn DeleteAccount() -> impl IntoView {
    let asked = use_query_map().get_untracked().get("verzoek").is_some();
    let screen = Resource::new(|| (), |_| api::erasure_screen());
    view! {
        <section class="delete-account" aria-labelledby="delete-account-title">
            <h2 id="delete-account-title">{t(T::ErasureTitle)}</h2>
            {asked.then(|| view! { <p class="notice" role="status" id="erasure-asked">{t(T::ErasureAsked)}</p> })}
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let mine = screen.await.ok().and_then(|s| s.mine);
                    state(mine)
                })}
            </Suspense>
        </section>
    }
}

fn state(mine: Option<MyErasureRequest>) -> impl IntoView {
    let lang = use_lang();
    match mine {
        Some(r) if r.outcome.is_none() => EitherOf3::A(view! {
            <p class="erasure-pending">{format!("{} {}.", t(T::ErasurePending), local_time(&r.requested_at, lang))}</p>
        }),
        Some(r) if r.outcome.as_deref() == Some("refused") => EitherOf3::B(view! {
            <p class="erasure-refused">{format!("{} {}", t(T::ErasureRefused), r.reason)}</p>
            {ask_form()}
        }),
        _ => EitherOf3::C(ask_form()),
    }
}

/// "Delete my account": the button opens the question (no JavaScript), which says what
/// happens before the request is sent.
fn ask_form() -> impl IntoView {
    view! {
        <p class="hint">{t(T::ErasureHint)}</p>
        <details class="confirm-erase">
            <summary class="button secondary">{t(T::ErasureButton)}</summary>
            <div class="confirm-panel">
                <p>{t(T::ErasureQuestion)}</p>
                <form method="post" action="/mijn-account/verwijderen" class="inline">
                    <button type="submit" class="button danger confirm-erase-button">{t(T::ErasureConfirm)}</button>
                </form>
            </div>
        </details>
    }
}

fn request_item(r: ErasureRequest, lang: Lang) -> impl IntoView {
    let confirm = format!("/beheer/verwijderverzoeken/{}/bevestigen", r.id);
    let refuse = format!("/beheer/verwijderverzoeken/{}/weigeren", r.id);
    let reason_id = format!("erasure-reason-{}", r.id);
    let blocked = !r.blockers.is_empty();
    let blockers: Vec<String> = r.blockers.iter().map(|b| blocker_line(b, lang)).collect();
    view! {
        <li class="erasure-request" data-request=r.id>
            <p>
                <strong class="erasure-name">{r.name.clone()}</strong>
                {format!(" · {} · {} {}", r.email, t(T::ErasureAskedOn), local_time(&r.requested_at, lang))}
            </p>
            {blocked.then(|| view! {
                <div class="erasure-blockers">
                    <p>{t(T::ErasureBlockedIntro)}</p>
                    <ul>{blockers.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul>
                    <p class="hint">{t(T::ErasureBlockedHint)}</p>
                </div>
            })}
            <details class="confirm-erase">
                <summary class="button danger">{t(T::ErasureDoIt)}</summary>
                <div class="confirm-panel">
                    <p>{t(T::ErasureDoItQuestion)}</p>
                    <form method="post" action=confirm class="inline">
                        <button type="submit" class="button danger confirm-erase-button">{t(T::ErasureDoItConfirm)}</button>
                    </form>
                </div>
            </details>
            <form method="post" action=refuse class="erasure-refuse">
                <label for=reason_id.clone()>{t(T::ErasureRefuseReason)}</label>
                <input id=reason_id name="reason" required=true maxlength="1000"/>
                <button type="submit" class="button secondary">{t(T::ErasureRefuse)}</button>
            </form>
        </li>
    }
}

/// `/beheer/verwijderverzoeken`: pending requests (admins), oldest first.
#[component]
pub fn ErasureRequests() -> impl IntoView {
    let lang = use_lang();
    let params = use_query_map().get_untracked();
    let ok = params.get("ok");
    let error = params.get("fout");
    let screen = Resource::new(|| (), |_| api::erasure_screen());
    let user = use_context::<crate::CurrentUser>().unwrap_or_default();
    view! {
        <PageTitle text=t(T::ErasureAdminTitle)/>
        <section class="admin-page erasure-page">
            <h1>{t(T::ErasureAdminTitle)}</h1>
            {ok.map(|what| {
                let text = if what == "geweigerd" { T::ErasureRefusedDone } else { T::ErasureDone };
                view! { <p class="notice" role="status" id="erasure-outcome">{t(text)}</p> }
            })}
            {error.map(|message| view! { <p class="error" role="alert" id="erasure-error">{message}</p> })}
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || {
                    let admin = user.admin;
                    Suspend::new(async move {
                        match screen.await {
                            Err(p) => {
                                set_status(p.status);
                                Either::Right(view! { <p class="error" role="alert">{t(if p.status == 401 { T::SignInFirst } else { T::NotAllowed })}</p> })
                            }
                            Ok(_) if !admin => {
                                set_status(403);
                                Either::Right(view! { <p class="error" role="alert">{t(T::NotAllowed)}</p> })
                            }
                            Ok(s) if s.pending.is_empty() => Either::Left(Either::Left(view! {
                                <p class="hint">{t(T::ErasureAdminIntro)}</p>
                                <p class="empty">{t(T::ErasureNone)}</p>
                            })),
                            Ok(s) => Either::Left(Either::Right(view! {
                                <p class="hint">{t(T::ErasureAdminIntro)}</p>
                                <ul class="erasure-requests">
                                    {s.pending.into_iter().map(|r| request_item(r, lang)).collect_view()}
                                </ul>
                            })),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
