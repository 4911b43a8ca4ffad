//! "My reservations" for teachers and the lending desk's list. Both are server-rendered;
//! their actions are plain form posts (`/reservaties/{id}/{action}`) that come back here
//! with `?ok=` or `?fout=`, so they work without the wasm.

use crate::api;
use crate::components::text::PageTitle;
use crate::i18n::{t, use_lang, T};
use crate::pages::not_found::set_status;
use crate::CurrentUser;
use leenpunt_shared::labels::human_date;
use leenpunt_shared::{Reservation, ReservationStatus};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// The outcome of the last action, from the address.
#[component]
fn Outcome() -> impl IntoView {
    let query = use_query_map();
    let q = query.get_untracked();
    let ok = q.get("ok").map(|action| match action.as_str() {
        "nieuw" => T::OkNew,
        "annuleren" => T::OkCancelled,
        "goedkeuren" => T::OkApproved,
        "weigeren" => T::OkRejected,
        "verlaten" => T::OkLeft,
        "aanvaarden" => T::OkAccepted,
        _ => T::OkExtended,
    });
    let error = q.get("fout");
    view! {
        {ok.map(|k| view! { <p class="notice" role="status" id="outcome">{t(k)}</p> })}
        {error.map(|e| view! { <p class="error" role="alert" id="outcome-error">{e}</p> })}
    }
}

/// Where a form post should come back to: this page, without the last outcome.
fn here() -> String {
    let location = use_location();
    let path = location.pathname.get_untracked();
    let kept: Vec<(String, String)> = use_query_map()
        .get_untracked()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .filter(|(k, _)| !matches!(k.as_ref(), "ok" | "fout" | "id"))
        .collect();
    if kept.is_empty() {
        path
    } else {
        format!(
            "{path}?{}",
            serde_urlencoded::to_string(&kept).unwrap_or_default()
        )
    }
}

#[component]
fn ReservationCard(r: Reservation, desk: bool, back: String) -> impl IntoView {
    let lang = use_lang();
    let id = r.id;
    let status = r.status;
    let cancellable = matches!(
        status,
        ReservationStatus::Offered | ReservationStatus::Requested | ReservationStatus::Confirmed
    );
    let action = move |name: &str| format!("/reservaties/{id}/{name}");
    view! {
        <li class="reservation" data-id=id.0 data-status=status.code()>
            <div class="reservation-head">
                <h2><a href=format!("/catalogus/{}", r.kit_slug)>{format!("{} × {}", r.quantity, r.kit_title)}</a></h2>
                <span class="status-badge" data-status=status.code()>{status.label(lang)}</span>
            </div>
            <dl class="facts">
                <dt>{t(T::PeriodLabel)}</dt>
                <dd>{format!("{} – {}", human_date(&r.pickup_date, lang), human_date(&r.return_date, lang))}</dd>
                <dt>{t(T::PickupPoint)}</dt>
                <dd>{format!("{} ({})", r.pickup_point, r.pickup_point_address)}</dd>
                <dt>{t(T::SchoolLabel)}</dt>
                <dd>{r.school.clone()}</dd>
                {desk.then(|| view! { <dt>{t(T::BorrowerLabel)}</dt><dd>{r.borrower.clone()}</dd> })}
                {r.reason.clone().map(|reason| view! { <dt>{t(T::ReasonGiven)}</dt><dd>{reason}</dd> })}
            </dl>
            {(!r.note.is_empty()).then(|| view! { <p class="note">{r.note.clone()}</p> })}
            {r.at_risk.then(|| view! { <p class="error at-risk">{t(T::AtRisk)}</p> })}
            {(!r.return_notes.is_empty()).then(|| view! {
                <div class="warning return-notes">
                    <p><strong>{t(T::ReturnedShortTitle)}</strong></p>
                    <ul>
                        {r.return_notes.iter().map(|n| {
                            let mut what: Vec<String> = n.missing.iter().map(|m| format!("{}: {} {} {}", m.part, m.counted, T::Of.get(lang), m.expected)).collect();
                            if !n.damage.is_empty() {
                                what.push(format!("{}: {}", T::DamageShort.get(lang), n.damage));
                            }
                            view! { <li data-unit=n.unit.clone()>{format!("{} — {}", n.unit, what.join("; "))}</li> }
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {(!r.waiting_for.is_empty()).then(|| view! {
                <p class="warning conditional">
                    {format!("{}: {}", T::ConditionalOn.get(lang), r.waiting_for.iter().map(|c| format!("{} ({})", c.training, human_date(&c.day, lang))).collect::<Vec<_>>().join(", "))}
                </p>
            })}
            {r.offer_expires_at.as_deref().and_then(leenpunt_shared::time::brussels_local).map(|(day, time)| view! {
                <p class="notice offer">{format!("{} {} {} {time}", t(T::OfferValidUntil), human_date(&day, lang), t(T::At))}</p>
            })}
            <div class="reservation-actions">
                {(desk && matches!(status, ReservationStatus::Confirmed | ReservationStatus::PickedUp)).then(|| view! {
                    <a class="button primary handover" href=format!("/balie/uitgifte/{id}")>
                        {t(if status == ReservationStatus::Confirmed { T::HandOverButton } else { T::TakeBackButton })}
                    </a>
                })}
                {(!desk && status.holds_units()).then(|| view! {
                    <a class="button secondary ics" href=format!("/api/v1/reservations/{id}/ics") download="">{t(T::AddToCalendar)}</a>
                })}
                {(!desk && status == ReservationStatus::Offered).then(|| view! {
                    <form method="post" action=action("aanvaarden") class="inline">
                        <input type="hidden" name="next" value=back.clone()/>
                        <button type="submit" class="button primary accept">{t(T::AcceptButton)}</button>
                    </form>
                })}
                {(desk && status == ReservationStatus::Requested).then(|| view! {
                    <form method="post" action=action("goedkeuren" ) class="inline">
                        <input type="hidden" name="next" value=back.clone()/>
                        <button type="submit" class="button primary approve">{t(T::ApproveButton)}</button>
                    </form>
                    <form method="post" action=action("weigeren") class="inline reject-form">
                        <input type="hidden" name="next" value=back.clone()/>
                        <label for=format!("reject-{id}")>{t(T::ReasonLabel)}</label>
                        <input id=format!("reject-{id}") name="reason" required=true maxlength="500"/>
                        <button type="submit" class="button secondary reject">{t(T::RejectButton)}</button>
                    </form>
                })}
                {(!desk && status.holds_units() && status != ReservationStatus::Offered).then(|| view! {
                    <form method="post" action=action("verlengen") class="inline extend-form">
                        <input type="hidden" name="next" value=back.clone()/>
                        <label for=format!("extend-{id}")>{t(T::NewReturnDate)}</label>
                        <input id=format!("extend-{id}") type="date" name="return_date" required=true min=r.return_date.clone()/>
                        <button type="submit" class="button secondary extend">{t(T::ExtendButton)}</button>
                    </form>
                })}
                {(desk && matches!(status, ReservationStatus::Confirmed | ReservationStatus::Offered)).then(|| view! {
                    <form method="post" action=action("annuleren") class="inline staff-cancel-form">
                        <input type="hidden" name="next" value=back.clone()/>
                        <label for=format!("cancel-{id}")>{t(T::ReasonLabel)}</label>
                        <input id=format!("cancel-{id}") name="reason" required=true maxlength="500"/>
                        <button type="submit" class="button secondary staff-cancel">{t(T::CancelButton)}</button>
                    </form>
                })}
                {(cancellable && !desk).then(|| {
                    // Asks first, without JavaScript: the button opens the question.
                    let units = if r.quantity == 1 { T::CancelFreesOne.get(lang).to_owned() } else { format!("{} {}", r.quantity, T::CancelFreesMany.get(lang)) };
                    view! {
                        <details class="confirm-cancel">
                            <summary class="button secondary cancel">{t(T::CancelButton)}</summary>
                            <div class="confirm-panel">
                                <p>{format!("{} {units}", T::CancelQuestion.get(lang))}</p>
                                <form method="post" action=action("annuleren") class="inline">
                                    <input type="hidden" name="next" value=back.clone()/>
                                    <button type="submit" class="button danger confirm-cancel-button">{t(T::CancelConfirm)}</button>
                                </form>
                            </div>
                        </details>
                    }
                })}
            </div>
        </li>
    }
}

/// Where a reservation stands for its borrower: still to come, with them now, or over.
fn period(status: ReservationStatus) -> usize {
    match status {
        ReservationStatus::Offered
        | ReservationStatus::Requested
        | ReservationStatus::Confirmed => 0,
        ReservationStatus::PickedUp => 1,
        _ => 2,
    }
}

/// A single booking, or the lines of one request (a sent cart's lines at one pickup
/// point) kept together.
enum Block {
    Single(Box<Reservation>),
    Request(i64, Vec<Reservation>),
}

/// Groups the lines of each request where its first line stands; single bookings stay.
fn by_request(items: Vec<Reservation>) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for r in items {
        let Some(id) = r.request_id else {
            blocks.push(Block::Single(Box::new(r)));
            continue;
        };
        match blocks
            .iter_mut()
            .find(|b| matches!(b, Block::Request(other, _) if *other == id))
        {
            Some(Block::Request(_, lines)) => lines.push(r),
            _ => blocks.push(Block::Request(id, vec![r])),
        }
    }
    blocks
}

/// One request: where and when, then each line with its own status and actions. On the
/// desk's list the title leads to the request's hand-over page and names the borrower.
#[component]
fn RequestGroup(
    id: i64,
    lines: Vec<Reservation>,
    back: String,
    #[prop(optional)] desk: bool,
) -> impl IntoView {
    let lang = use_lang();
    let first = lines.first().cloned();
    let title = format!("{} {id}", t(T::CartRequest));
    view! {
        <li class="request" data-request=id>
            <h3 class="request-title">
                {if desk {
                    Either::Left(view! { <a class="request-link" href=format!("/balie/aanvraag/{id}")>{title}</a> })
                } else {
                    Either::Right(title)
                }}
                {first.as_ref().map(|r| format!(" · {} · {} – {} · {} {}", r.pickup_point, human_date(&r.pickup_date, lang), human_date(&r.return_date, lang), lines.len(), t(T::CartRequestLines)))}
                {first.as_ref().filter(|_| desk).map(|r| format!(" · {}, {}", r.borrower, r.school))}
            </h3>
            <ul class="reservations request-lines">
                {lines.into_iter().map(|r| view! { <ReservationCard r desk back=back.clone()/> }.into_any()).collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn ReservationList(
    query: String,
    desk: bool,
    empty: T,
    /// Split into upcoming, running and past (the borrower's own list).
    #[prop(optional)]
    grouped: bool,
) -> impl IntoView {
    let list = Resource::new(move || query.clone(), api::reservations);
    let back = here();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
            {move || {
                let back = back.clone();
                Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => Either::Left(view! { <p class="empty">{t(empty)}</p> }.into_any()),
                        Ok(items) if grouped => Either::Left({
                            let mut groups: [Vec<Reservation>; 3] = Default::default();
                            for r in items {
                                groups[period(r.status)].push(r);
                            }
                            // The most recent past first.
                            groups[2].reverse();
                            let titles = [T::UpcomingTitle, T::RunningTitle, T::PastTitle];
                            let ids = ["upcoming", "running", "past"];
                            groups.into_iter().enumerate().filter(|(_, g)| !g.is_empty()).map(|(i, g)| {
                                let back = back.clone();
                                view! {
                                    <section class="reservation-group" data-group=ids[i] aria-labelledby=format!("group-{}", ids[i])>
                                        <h2 id=format!("group-{}", ids[i])>{format!("{} ({})", t(titles[i]), g.len())}</h2>
                                        <ul class="reservations">
                                            {by_request(g).into_iter().map(|block| match block {
                                                Block::Single(r) => view! { <ReservationCard r=*r desk back=back.clone()/> }.into_any(),
                                                Block::Request(id, lines) => view! { <RequestGroup id lines back=back.clone()/> }.into_any(),
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                }
                            }).collect_view().into_any()
                        }),
                        // The desk's list: a request's lines as one entry (at its first line).
                        Ok(items) => Either::Left(view! {
                            <ul class="reservations">
                                {by_request(items).into_iter().map(|block| match block {
                                    Block::Single(r) => view! { <ReservationCard r=*r desk back=back.clone()/> }.into_any(),
                                    Block::Request(id, lines) => view! { <RequestGroup id lines back=back.clone() desk/> }.into_any(),
                                }).collect_view()}
                            </ul>
                        }.into_any()),
                        Err(p) => Either::Right({
                            // A bad filter in the address is the asker's mistake, not ours.
                            set_status(p.status);
                            let message = match p.errors.first() {
                                Some(e) => format!("{}: {}", e.field, e.message),
                                None if p.status >= 500 => t(T::LoadError).to_owned(),
                                None => p.title,
                            };
                            view! { <p class="error" role="alert">{message}</p> }
                        }),
                    }
                })
            }}
        </Suspense>
    }
}

/// Asks to sign in (or says the page is not for you), with the right status.
#[component]
fn Gate(signed_in: bool) -> impl IntoView {
    set_status(if signed_in { 403 } else { 401 });
    let location = use_location();
    let next = leenpunt_shared::query::encode_component(&location.pathname.get_untracked());
    if signed_in {
        Either::Left(view! { <p class="error" role="alert">{t(T::NotAllowed)}</p> })
    } else {
        Either::Right(view! {
            <p class="notice"><a href=format!("/aanmelden?next={next}") rel="external">{t(T::SignInFirst)}</a></p>
        })
    }
}

/// The person's open waiting-list entries, each with a way out.
#[component]
fn Waitlist() -> impl IntoView {
    let lang = use_lang();
    let entries = Resource::new(|| (), |_| api::waitlist());
    let back = here();
    view! {
        <Suspense>
            {move || {
                let back = back.clone();
                Suspend::new(async move {
                    let waiting: Vec<_> = entries
                        .await
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|e| e.status == "wachtend")
                        .collect();
                    (!waiting.is_empty()).then(|| view! {
                        <section class="waitlist" aria-labelledby="waitlist-title">
                            <h2 id="waitlist-title">{t(T::WaitlistTitle)}</h2>
                            <ul class="reservations">
                                {waiting.into_iter().map(|e| view! {
                                    <li class="reservation waiting" data-id=e.id>
                                        <h3><a href=format!("/catalogus/{}", e.kit_slug)>{format!("{} × {}", e.quantity, e.kit_title)}</a></h3>
                                        <p>{format!("{} – {} · {}", human_date(&e.pickup_date, lang), human_date(&e.return_date, lang), e.pickup_point)}</p>
                                        <form method="post" action=format!("/wachtlijst/{}/verlaten", e.id) class="inline">
                                            <input type="hidden" name="next" value=back.clone()/>
                                            <button type="submit" class="button secondary leave">{t(T::LeaveWaitlist)}</button>
                                        </form>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn MyReservations() -> impl IntoView {
    let user = use_context::<CurrentUser>().unwrap_or_default();
    view! {
        <PageTitle text=t(T::MyReservationsTitle)/>
        <section class="reservations-page">
            <h1>{t(T::MyReservationsTitle)}</h1>
            <Outcome/>
            {if user.name.is_some() {
                Either::Left(view! {
                    <ReservationList query="scope=mine".to_owned() desk=false empty=T::NoReservations grouped=true/>
                    <Waitlist/>
                })
            } else {
                Either::Right(view! { <Gate signed_in=false/> })
            }}
        </section>
    }
}

#[component]
pub fn Desk() -> impl IntoView {
    let user = use_context::<CurrentUser>().unwrap_or_default();
    let lang = use_lang();
    let query = use_query_map().get_untracked();
    let status = query.get("status").unwrap_or_default();
    let from = query.get("from").unwrap_or_default();
    let to = query.get("to").unwrap_or_default();
    let at_risk = query.get("at_risk").is_some_and(|v| v == "true");
    let mut pairs = vec![("scope".to_owned(), "desk".to_owned())];
    for (key, value) in [("status", &status), ("from", &from), ("to", &to)] {
        if !value.is_empty() {
            pairs.push((key.into(), value.clone()));
        }
    }
    if at_risk {
        pairs.push(("at_risk".into(), "true".into()));
    }
    let api_query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    view! {
        <PageTitle text=t(T::DeskTitle)/>
        <section class="reservations-page desk">
            <h1>{t(T::DeskTitle)}</h1>
            <Outcome/>
            {if user.desk {
                Either::Left(view! {
                    <form method="get" action="/balie" class="desk-filter">
                        <label for="desk-status">{t(T::StatusLabel)}</label>
                        <select id="desk-status" name="status">
                            <option value="" selected=status.is_empty()>{t(T::AllStatuses)}</option>
                            {ReservationStatus::ALL.iter().map(|s| view! {
                                <option value=s.code() selected=status == s.code()>{s.label(lang)}</option>
                            }).collect_view()}
                        </select>
                        <label for="desk-from">{t(T::FreeFrom)}</label>
                        <input id="desk-from" type="date" name="from" value=from.clone()/>
                        <label for="desk-to">{t(T::FreeTo)}</label>
                        <input id="desk-to" type="date" name="to" value=to.clone()/>
                        <label class="check-label">
                            <input type="checkbox" name="at_risk" value="true" checked=at_risk/>
                            {t(T::AtRiskOnly)}
                        </label>
                        <button type="submit" class="button secondary">{t(T::FilterButton)}</button>
                    </form>
                    <ReservationList query=api_query desk=true empty=T::DeskEmpty/>
                })
            } else {
                Either::Right(view! { <Gate signed_in=user.name.is_some()/> })
            }}
        </section>
    }
}
