//! The catalogue: search box, facets, results and paging, all driven by the URL.

use crate::api;
use crate::components::{
    facets::FacetPanel, kit_card::KitCard, pager::Pager, search_form::SearchForm,
};
use crate::i18n::{t, use_lang, T};
use leenpunt_shared::{CatalogueQuery, Lang, SearchResults};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const PARAMS: [&str; 8] = [
    "q", "theme", "level", "kind", "partner", "pickup", "sort", "page",
];

#[component]
pub fn CataloguePage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let map = params.get();
        let pairs: Vec<(&str, String)> = PARAMS
            .iter()
            .flat_map(|k| {
                map.get_all(k)
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |v| (*k, v))
            })
            .collect();
        CatalogueQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str()))).0
    });
    // The results travel with the query that produced them, so links always agree.
    let results = Resource::new(
        move || query.get(),
        |q| {
            let fetch = api::search(q.clone());
            async move { fetch.await.map(|r| (q, r)) }
        },
    );
    // One persistent live region announces new result counts; it is filled after
    // hydration only, so server and browser render the same markup.
    let announcement = RwSignal::new(String::new());
    let lang = use_lang();
    Effect::new(move || {
        if let Some(Ok((_, r))) = results.get() {
            announcement.set(count_text(r.total, lang));
        }
    });
    view! {
        <Title text=t(T::CatalogueTitle)/>
        <h1 class="page-title">{t(T::CatalogueTitle)}</h1>
        <SearchForm query=query with_sort=true/>
        <p class="visually-hidden" role="status" aria-live="polite">{move || announcement.get()}</p>
        <Transition fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok((q, r)) => Either::Left(view! { <Results query=q results=r/> }),
                    Err(_) => Either::Right({
                        crate::pages::not_found::set_status(500);
                        view! { <p class="error" role="alert">{t(T::LoadError)}</p> }
                    }),
                }
            })}
        </Transition>
    }
}

fn count_text(total: u32, lang: Lang) -> String {
    match total {
        1 => T::ResultsOne.get(lang).to_owned(),
        n => format!("{n} {}", T::ResultsMany.get(lang)),
    }
}

#[component]
fn Results(query: CatalogueQuery, results: SearchResults) -> impl IntoView {
    let lang = use_lang();
    let count = count_text(results.total, lang);
    let items = results.items;
    view! {
        <div class="catalogue">
            <div class="results">
                <h2 class="visually-hidden">{t(T::Results)}</h2>
                <p class="result-count" data-total=results.total>
                    {count}
                    <a class="filters-jump" href="#filters">{t(T::Filters)}</a>
                </p>
                {if items.is_empty() {
                    Either::Left(view! { <p class="no-results">{t(T::NoResults)}</p> })
                } else {
                    Either::Right(view! {
                        <ul class="kit-grid">
                            {items.into_iter().map(|kit| view! { <KitCard kit/> }).collect_view()}
                        </ul>
                    })
                }}
                <Pager query=query.clone() page=results.page page_count=results.page_count/>
            </div>
            <FacetPanel facets=results.facets query/>
        </div>
    }
}
