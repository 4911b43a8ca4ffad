//! Taking units back: finding the loan, checking the contents, noting damage.

use super::*;

/// `/balie/inname`: scan a unit that comes back.
#[component]
pub fn ReturnStart() -> impl IntoView {
    view! {
        <PageTitle text=t(T::TakeBackTitle)/>
        <section class="return-page">
            <h1>{t(T::TakeBackTitle)}</h1>
            <ScanOutcome/>
            <form method="post" action="/balie/inname" class="scan-form return-form">
                <CodeField label=t(T::ScanUnitLabel)/>
                <button type="submit" class="button primary">{t(T::Look)}</button>
            </form>
            <p><a href="/balie/vandaag">{t(T::BackToToday)}</a></p>
        </section>
    }
}

/// `/balie/inname/:code`: check the contents and note damage.
#[component]
pub fn ReturnCheck() -> impl IntoView {
    let lang = use_lang();
    let code = use_params_map()
        .get_untracked()
        .get("code")
        .unwrap_or_default();
    let screen = Resource::new(move || code.clone(), api::return_screen);
    // Opened from a request's return page: the take-back is for that request and leads
    // back to it (offline, the queue sends it to the request's return endpoint).
    let request: Option<i64> = use_query_map()
        .get_untracked()
        .get("aanvraag")
        .and_then(|r| r.parse().ok());
    view! {
        <PageTitle text=t(T::TakeBackTitle)/>
        <section class="return-page">
            <h1>{t(T::TakeBackTitle)}</h1>
            <ScanOutcome/>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left({
                            let r = s.reservation.clone();
                            let label = s.unit.label.clone().unwrap_or_default().replace('-', "");
                            let late = s.late;
                            view! {
                                <p class="handover-summary">
                                    <strong>{format!("{} — {}", s.unit.inventory_code, s.unit.kit_title)}</strong>
                                    {format!(" · {}, {} · {} {}", r.borrower, r.school, T::ReturnDate.get(lang), human_date(&r.return_date, lang))}
                                </p>
                                {late.then(|| view! { <p class="warning">{t(T::ReturnedLate)}</p> })}
                                <DeskQueuePanel snapshot=Default::default()/>
                                <form method="post" action=format!("/balie/inname/{label}") class="return-check"
                                    data-offline="return" data-code=label.clone() data-request=request>
                                    {request.map(|r| view! { <input type="hidden" name="aanvraag" value=r.to_string()/> })}
                                    <fieldset>
                                        <legend>{t(T::CountTheContents)}</legend>
                                        {s.parts.iter().enumerate().map(|(i, (name, expected))| view! {
                                            <p class="part-count">
                                                <input type="hidden" name=format!("name_{i}") value=name.clone()/>
                                                <label for=format!("count-{i}")>{format!("{name} ({} {expected})", T::ExpectedLabel.get(lang))}</label>
                                                <input id=format!("count-{i}") type="number" name=format!("count_{i}") min="0" max=expected.to_string() value=expected.to_string() required=true/>
                                            </p>
                                        }).collect_view()}
                                    </fieldset>
                                    <p>
                                        <label for="damage">{t(T::DamageLabel)}</label>
                                        <textarea id="damage" name="damage" rows="2" maxlength="1000"></textarea>
                                    </p>
                                    <button type="submit" class="button primary take-back">{t(T::TakeBack)}</button>
                                </form>
                            }
                        }),
                        Err(p) => Either::Right(problem_notice(p, T::NotFoundHere, T::NotAllowed)),
                    }
                })}
            </Suspense>
        </section>
    }
}
