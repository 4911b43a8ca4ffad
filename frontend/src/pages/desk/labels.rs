//! Label printing.

use super::*;

/// `/beheer/labels`: choose units and a layout, open a printable sheet.
#[component]
pub fn Labels() -> impl IntoView {
    let screen = Resource::new(|| (), |_| api::labels());
    let params = use_query_map().get_untracked();
    // `?nieuw=1` (from `/beheer`): the labels never printed come ticked.
    let only_new = params.get("nieuw").is_some();
    // `?zoek=`: only units whose code, label or kit type has these letters.
    let filter = params.get("zoek").unwrap_or_default();
    let fold = |s: &str| {
        leenpunt_shared::values::fold_diacritics(s)
            .to_lowercase()
            .replace(['-', ' '], "")
    };
    let wanted = fold(&filter);
    view! {
        <PageTitle text=t(T::LabelsTitle)/>
        <section class="labels-page">
            <h1>{t(T::LabelsTitle)}</h1>
            <p class="hint">{t(T::LabelsIntro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || { let filter = filter.clone(); let wanted = wanted.clone(); Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left({
                            let unprinted = s.unprinted.clone();
                            let kits: Vec<_> = s.kits.into_iter().filter_map(|(slug, title, units)| {
                                let title_hit = fold(&title).contains(&wanted);
                                let units: Vec<_> = units.into_iter().filter(|u| {
                                    title_hit
                                        || fold(&u.inventory_code).contains(&wanted)
                                        || u.label.as_deref().is_some_and(|l| fold(l).contains(&wanted))
                                }).collect();
                                (!units.is_empty()).then_some((slug, title, units))
                            }).collect();
                            let nothing = kits.is_empty();
                            view! {
                            <form method="get" action="/beheer/labels" class="labels-filter" role="search">
                                <label for="label-filter">{t(T::LabelFilter)}</label>
                                <input id="label-filter" name="zoek" value=filter.clone() placeholder="BB-K"/>
                                <button type="submit" class="button secondary">{t(T::SearchButton)}</button>
                            </form>
                            {nothing.then(|| view! { <p class="empty">{t(T::NothingHere)}</p> })}
                            <form method="get" action="/beheer/labels/blad" target="_blank" class="labels-form">
                                <p>
                                    <label for="label-layout">{t(T::LayoutLabel)}</label>
                                    <select id="label-layout" name="layout">
                                        <option value="small">{t(T::LayoutSmall)}</option>
                                        <option value="large">{t(T::LayoutLarge)}</option>
                                    </select>
                                </p>
                                <p>
                                    <label for="label-start">{t(T::StartAtLabel)}</label>
                                    <input id="label-start" name="start" type="number" min="1" max="24" value="1" inputmode="numeric"/>
                                    <span class="hint">{t(T::StartAtLabelHint)}</span>
                                </p>
                                {kits.into_iter().map(|(slug, title, units)| view! {
                                    <fieldset class="label-kit" data-kit=slug>
                                        <legend>{title}</legend>
                                        {units.into_iter().map(|u| {
                                            let id = format!("unit-{}", u.id.0);
                                            let new = unprinted.contains(&u.id);
                                            view! {
                                                <span class="label-unit" class:unprinted=new>
                                                    <input type="checkbox" id=id.clone() name="unit" value=u.id.0.to_string() checked=only_new && new/>
                                                    <label for=id>
                                                        {format!("{} ({})", u.inventory_code, u.label.clone().unwrap_or_default())}
                                                        {new.then(|| view! { <span class="badge">{t(T::LabelNotPrinted)}</span> })}
                                                    </label>
                                                </span>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                }).collect_view()}
                                <button type="submit" class="button primary">{t(T::PrintLabels)}</button>
                                {(!only_new && !s.unprinted.is_empty()).then(|| view! {
                                    " "<a href="/beheer/labels?nieuw=1" class="button secondary select-unprinted">{t(T::SelectUnprinted)}</a>
                                })}
                            </form>
                        }}),
                        Err(p) => Either::Right(problem_notice(p, T::NotFoundHere, T::NotAllowed)),
                    }
                })}}
            </Suspense>
        </section>
    }
}
