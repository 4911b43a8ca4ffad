//! The catalogue search box. A plain GET form, so it works before (and without) the wasm;
//! inside the catalogue island a submission updates the results in place.

use crate::i18n::{t, use_lang, T};
use leenpunt_shared::{CatalogueQuery, Sort};
use leptos::prelude::*;

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
    let sort_label = move |s: Sort| match s {
        Sort::Relevance => T::SortRelevance.get(lang),
        Sort::Title => T::SortTitle.get(lang),
        Sort::Newest => T::SortNewest.get(lang),
    };
    view! {
        <form method="get" action="/catalogus" class="search-form" role="search">
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
                <fieldset class="free-range">
                    <legend>{t(T::FreeRange)}</legend>
                    <label for="search-from">{t(T::FreeFrom)}</label>
                    <input id="search-from" type="date" name="from"
                        value=move || query.get().from.unwrap_or_default()
                        prop:value=move || query.get().from.unwrap_or_default()/>
                    <label for="search-to">{t(T::FreeTo)}</label>
                    <input id="search-to" type="date" name="to"
                        value=move || query.get().to.unwrap_or_default()
                        prop:value=move || query.get().to.unwrap_or_default()/>
                </fieldset>
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
