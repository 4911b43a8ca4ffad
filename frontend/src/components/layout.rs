//! The page frame: header with navigation and language switch, main, footer.

use crate::i18n::{t, use_lang, T};
use leenpunt_shared::query::encode_component;
use leenpunt_shared::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    let other = if lang == Lang::Nl { Lang::En } else { Lang::Nl };
    let location = use_location();
    // The switch is a plain server round trip: it sets a cookie and comes back here.
    let switch_href = move || {
        let search = location.search.get();
        let here = if search.is_empty() {
            location.pathname.get()
        } else {
            format!(
                "{}?{}",
                location.pathname.get(),
                search.trim_start_matches('?')
            )
        };
        format!("/taal/{}?next={}", other.code(), encode_component(&here))
    };
    view! {
        <a class="skip-link" href="#main">{t(T::SkipToContent)}</a>
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"L"</span>
                    <span class="brand-name">{t(T::SiteName)}</span>
                </a>
                <nav class="main-nav" aria-label=t(T::NavCatalogue)>
                    <a href="/catalogus">{t(T::NavCatalogue)}</a>
                    <a href="/opleidingen" class="nav-trainings">{t(T::NavTrainings)}</a>
                    <a
                        class="lang-switch"
                        href=switch_href
                        rel="external"
                        hreflang=other.tag()
                        lang=other.tag()
                        aria-label=t(T::SwitchLanguageLabel)
                    >
                        {t(T::SwitchLanguage)}
                    </a>
                    <crate::components::account::AccountMenu/>
                </nav>
            </div>
        </header>
        <main id="main" class="wrap" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <div class="wrap">
                <p>{t(T::Province)}</p>
            </div>
        </footer>
    }
}
