//! Previous/next paging for result lists.

use crate::i18n::{t, T};
use leenpunt_shared::CatalogueQuery;
use leptos::prelude::*;

#[component]
pub fn Pager(query: CatalogueQuery, page: u32, page_count: u32) -> impl IntoView {
    let link = move |p: u32| format!("/catalogus?{}", query.with_page(p).to_query_string());
    (page_count > 1).then(|| view! {
        <nav class="pager" aria-label=t(T::Pagination)>
            {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{t(T::PagePrevious)}</a> })}
            <span>{format!("{} {} {} {}", t(T::Page), page, t(T::PageOf), page_count)}</span>
            {(page < page_count).then(|| view! { <a rel="next" href=link(page + 1)>{t(T::PageNext)}</a> })}
        </nav>
    })
}
