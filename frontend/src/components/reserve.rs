//! The kit page's availability calendar and booking form: an island.
//!
//! The server renders it with this month's availability, so the calendar is there before
//! the wasm. Once hydrated, month and pickup point changes fetch the JSON availability,
//! days are picked with a click (or typed in the date fields), and the booking is posted
//! to the API with an idempotency key; refusals show their reason and the dates that would
//! work instead.

use crate::i18n::{t, use_lang, T};
use leenpunt_shared::labels::{human_date, month_name};
use leenpunt_shared::{DateRange, DayAvailability, MonthAvailability, Problem};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A pickup point to choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointChoice {
    pub slug: String,
    pub name: String,
}

/// The month's title, e.g. "december 2026".
fn month_title(code: &str, lang: leenpunt_shared::Lang) -> String {
    let (year, month) = code.split_once('-').unwrap_or((code, "1"));
    format!("{} {year}", month_name(month.parse().unwrap_or(1), lang))
}

#[island]
pub fn ReservePanel(
    kit: String,
    points: Vec<PointChoice>,
    month: MonthAvailability,
    /// Signed in as a teacher: the form can be sent.
    can_book: bool,
    needs_approval: bool,
    max_quantity: u32,
) -> impl IntoView {
    let lang = use_lang();
    let month = RwSignal::new(month);
    let point = RwSignal::new(points.first().map(|p| p.slug.clone()).unwrap_or_default());
    let pickup = RwSignal::new(String::new());
    let ret = RwSignal::new(String::new());
    let quantity = RwSignal::new(1u32);
    let note = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Problem>);
    let waiting = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // Used by the browser build only (fetches and posts).
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let kit = StoredValue::new(kit);
    // One key per filled-in form: a double click or a retry cannot book twice.
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let attempt = StoredValue::new((0u64, 0u32));

    let load = move |month_code: String| {
        #[cfg(feature = "hydrate")]
        {
            let slug = kit.get_value();
            let at = point.get_untracked();
            leptos::task::spawn_local(async move {
                if let Ok(m) = crate::api::availability_month(slug, at, month_code).await {
                    month.set(m);
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = month_code;
    };
    let pick = move |date: String| {
        problem.set(None);
        waiting.set(false);
        let (p, r) = (pickup.get_untracked(), ret.get_untracked());
        if p.is_empty() || !r.is_empty() || date < p {
            pickup.set(date);
            ret.set(String::new());
        } else {
            ret.set(date);
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        if !busy.get_untracked() {
            busy.set(true);
            problem.set(None);
            let body = leenpunt_shared::NewReservation {
                kit: kit.get_value(),
                pickup_point: point.get_untracked(),
                pickup_date: pickup.get_untracked(),
                return_date: ret.get_untracked(),
                quantity: quantity.get_untracked(),
                school: None,
                note: note.get_untracked(),
            };
            // A random base for this page, numbered per attempt: resending the same
            // attempt reuses its key; a new attempt after a refusal gets a new one.
            attempt.update_value(|(base, _)| {
                if *base == 0 {
                    *base = (js_sys::Math::random() * 1e15) as u64 + 1;
                }
            });
            let (base, n) = attempt.get_value();
            let key = format!("{}-{base}-{n}", body.kit);
            leptos::task::spawn_local(async move {
                match crate::api::reserve(body, key).await {
                    Ok(r) => {
                        if let Some(w) = web_sys::window() {
                            let _ = w
                                .location()
                                .assign(&format!("/mijn-reservaties?ok=nieuw&id={}", r.id));
                        }
                    }
                    Err(p) => {
                        attempt.update_value(|(_, n)| *n += 1);
                        busy.set(false);
                        problem.set(Some(p));
                    }
                }
            });
        }
    };
    let weekdays: Vec<&'static str> = t(T::Weekdays).split(' ').collect();
    let day_cell = move |d: DayAvailability| {
        let date = d.date.clone();
        let is_start = {
            let date = date.clone();
            move || pickup.get() == date
        };
        let is_end = {
            let date = date.clone();
            move || ret.get() == date
        };
        let in_range = {
            let date = date.clone();
            move || {
                let (p, r) = (pickup.get(), ret.get());
                !p.is_empty() && !r.is_empty() && p <= date && date <= r
            }
        };
        let enabled = {
            let date = date.clone();
            move || {
                d.open
                    && (d.bookable
                        || (!pickup.get().is_empty()
                            && ret.get().is_empty()
                            && date >= pickup.get()))
            }
        };
        // A day that cannot be a pickup day says why; once a pickup day is chosen, the
        // days after it show what is free (they may be its return day).
        let free_text = format!("{} {}", d.free, T::Free.get(lang));
        let limit_text = d.limit.map(|l| l.label(lang).to_owned());
        let status = {
            let date = date.clone();
            let open = d.open;
            move || {
                if !open {
                    return T::ClosedDay.get(lang).to_owned();
                }
                let returning =
                    !pickup.get().is_empty() && ret.get().is_empty() && date >= pickup.get();
                match &limit_text {
                    Some(limit) if !returning => limit.clone(),
                    _ => free_text.clone(),
                }
            }
        };
        // The name is what the button shows, then the whole date (and why a day is
        // closed) for screen readers: a person who says what they see ("27, 3 free")
        // can use it by voice (WCAG 2.5.3, label in name).
        let spoken = match &d.closed_reason {
            Some(reason) if !d.open => format!(", {}, {reason}", human_date(&d.date, lang)),
            _ => format!(", {}", human_date(&d.date, lang)),
        };
        let title = d
            .closed_reason
            .clone()
            .or_else(|| d.limit.map(|l| l.explanation(lang).to_owned()))
            .unwrap_or_default();
        let pick_date = date.clone();
        view! {
            <td>
                <button
                    type="button"
                    class="day"
                    class:closed=!d.open
                    class:past=d.limit == Some(leenpunt_shared::DayLimit::Past)
                    class:limited=d.limit.is_some()
                    class:none-free=d.open && d.free == 0
                    class:start=is_start.clone()
                    class:end=is_end.clone()
                    class:in-range=in_range
                    data-date=date.clone()
                    data-free=d.free
                    title=title
                    aria-pressed=move || (is_start() || is_end()).to_string()
                    disabled=move || !enabled()
                    on:click=move |_| pick(pick_date.clone())
                >
                    <span class="day-number">{d.day}</span>
                    " "
                    <span class="day-status">{status}</span>
                    <span class="visually-hidden">{spoken}</span>
                </button>
            </td>
        }
    };
    let grid = move || {
        let m = month.get();
        let mut cells: Vec<Option<DayAvailability>> = vec![None; m.first_weekday as usize];
        cells.extend(m.days.into_iter().map(Some));
        while !cells.len().is_multiple_of(7) {
            cells.push(None);
        }
        cells
            .chunks(7)
            .map(|week| {
                let week = week.to_vec();
                view! {
                    <tr>
                        {week.into_iter().map(|cell| match cell {
                            Some(d) => day_cell(d).into_any(),
                            None => view! { <td></td> }.into_any(),
                        }).collect_view()}
                    </tr>
                }
            })
            .collect_view()
    };
    let field_error = move |field: &'static str| {
        move || {
            problem.with(|p| {
                p.as_ref()
                    .and_then(|p| p.errors.iter().find(|e| e.field == field))
                    .map(|e| view! { <p class="field-error" id=format!("error-{field}")>{e.message.clone()}</p> })
            })
        }
    };
    let join_waitlist = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let body = leenpunt_shared::NewReservation {
                kit: kit.get_value(),
                pickup_point: point.get_untracked(),
                pickup_date: pickup.get_untracked(),
                return_date: ret.get_untracked(),
                quantity: quantity.get_untracked(),
                school: None,
                note: note.get_untracked(),
            };
            leptos::task::spawn_local(async move {
                match crate::api::join_waitlist(body, String::new()).await {
                    Ok(_) => {
                        problem.set(None);
                        waiting.set(true);
                    }
                    Err(p) => problem.set(Some(p)),
                }
            });
        }
    };
    // Registering for a session from a "you need a training" answer: one click, then the
    // booking can be sent again (it becomes conditional on that session).
    let registered = RwSignal::new(None::<String>);
    let register_for = move |id: i64| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::api::register_for_session(id).await {
                Ok(s) => {
                    problem.set(None);
                    registered.set(Some(format!(
                        "{} ({}, {})",
                        s.training_title,
                        human_date(&s.day, lang),
                        s.start_time
                    )));
                }
                Err(p) => problem.set(Some(p)),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
    };
    let use_alternative = move |alt: DateRange| {
        pickup.set(alt.pickup_date);
        ret.set(alt.return_date);
        problem.set(None);
    };
    view! {
        <section class="reserve" aria-labelledby="reserve-title">
            <h2 id="reserve-title">{t(T::BookTitle)}</h2>
            <p class="hint">{t(T::BookIntro)}</p>
            {(points.len() > 1).then(|| view! {
                <p class="point-choice">
                    <label for="reserve-point">{t(T::PickupPoint)}</label>
                    <select id="reserve-point" on:change=move |ev| {
                        point.set(event_target_value(&ev));
                        load(month.get_untracked().month);
                    }>
                        {points.iter().map(|p| view! { <option value=p.slug.clone()>{p.name.clone()}</option> }).collect_view()}
                    </select>
                </p>
            })}
            <div class="calendar">
                <div class="calendar-head">
                    <button type="button" class="nav-button month-prev" aria-label=t(T::PrevMonth) on:click=move |_| load(month.get_untracked().prev_month)>"‹"</button>
                    <h3 class="month-title" aria-live="polite">{move || month_title(&month.get().month, lang)}</h3>
                    <button type="button" class="nav-button month-next" aria-label=t(T::NextMonth) on:click=move |_| load(month.get_untracked().next_month)>"›"</button>
                </div>
                <table class="month">
                    <thead><tr>{weekdays.into_iter().map(|w| view! { <th scope="col">{w}</th> }).collect_view()}</tr></thead>
                    <tbody>{grid}</tbody>
                </table>
            </div>
            <form class="reserve-form" on:submit=submit novalidate=true>
                <div class="reserve-fields">
                    <p>
                        <label for="reserve-pickup">{t(T::PickupDate)}</label>
                        <input id="reserve-pickup" type="date" name="pickup_date" required=true
                            prop:value=move || pickup.get()
                            on:change=move |ev| pickup.set(event_target_value(&ev))/>
                        {field_error("pickup_date")}
                    </p>
                    <p>
                        <label for="reserve-return">{t(T::ReturnDate)}</label>
                        <input id="reserve-return" type="date" name="return_date" required=true
                            prop:value=move || ret.get()
                            on:change=move |ev| ret.set(event_target_value(&ev))/>
                        {field_error("return_date")}
                    </p>
                    <p>
                        <label for="reserve-quantity">{t(T::Quantity)}</label>
                        <input id="reserve-quantity" type="number" name="quantity" min="1" max=max_quantity
                            prop:value=move || quantity.get().to_string()
                            on:change=move |ev| quantity.set(event_target_value(&ev).parse().unwrap_or(0))/>
                        {field_error("quantity")}
                    </p>
                </div>
                <p>
                    <label for="reserve-note">{t(T::NoteLabel)}</label>
                    <textarea id="reserve-note" name="note" rows="2" maxlength="1000"
                        on:change=move |ev| note.set(event_target_value(&ev))></textarea>
                </p>
                {field_error("pickup_point")}
                <p class="notice waitlist-joined" role="status">
                    {move || waiting.get().then(|| view! { {t(T::OnWaitlist)}" "<a href="/mijn-reservaties">{t(T::NavMyReservations)}</a> })}
                </p>
                <p class="notice session-registered" role="status">
                    {move || registered.get().map(|what| format!("{} {what}. {}", T::RegisteredForSession.get(lang), T::NowReserveConditionally.get(lang)))}
                </p>
                <div class="reserve-problem" role="alert">
                    {move || problem.get().filter(|p| p.errors.is_empty()).map(|p| view! {
                        <div class="error">
                            <p><strong>{p.title.clone()}</strong>" "{p.detail.clone().unwrap_or_default()}</p>
                            {(can_book && p.kind == "/problems/not-enough-units").then(|| view! {
                                <p><button type="button" class="button secondary join-waitlist" on:click=join_waitlist>{t(T::JoinWaitlist)}</button></p>
                            })}
                            {(!p.trainings.is_empty()).then(|| view! {
                                <ul class="missing-trainings">
                                    {p.trainings.iter().cloned().map(|tr| view! {
                                        <li data-training=tr.slug.clone()>
                                            <strong>{tr.title.clone()}</strong>
                                            {if tr.sessions.is_empty() {
                                                view! { <p class="hint">{t(T::NoSessionsYet)}" "<a href=format!("/opleidingen?opleiding={}", tr.slug)>{t(T::NavTrainings)}</a></p> }.into_any()
                                            } else {
                                                view! {
                                                    <ul class="session-choices">
                                                        {tr.sessions.into_iter().map(|s| {
                                                            let text = format!("{}, {} — {}", human_date(&s.day, lang), s.start_time, s.place);
                                                            let id = s.id;
                                                            view! { <li><button type="button" class="button secondary register-session" data-session=id on:click=move |_| register_for(id)>{format!("{} {text}", T::RegisterForSession.get(lang))}</button></li> }
                                                        }).collect_view()}
                                                    </ul>
                                                }.into_any()
                                            }}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            })}
                            {(!p.alternatives.is_empty()).then(|| view! {
                                <ul class="alternatives">
                                    {p.alternatives.iter().cloned().map(|alt| {
                                        let text = format!("{} – {}", human_date(&alt.pickup_date, lang), human_date(&alt.return_date, lang));
                                        view! { <li><button type="button" class="button secondary alternative" on:click=move |_| use_alternative(alt.clone())>{text}</button></li> }
                                    }).collect_view()}
                                </ul>
                            })}
                        </div>
                    })}
                </div>
                {if can_book {
                    view! {
                        {needs_approval.then(|| view! { <p class="hint">{t(T::NeedsApprovalNote)}</p> })}
                        <button type="submit" class="button primary reserve-submit" disabled=move || busy.get()>
                            {move || if busy.get() { t(T::Sending) } else if needs_approval { t(T::RequestButton) } else { t(T::ReserveButton) }}
                        </button>
                    }.into_any()
                } else {
                    // Back to this kit after signing in.
                    let next = leenpunt_shared::query::encode_component(&format!("/catalogus/{}", kit.get_value()));
                    view! { <p class="hint"><a href=format!("/aanmelden?next={next}") rel="external" class="signin-to-reserve">{t(T::SignInToReserve)}</a></p> }.into_any()
                }}
            </form>
        </section>
    }
}
