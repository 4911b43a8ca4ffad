//! `/code`: where a label's link (`/s/<code>`) that leads nowhere sends a browser: it
//! says which code was not found and offers a field to type it again (a GET form to
//! `/s`, which opens the code as its label would). No wasm.

use crate::components::text::PageTitle;
use crate::i18n::{t, T};
use crate::pages::not_found::set_status;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CodeLookup() -> impl IntoView {
    let unknown = use_query_map()
        .get_untracked()
        .get("onbekend")
        .filter(|c| !c.trim().is_empty());
    if unknown.is_some() {
        set_status(404);
    }
    let title = if unknown.is_some() {
        T::UnknownCodeTitle
    } else {
        T::CodeLookupTitle
    };
    let typed = unknown.clone().unwrap_or_default();
    view! {
        <PageTitle text=t(title)/>
        <section class="code-page">
            <h1>{t(title)}</h1>
            {unknown.map(|code| view! {
                <p class="error unknown-code" role="alert">
                    {format!("{} \u{201c}{code}\u{201d}.", t(T::UnknownCodeText))}
                </p>
                <p class="hint">{t(T::UnknownCodeHint)}</p>
            })}
            <form method="get" action="/s" class="scan-form code-form">
                <label for="scan-code">{t(T::TypeTheCode)}</label>
                <input id="scan-code" name="code" class="scan-code" autofocus=true autocomplete="off"
                    autocapitalize="characters" spellcheck="false" required=true value=typed/>
                <button type="submit" class="button primary">{t(T::Look)}</button>
            </form>
        </section>
    }
}
