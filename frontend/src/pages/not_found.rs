use crate::i18n::{t, T};
use leptos::prelude::*;
use leptos_meta::Title;

/// Sets the HTTP status of a server-rendered page (no effect in the browser).
pub fn set_status(_code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(_code),
    ) {
        response.set_status(code);
    }
}

/// Answers 404 during server rendering.
pub fn set_not_found_status() {
    set_status(404);
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_not_found_status();
    view! { <Missing text=T::NotFoundText/> }
}

/// The body of a not-found page, also used for an unknown kit.
#[component]
pub fn Missing(text: T) -> impl IntoView {
    view! {
        <Title text=t(T::NotFoundTitle)/>
        <section class="not-found">
            <h1>{t(T::NotFoundTitle)}</h1>
            <p>{t(text)}</p>
            <p><a class="button primary" href="/catalogus">{t(T::BackToCatalogue)}</a></p>
        </section>
    }
}
