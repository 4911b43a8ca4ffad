use crate::components::text::PageTitle;
use crate::i18n::{t, T};
use leptos::prelude::*;

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
/// A page's answer when its data was refused: the response status, and one sentence
/// (sign in first; `forbidden` for 403; `not_found` for 404; otherwise the problem's own
/// detail).
pub fn problem_notice(p: leenpunt_shared::Problem, not_found: T, forbidden: T) -> impl IntoView {
    set_status(p.status);
    let text = match p.status {
        401 => t(T::SignInFirst).to_owned(),
        403 => t(forbidden).to_owned(),
        404 => t(not_found).to_owned(),
        _ => p.detail.unwrap_or(p.title),
    };
    view! { <p class="error" role="alert">{text}</p> }
}

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
        <PageTitle text=t(T::NotFoundTitle)/>
        <section class="not-found">
            <h1>{t(T::NotFoundTitle)}</h1>
            <p>{t(text)}</p>
            <p><a class="button primary" href="/catalogus">{t(T::BackToCatalogue)}</a></p>
        </section>
    }
}
