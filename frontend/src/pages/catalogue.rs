//! The catalogue: search box, facets, results and paging, all driven by the URL.
//!
//! The page is rendered on the server; `CatalogueBrowser` is an island. Once hydrated it
//! takes over the search form, facet, sort and paging links: it fetches the JSON results,
//! updates the list in place and keeps the address bar (and Back) in step. Without the
//! wasm every one of those is a plain link or GET form that works the same way.

use crate::api;
use crate::components::text::PageTitle;
use crate::components::{
    facets::FacetPanel, kit_card::KitCard, pager::Pager, search_form::SearchForm,
};
use crate::i18n::{t, use_lang, T};
use leenpunt_shared::{CatalogueQuery, Lang, SearchResults};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const PARAMS: [&str; 10] = [
    "q", "theme", "level", "kind", "partner", "pickup", "sort", "from", "to", "page",
];

/// A query from URL pairs, and what to tell the teacher about a date range that could not
/// be used as typed (the search then uses the start day alone).
fn query_and_note<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (CatalogueQuery, Option<T>) {
    let raw: Vec<(&str, &str)> = pairs.into_iter().collect();
    let (query, bad) = CatalogueQuery::from_pairs(raw.iter().copied());
    let note = bad.iter().find(|b| b.name == "to").map(|b| {
        let from = raw
            .iter()
            .find(|(k, _)| *k == "from")
            .map(|(_, v)| v.trim())
            .unwrap_or_default();
        if from > b.value.trim() {
            T::RangeReversed
        } else {
            T::RangeTooLong
        }
    });
    (query, note)
}

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
        query_and_note(pairs.iter().map(|(k, v)| (*k, v.as_str())))
    });
    let lang = use_lang();
    let results = Resource::new(
        move || query.get(),
        move |(q, note)| {
            let fetch = api::search(q.clone());
            let note = note.map(|n| n.get(lang).to_owned());
            async move { fetch.await.map(|r| (q, r, note)) }
        },
    );
    // A card's "In mijn mandje" comes back here (`cart_pages::add`).
    let asked = params.get_untracked();
    let added = asked.get("mandje").is_some_and(|v| v == "toegevoegd");
    let cart_error = asked.get("mandje_fout");
    view! {
        <PageTitle text=t(T::CatalogueTitle)/>
        <h1 class="page-title">{t(T::CatalogueTitle)}</h1>
        {added.then(|| view! {
            <p class="notice" role="status" id="cart-added">{t(T::CartAdded)} " " <a href="/mandje">{t(T::CartGoTo)}</a></p>
        })}
        {cart_error.map(|e| view! { <p class="error" role="alert" id="cart-error">{e}</p> })}
        <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok((query, results, note)) => Either::Left(view! { <CatalogueBrowser query results note/> }),
                    Err(_) => Either::Right({
                        crate::pages::not_found::set_status(500);
                        view! { <p class="error" role="alert">{t(T::LoadError)}</p> }
                    }),
                }
            })}
        </Suspense>
    }
}

/// Parses the query part of a catalogue URL (`/catalogus?…`), with a note on its dates.
fn parse_query(search: &str) -> (CatalogueQuery, Option<T>) {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(search.trim_start_matches('?')).unwrap_or_default();
    query_and_note(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[island]
fn CatalogueBrowser(
    query: CatalogueQuery,
    results: SearchResults,
    /// Why the dates asked for could not be used as typed.
    note: Option<String>,
) -> impl IntoView {
    let state = RwSignal::new((query, results, note));
    let query = Memo::new(move |_| state.with(|(q, _, _)| q.clone()));
    let lang = use_lang();
    // One persistent live region announces new result counts after in-place updates.
    let announcement = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // Only the newest request may update the page, whatever order the answers come in.
    let generation = StoredValue::new(0u64);
    let show = move |search: String, push: bool| {
        let (wanted, note) = parse_query(&search);
        let note = note.map(|n| n.get(lang).to_owned());
        let url = format!("/catalogus?{}", wanted.to_query_string());
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = api::search(wanted.clone()).await;
            if generation.get_value() != mine {
                return;
            }
            busy.set(false);
            match answer {
                Ok(results) => {
                    if push {
                        client::push_url(&url);
                    }
                    announcement.set(count_text(results.total, lang));
                    state.set((wanted, results, note));
                }
                // The server renders the same page (and any error) just as well.
                Err(_) => client::load(&url),
            }
        });
    };
    #[cfg(feature = "hydrate")]
    {
        let popstate = window_event_listener(leptos::ev::popstate, move |_| {
            show(client::current_search(), false)
        });
        on_cleanup(move || popstate.remove());
    }
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(search) = client::catalogue_link(&ev) {
            ev.prevent_default();
            show(search, true);
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if let Some(search) = client::catalogue_form(&ev) {
            ev.prevent_default();
            show(search, true);
        }
    };
    view! {
        <div class="catalogue-browser" on:click=on_click on:submit=on_submit aria-busy=move || busy.get().to_string()>
            <SearchForm query with_sort=true/>
            <p class="visually-hidden" role="status" aria-live="polite">{move || announcement.get()}</p>
            {move || {
                let (query, results, note) = state.get();
                view! {
                    {note.map(|n| view! { <p class="warning range-note" role="alert">{n}</p> })}
                    <Results query results/>
                }
            }}
        </div>
    }
}

/// Browser-side helpers of the island. On the server they are never called.
mod client {
    use wasm_bindgen::JsCast;

    /// The query string of a same-tab, left-button click on a link to the catalogue list.
    pub fn catalogue_link(ev: &leptos::ev::MouseEvent) -> Option<String> {
        if ev.button() != 0 || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() {
            return None;
        }
        let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
        let link = target.closest("a[href]").ok()??;
        let href = link.get_attribute("href")?;
        let search = href.strip_prefix("/catalogus")?;
        (search.is_empty() || search.starts_with('?')).then(|| search.to_owned())
    }

    /// The query string a GET submission of the catalogue search form would produce
    /// (a card's "In mijn mandje" is a POST and goes to the server as it is).
    pub fn catalogue_form(ev: &leptos::ev::SubmitEvent) -> Option<String> {
        let form: web_sys::HtmlFormElement = ev.target()?.dyn_into().ok()?;
        if form.method() == "post" {
            return None;
        }
        let data = web_sys::FormData::new_with_form(&form).ok()?;
        let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        Some(String::from(params.to_string()))
    }

    #[cfg(feature = "hydrate")]
    pub fn current_search() -> String {
        web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default()
    }

    pub fn push_url(url: &str) {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
        }
    }

    pub fn load(url: &str) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(url);
        }
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
    // Where a card's "In mijn mandje" comes back to: this very list.
    let back = match query.to_query_string() {
        q if q.is_empty() => "/catalogus".to_owned(),
        q => format!("/catalogus?{q}"),
    };
    // "Did you mean": the same search with the corrected words.
    let suggestion = results.suggestion.map(|words| {
        let corrected = CatalogueQuery {
            q: words.clone(),
            page: 1,
            ..query.clone()
        };
        (words, format!("/catalogus?{}", corrected.to_query_string()))
    });
    view! {
        <div class="catalogue">
            <div class="results">
                <h2 class="visually-hidden">{t(T::Results)}</h2>
                <p class="result-count" data-total=results.total>
                    {count}
                    <a class="filters-jump" href="#filters">{t(T::Filters)}</a>
                </p>
                {suggestion.map(|(words, href)| view! {
                    <p class="did-you-mean">{t(T::DidYouMean)}" "<a href=href rel="external">{words}</a>"?"</p>
                })}
                {if items.is_empty() {
                    Either::Left(view! { <p class="no-results">{t(T::NoResults)}</p> })
                } else {
                    Either::Right(view! {
                        <ul class="kit-grid">
                            {items.into_iter().map(|kit| view! { <KitCard kit back=back.clone()/> }).collect_view()}
                        </ul>
                    })
                }}
                <Pager query=query.clone() page=results.page page_count=results.page_count/>
            </div>
            <FacetPanel facets=results.facets query/>
        </div>
    }
}
