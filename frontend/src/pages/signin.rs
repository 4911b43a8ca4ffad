//! Signing in. A plain POST form to `/sessie`, so it works without JavaScript; the server
//! sets the session cookie and sends the browser on, or back here with the reason.

use crate::components::text::PageTitle;
use crate::i18n::{t, T};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignIn() -> impl IntoView {
    let query = use_query_map();
    let next = move || {
        query
            .read()
            .get("next")
            .filter(|n| n.starts_with('/'))
            .unwrap_or_else(|| "/".into())
    };
    let error = move || {
        query
            .read()
            .get("fout")
            .map(|reason| match reason.as_str() {
                "ongeldig" => T::BadCredentials,
                "teveel" => T::Throttled,
                "onbevestigd" => T::Unconfirmed,
                "link-verlopen" => T::LinkExpired,
                "link-gebruikt" => T::LinkUsed,
                "link-onbekend" => T::LinkUnknown,
                _ => T::SignInFailed,
            })
    };
    view! {
        <PageTitle text=t(T::SignIn)/>
        <section class="signin-page">
            <h1>{t(T::SignInTitle)}</h1>
            <p>{t(T::SignInIntro)}</p>
            {move || query.read().get("bevestigd").map(|_| view! { <p class="notice" role="status" id="signin-notice">{t(T::Confirmed)}</p> })}
            {move || query.read().get("hersteld").map(|_| view! { <p class="notice" role="status" id="signin-reset">{t(T::PasswordReset)}</p> })}
            {move || query.read().get("welkom").map(|_| view! { <p class="notice" role="status" id="signin-welcome">{t(T::Welcome)}</p> })}
            {move || error().map(|e| view! { <p class="error" role="alert" id="signin-error">{t(e)}</p> })}
            <form method="post" action="/sessie" class="signin-form">
                <input type="hidden" name="next" value=next/>
                <label for="signin-email">{t(T::EmailLabel)}</label>
                <input id="signin-email" type="email" name="email" autocomplete="username" required=true/>
                <label for="signin-password">{t(T::PasswordLabel)}</label>
                <input id="signin-password" type="password" name="password" autocomplete="current-password" required=true/>
                <button type="submit" class="button primary">{t(T::SignIn)}</button>
            </form>
            <p><a href="/wachtwoord-vergeten" class="forgot-link">{t(T::ForgotLink)}</a></p>
            <p><a href="/account-aanmaken" class="signup-link">{t(T::SignUpLink)}</a></p>
        </section>
    }
}
