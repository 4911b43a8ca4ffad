//! The catalogue search box. A plain GET form, so it works before (and without) the wasm;
//! once hydrated, a submission becomes a client-side navigation to the same URL.

use crate::i18n::{t, use_lang, T};
use leenpunt_shared::{CatalogueQuery, Sort};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

#[component]
pub fn SearchForm(
    #[prop(into)] query: Signal<CatalogueQuery>,
    #[prop(optional)] with_sort: bool,
) -> impl IntoView {
    let lang = use_lang();
    // Facets are kept as hidden fields so a new search keeps the chosen filters.
    let hidden = move || {
        let q = query.get();
        let mut fields: Vec<(&'static str, String)> = Vec::new();
        fields.extend(q.theme.iter().map(|v| ("theme", v.code().to_owned())));
        fields.extend(q.level.iter().map(|v| ("level", v.code().to_owned())));
        fields.extend(q.kind.iter().map(|v| ("kind", v.code().to_owned())));
        fields.extend(q.partner.iter().map(|v| ("partner", v.clone())));
        fields.extend(q.pickup.iter().map(|v| ("pickup", v.clone())));
        fields
            .into_iter()
            .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
            .collect_view()
    };
    // The browser builds the query string exactly as a native submission would.
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let url = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlFormElement>(t).ok())
            .and_then(|form| web_sys::FormData::new_with_form(&form).ok())
            .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok())
            .map(|params| format!("/catalogus?{}", String::from(params.to_string())));
        if let Some(url) = url {
            ev.prevent_default();
            navigate(&url, NavigateOptions::default());
        }
    };
    let sort_label = move |s: Sort| match s {
        Sort::Relevance => T::SortRelevance.get(lang),
        Sort::Title => T::SortTitle.get(lang),
        Sort::Newest => T::SortNewest.get(lang),
    };
    view! {
        <form method="get" action="/catalogus" class="search-form" role="search" on:submit=on_submit>
            <label class="search-label" for="search-q">{t(T::SearchLabel)}</label>
            <div class="search-row">
                <input
                    id="search-q"
                    type="search"
                    name="q"
                    // The attribute for the server render, the property for later navigation.
                    value=move || query.get().q
                    prop:value=move || query.get().q
                    placeholder=t(T::SearchPlaceholder)
                    autocomplete="off"
                    maxlength="200"
                />
                <button type="submit" class="button primary">{t(T::SearchButton)}</button>
            </div>
            {hidden}
            {with_sort.then(|| view! {
                <div class="sort-row">
                    <label for="search-sort">{t(T::SortLabel)}</label>
                    // An explicit button: arrowing through a select must not navigate (WCAG 3.2.2).
                    <select id="search-sort" name="sort">
                        {Sort::ALL.into_iter().map(|s| view! {
                            <option
                                value=s.code()
                                selected=move || query.get().sort == s
                                prop:selected=move || query.get().sort == s
                            >
                                {sort_label(s)}
                            </option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button secondary">{t(T::Apply)}</button>
                </div>
            })}
        </form>
    }
}
