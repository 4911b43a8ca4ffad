//! Handing a reservation over by scanning its units.

use super::*;

/// `/balie/uitgifte/:id`: hand a reservation over, one scan per unit.
#[component]
pub fn Handover() -> impl IntoView {
    let lang = use_lang();
    let id: i64 = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let kept_code = use_query_map()
        .get_untracked()
        .get("code")
        .unwrap_or_default();
    let screen = Resource::new(move || id, api::handover);
    view! {
        <PageTitle text=t(T::HandoverTitle)/>
        <section class="handover-page">
            <h1>{t(T::HandoverTitle)}</h1>
            <ScanOutcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || {
                    let kept_code = kept_code.clone();
                    Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left({
                            let r = s.reservation.clone();
                            let done = s.remaining == 0;
                            view! {
                                <p class="handover-summary">
                                    <strong>{format!("{} × {}", r.quantity, r.kit_title)}</strong>
                                    {format!(" — {}, {} · {} – {}", r.borrower, r.school, human_date(&r.pickup_date, lang), human_date(&r.return_date, lang))}
                                </p>
                                <p class="remaining" data-remaining=s.remaining>
                                    {if done { T::AllHandedOver.get(lang).to_owned() } else { format!("{}: {}", T::StillToHandOver.get(lang), s.remaining) }}
                                </p>
                                {(!s.missing_trainings.is_empty()).then(|| view! {
                                    <p class="warning qualification-warning" role="alert">
                                        {format!("{} {}", T::QualificationMissingWarning.get(lang), s.missing_trainings.join(", "))}
                                    </p>
                                })}
                                <DeskQueuePanel snapshot=snapshot_of("", std::iter::once((&r, r.quantity - s.remaining)))/>
                                {(!done).then(|| view! {
                                    <p><a class="button secondary camera-link" href=format!("/balie/scan?reservatie={}", r.id)>{t(T::ScanWithCamera)}</a></p>
                                    <form method="post" action=format!("/balie/uitgifte/{}", r.id) class="scan-form handover-form"
                                        data-offline="handover" data-reservation=r.id.0>
                                        <CodeField label=t(T::ScanUnitLabel) value=kept_code.clone()/>
                                        {(!s.missing_trainings.is_empty()).then(|| view! {
                                            <label for="override-reason">{t(T::OverrideReasonLabel)}</label>
                                            <input id="override-reason" name="override_reason" maxlength="500"/>
                                        })}
                                        <button type="submit" class="button primary hand-over">{t(T::HandOver)}</button>
                                    </form>
                                })}
                                {(r.status == leenpunt_shared::ReservationStatus::PickedUp).then(|| view! {
                                    <p><a class="button secondary take-back" href="/balie/inname">{t(T::TakeBackTitle)}</a></p>
                                })}
                                {(!s.parts.is_empty()).then(|| view! {
                                    <h2>{t(T::ContentsTitle)}</h2>
                                    <ul class="parts">{s.parts.iter().map(|(n, c)| view! { <li>{format!("{c} × {n}")}</li> }).collect_view()}</ul>
                                })}
                                {(!s.lines.is_empty()).then(|| view! {
                                    <h2>{t(T::ReceiptTitle)}</h2>
                                    {lines_table(s.lines.clone(), lang)}
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
