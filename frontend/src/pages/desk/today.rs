//! "Vandaag": the day's pickups and returns at the desk.

use super::*;

pub(super) fn reservation_row(r: &Reservation, lang: Lang, handed: Option<u32>) -> impl IntoView {
    let link = format!("/balie/uitgifte/{}", r.id);
    let partly = handed
        .filter(|h| *h > 0)
        .map(|h| view! { <span class="handed-over">{format!(" · {}", handed_over_text(h, r.quantity, lang))}</span> });
    view! {
        <li class="desk-row" data-id=r.id.0>
            <a href=link>
                <strong>{format!("{} × {}", r.quantity, r.kit_title)}</strong>
            </a>
            {partly}
            <span>{format!(" — {}, {}", r.borrower, r.school)}</span>
            <span class="dates">{format!(" ({} – {})", human_date(&r.pickup_date, lang), human_date(&r.return_date, lang))}</span>
            <span class="pickup-point">{format!(" · {}", r.pickup_point)}</span>
        </li>
    }
}

/// A list of the desk's day: a reservation on its own, or a request (a sent cart) as one
/// entry with its lines below it, at the place of its first line.
pub(super) fn desk_entries<'a>(
    rows: impl Iterator<Item = (&'a Reservation, Option<u32>)>,
    refs: &[leenpunt_shared::handover::RequestLineRef],
    lang: Lang,
    returning: bool,
) -> Vec<AnyView> {
    let request_of = |r: &Reservation| {
        refs.iter()
            .find(|x| x.reservation == r.id)
            .map(|x| x.request)
    };
    let rows: Vec<(&Reservation, Option<u32>)> = rows.collect();
    let mut done: Vec<i64> = Vec::new();
    let mut entries = Vec::new();
    for (r, handed) in &rows {
        match request_of(r) {
            None => entries.push(reservation_row(r, lang, *handed).into_any()),
            Some(request) if !done.contains(&request) => {
                done.push(request);
                let lines: Vec<(&Reservation, Option<u32>)> = rows
                    .iter()
                    .filter(|(x, _)| request_of(x) == Some(request))
                    .copied()
                    .collect();
                entries.push(request_row(request, &lines, lang, returning).into_any());
            }
            Some(_) => {}
        }
    }
    entries
}

/// One request on the desk's day: who, when, where, and its lines.
pub(super) fn request_row(
    request: i64,
    lines: &[(&Reservation, Option<u32>)],
    lang: Lang,
    returning: bool,
) -> impl IntoView {
    let first = lines[0].0;
    let link = if returning {
        format!("/balie/aanvraag/{request}/inname")
    } else {
        format!("/balie/aanvraag/{request}")
    };
    view! {
        <li class="desk-row desk-request" data-request=request>
            <a href=link>
                <strong>{format!("{} {request} · {} {}", T::RequestTitle.get(lang), lines.len(), T::RequestLineCount.get(lang))}</strong>
            </a>
            <span>{format!(" — {}, {}", first.borrower, first.school)}</span>
            <span class="dates">{format!(" ({} – {})", human_date(&first.pickup_date, lang), human_date(&first.return_date, lang))}</span>
            <span class="pickup-point">{format!(" · {}", first.pickup_point)}</span>
            <ul class="request-lines">
                {lines.iter().map(|(r, handed)| {
                    let partly = handed.filter(|h| *h > 0).map(|h| format!(" · {}", handed_over_text(h, r.quantity, lang)));
                    view! { <li class="request-line" data-id=r.id.0>{format!("{} × {}{}", r.quantity, r.kit_title, partly.unwrap_or_default())}</li> }
                }).collect_view()}
            </ul>
        </li>
    }
}

/// `/balie/vandaag`: pickups, returns due and overdue loans, with a scan field.
#[component]
pub fn Today() -> impl IntoView {
    let lang = use_lang();
    let screen = Resource::new(|| (), |_| api::desk_today());
    view! {
        <PageTitle text=t(T::TodayTitle)/>
        <section class="today-page">
            <h1>{t(T::TodayTitle)}</h1>
            <ScanOutcome/>
            <form method="post" action="/balie/zoek" class="scan-form">
                <CodeField label=t(T::ScanAnyLabel)/>
                <button type="submit" class="button primary">{t(T::Look)}</button>
            </form>
            <p>
                <a href="/balie/inname" class="button secondary">{t(T::TakeBackTitle)}</a>" "
                <a href="/balie/scan" class="button secondary">{t(T::ScanWithCamera)}</a>
            </p>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left(view! {
                            <DeskQueuePanel snapshot=snapshot_of(&s.day, s.pickups.iter().map(|p| (&p.reservation, p.handed_over)))/>
                            {
                                let refs = &s.requests;
                                let pickups = desk_entries(s.pickups.iter().map(|p| (&p.reservation, Some(p.handed_over))), refs, lang, false);
                                let returns = desk_entries(s.returns.iter().map(|r| (r, None)), refs, lang, true);
                                let overdue = desk_entries(s.overdue.iter().map(|r| (r, None)), refs, lang, true);
                                view! {
                                    <h2>{format!("{} ({})", T::PickupsToday.get(lang), pickups.len())}</h2>
                                    {if pickups.is_empty() { Either::Left(view! { <p class="empty">{t(T::NothingHere)}</p> }) } else {
                                        Either::Right(view! { <ul class="desk-list pickups">{pickups}</ul> })
                                    }}
                                    <h2>{format!("{} ({})", T::ReturnsToday.get(lang), returns.len())}</h2>
                                    {if returns.is_empty() { Either::Left(view! { <p class="empty">{t(T::NothingHere)}</p> }) } else {
                                        Either::Right(view! { <ul class="desk-list returns">{returns}</ul> })
                                    }}
                                    <h2 id="te-laat">{format!("{} ({})", T::OverdueTitle.get(lang), overdue.len())}</h2>
                                    {if overdue.is_empty() { Either::Left(view! { <p class="empty">{t(T::NothingHere)}</p> }) } else {
                                        Either::Right(view! { <ul class="desk-list overdue">{overdue}</ul> })
                                    }}
                                }
                            }
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::NotFoundHere, T::NotAllowed)),
                    }
                })}
            </Suspense>
            // Registers the desk's service worker (docs/offline-desk.md); no wasm.
            <script type="module" src="/desk.js"></script>
        </section>
    }
}
