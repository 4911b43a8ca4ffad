//! A request (a sent cart) at the desk: handing over and taking back all its lines.

use super::*;

/// The lines of a request with, per line, what is still to hand over, out and back.
pub(super) fn request_lines_table(
    s: &leenpunt_shared::handover::RequestDeskScreen,
    lang: Lang,
) -> impl IntoView {
    view! {
        <ul class="request-lines desk-list">
            {s.lines.iter().map(|l| {
                let r = &l.reservation;
                let units: Vec<String> = s.receipt.iter().filter(|x| x.reservation == r.id).map(|x| {
                    if x.returned_at.is_some() { format!("{} ({})", x.unit, T::RequestBack.get(lang)) } else { x.unit.clone() }
                }).collect();
                view! {
                    <li class="request-line" data-id=r.id.0 data-missing=l.missing data-out=l.out>
                        <strong>{format!("{} × {}", r.quantity, r.kit_title)}</strong>
                        <span class="line-state">{format!(" — {} {} · {} {} · {} {}",
                            l.missing, T::RequestMissing.get(lang),
                            l.out, T::RequestOut.get(lang),
                            l.back, T::RequestBack.get(lang))}</span>
                        {(r.status != leenpunt_shared::ReservationStatus::Confirmed && r.status != leenpunt_shared::ReservationStatus::PickedUp)
                            .then(|| view! { <span class="line-status">{format!(" · {}", r.status.label(lang))}</span> })}
                        {(!units.is_empty()).then(|| view! { <span class="line-units">{format!(": {}", units.join(", "))}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// What the offline queue checks a request's scans against: its lines as the page shows
/// them (handed over = booked − still missing).
pub(super) fn request_snapshot(
    s: &leenpunt_shared::handover::RequestDeskScreen,
) -> leenpunt_shared::offline::DeskSnapshot {
    let mut snapshot = snapshot_of(
        "",
        s.lines.iter().map(|l| {
            (
                &l.reservation,
                l.reservation.quantity.saturating_sub(l.missing),
            )
        }),
    );
    for r in &mut snapshot.reservations {
        r.request = Some(s.request);
    }
    snapshot
}

pub(super) fn request_id_param() -> i64 {
    use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// `/balie/aanvraag/:id`: hand a whole request (a sent cart) over: each scanned unit fills
/// the line of its kit type; per line what is still missing; the receipt lists every line.
#[component]
pub fn RequestHandover() -> impl IntoView {
    let lang = use_lang();
    let id = request_id_param();
    let kept_code = use_query_map()
        .get_untracked()
        .get("code")
        .unwrap_or_default();
    let screen = Resource::new(move || id, api::request_handover);
    view! {
        <PageTitle text=t(T::RequestHandoverTitle)/>
        <section class="handover-page request-handover">
            <h1>{t(T::RequestHandoverTitle)}</h1>
            <ScanOutcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || {
                    let kept_code = kept_code.clone();
                    Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left({
                            let done = s.missing == 0;
                            let first = s.lines[0].reservation.clone();
                            view! {
                                <p class="handover-summary">
                                    <strong>{format!("{} {}", T::RequestTitle.get(lang), s.request)}</strong>
                                    {format!(" — {}, {} · {} – {} · {}", s.borrower, s.school, human_date(&first.pickup_date, lang), human_date(&first.return_date, lang), s.pickup_point)}
                                </p>
                                <p class="remaining" data-remaining=s.missing>
                                    {if s.handed_over { T::RequestAllHandedOver.get(lang).to_owned() } else { format!("{}: {}", T::StillToHandOver.get(lang), s.missing) }}
                                </p>
                                {(!s.missing_trainings.is_empty()).then(|| view! {
                                    <p class="warning qualification-warning" role="alert">
                                        {format!("{} {}", T::QualificationMissingWarning.get(lang), s.missing_trainings.join(", "))}
                                    </p>
                                })}
                                <DeskQueuePanel snapshot=request_snapshot(&s)/>
                                {(!done).then(|| view! {
                                    <p><a class="button secondary camera-link" href=format!("/balie/scan?aanvraag={}", s.request)>{t(T::ScanWithCamera)}</a></p>
                                    <form method="post" action=format!("/balie/aanvraag/{}", s.request) class="scan-form handover-form request-form"
                                        data-offline="request-handover" data-request=s.request>
                                        <CodeField label=t(T::RequestScanAny) value=kept_code.clone()/>
                                        {(!s.missing_trainings.is_empty()).then(|| view! {
                                            <label for="override-reason">{t(T::OverrideReasonLabel)}</label>
                                            <input id="override-reason" name="override_reason" maxlength="500"/>
                                        })}
                                        <button type="submit" class="button primary hand-over">{t(T::HandOver)}</button>
                                    </form>
                                })}
                                <h2>{t(T::RequestLines)}</h2>
                                {request_lines_table(&s, lang)}
                                {(s.out > 0).then(|| view! {
                                    <p><a class="button secondary take-back" href=format!("/balie/aanvraag/{}/inname", s.request)>{t(T::RequestTakeBack)}</a></p>
                                })}
                                {(!s.receipt.is_empty()).then(|| view! {
                                    <h2 id="ontvangstbewijs">{t(T::ReceiptTitle)}</h2>
                                    {lines_table(s.receipt.clone(), lang)}
                                })}
                                <p><a href="/balie/vandaag">{t(T::BackToToday)}</a></p>
                            }
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::NotFoundHere, T::NotAllowed)),
                    }
                })}}
            </Suspense>
        </section>
    }
}

/// `/balie/aanvraag/:id/inname`: take a request back, in parts: what is still out per
/// line, and a scan field for the next unit (which goes on to the contents check).
#[component]
pub fn RequestReturn() -> impl IntoView {
    let lang = use_lang();
    let id = request_id_param();
    let screen = Resource::new(move || id, api::request_handover);
    view! {
        <PageTitle text=t(T::RequestReturnTitle)/>
        <section class="return-page request-return">
            <h1>{t(T::RequestReturnTitle)}</h1>
            <ScanOutcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left(view! {
                            <p class="handover-summary">
                                <strong>{format!("{} {}", T::RequestTitle.get(lang), s.request)}</strong>
                                {format!(" — {}, {} · {}", s.borrower, s.school, s.pickup_point)}
                            </p>
                            <p class="still-out" data-out=s.out>
                                {if s.all_back { T::RequestAllBack.get(lang).to_owned() } else { format!("{}: {}", T::RequestStillOut.get(lang), s.out) }}
                            </p>
                            <DeskQueuePanel snapshot=request_snapshot(&s)/>
                            {(s.out > 0).then(|| view! {
                                <p><a class="button secondary camera-link" href=format!("/balie/scan?aanvraag={}&inname=1", s.request)>{t(T::ScanWithCamera)}</a></p>
                                <form method="post" action=format!("/balie/aanvraag/{}/inname", s.request) class="scan-form return-form">
                                    <CodeField label=t(T::RequestScanReturn)/>
                                    <button type="submit" class="button primary">{t(T::Look)}</button>
                                </form>
                            })}
                            <h2>{t(T::RequestLines)}</h2>
                            {request_lines_table(&s, lang)}
                            <p><a href=format!("/balie/aanvraag/{}", s.request)>{t(T::RequestBackToHandover)}</a></p>
                            <p><a href="/balie/vandaag">{t(T::BackToToday)}</a></p>
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::NotFoundHere, T::NotAllowed)),
                    }
                })}
            </Suspense>
        </section>
    }
}
