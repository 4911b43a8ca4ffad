use crate::components::search_form::SearchForm;
use crate::components::text::PageTitle;
use crate::i18n::{t, use_lang, T};
use leenpunt_shared::{CatalogueQuery, Theme};
use leptos::prelude::*;
use leptos_meta::Meta;

#[component]
pub fn Home() -> impl IntoView {
    let lang = use_lang();
    let empty = Signal::stored(CatalogueQuery::default());
    view! {
        <PageTitle text=""/>
        <Meta name="description" content=t(T::Tagline)/>
        <section class="hero">
            <h1>{t(T::HomeTitle)}</h1>
            <p class="lead">{t(T::HomeIntro)}</p>
            <SearchForm query=empty/>
        </section>
        <section class="themes" aria-labelledby="themes-title">
            <h2 id="themes-title">{t(T::BrowseThemes)}</h2>
            <ul class="theme-grid">
                {Theme::ALL.iter().map(|th| view! {
                    <li>
                        <a class="theme-tile" data-theme=th.code() href=format!("/catalogus?theme={}", th.code())>
                            {th.label(lang)}
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
