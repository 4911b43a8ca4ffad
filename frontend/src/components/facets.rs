//! Facet filters: each value is a link that toggles it, with its result count.

use crate::i18n::{t, use_lang, T};
use leenpunt_shared::query::Facet;
use leenpunt_shared::{CatalogueQuery, FacetValue, Facets, KitKind, Lang, Level, Theme};
use leptos::prelude::*;

fn facet_title(facet: Facet) -> T {
    match facet {
        Facet::Theme => T::FacetTheme,
        Facet::Level => T::FacetLevel,
        Facet::Kind => T::FacetKind,
        Facet::Partner => T::FacetPartner,
        Facet::Pickup => T::FacetPickup,
    }
}

/// The display label of a facet value: translated for enums, as stored for data.
fn value_label(facet: Facet, v: &FacetValue, lang: Lang) -> String {
    let coded = match facet {
        Facet::Theme => Theme::parse(&v.value).map(|x| x.label(lang)),
        Facet::Level => Level::parse(&v.value).map(|x| x.label(lang)),
        Facet::Kind => KitKind::parse(&v.value).map(|x| x.label(lang)),
        Facet::Partner | Facet::Pickup => None,
    };
    coded.map(str::to_owned).unwrap_or_else(|| v.label.clone())
}

#[component]
pub fn FacetPanel(facets: Facets, query: CatalogueQuery) -> impl IntoView {
    let lang = use_lang();
    let groups = [
        (Facet::Theme, facets.theme),
        (Facet::Level, facets.level),
        (Facet::Kind, facets.kind),
        (Facet::Partner, facets.partner),
        (Facet::Pickup, facets.pickup),
    ];
    // Clears the facets and the date range, keeping the words and the order.
    let clear = CatalogueQuery {
        q: query.q.clone(),
        sort: query.sort,
        page: 1,
        ..Default::default()
    };
    let has_filters = query.has_filters();
    view! {
        <aside id="filters" class="facets" aria-labelledby="filters-title">
            <h2 id="filters-title" class="facets-title">{t(T::Filters)}</h2>
            {has_filters.then(|| view! {
                <a class="clear-filters" href=format!("/catalogus?{}", clear.to_query_string())>{t(T::ClearFilters)}</a>
            })}
            {groups.into_iter().filter(|(_, values)| !values.is_empty()).map(|(facet, values)| {
                let heading_id = format!("facet-{}", facet.param());
                let labelled_by = heading_id.clone();
                view! {
                    <section class="facet" aria-labelledby=labelled_by data-facet=facet.param()>
                        <h3 id=heading_id>{t(facet_title(facet))}</h3>
                        <ul>
                            {values.into_iter().map(|v| {
                                let href = format!("/catalogus?{}", query.toggled(facet, &v.value).to_query_string());
                                let label = value_label(facet, &v, lang);
                                view! {
                                    <li>
                                        <a
                                            class="facet-value"
                                            class:selected=v.selected
                                            href=href
                                            data-value=v.value.clone()
                                            data-count=v.count
                                        >
                                            <span class="check" aria-hidden="true"></span>
                                            <span class="facet-label">{label}</span>
                                            {v.selected.then(|| view! { <span class="visually-hidden">{format!(" ({})", T::Selected.get(lang))}</span> })}
                                            <span class="count">
                                                {v.count}
                                                <span class="visually-hidden">{format!(" {}", T::ResultsMany.get(lang))}</span>
                                            </span>
                                        </a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }
            }).collect_view()}
        </aside>
    }
}
