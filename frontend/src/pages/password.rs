//! Forgotten password: ask for a link, then choose a new password. Plain POST forms that
//! work without the wasm; the answers never reveal whether an address has an account.

use crate::i18n::{t, T};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ForgotPassword() -> impl IntoView {
    let sent = use_query_map().get_untracked().get("verstuurd").is_some();
    view! {
        <Title text=t(T::ForgotTitle)/>
        <section class="signin-page">
            <h1>{t(T::ForgotTitle)}</h1>
            {if sent {
                view! { <p class="notice" role="status" id="reset-sent">{t(T::ResetSent)}</p> }.into_any()
            } else {
                view! {
                    <p>{t(T::ForgotIntro)}</p>
                    <form method="post" action="/wachtwoord-vergeten" class="signin-form">
                        <label for="reset-email">{t(T::EmailLabel)}</label>
                        <input id="reset-email" type="email" name="email" autocomplete="username" required=true/>
                        <button type="submit" class="button primary">{t(T::SendResetLink)}</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn NewPassword() -> impl IntoView {
    let token = use_params_map()
        .get_untracked()
        .get("token")
        .unwrap_or_default();
    let error = use_query_map().get_untracked().get("fout");
    view! {
        <Title text=t(T::NewPasswordTitle)/>
        <section class="signin-page">
            <h1>{t(T::NewPasswordTitle)}</h1>
            {error.map(|e| view! {
                <p class="error" role="alert" id="reset-error">{e}" "<a href="/wachtwoord-vergeten">{t(T::ForgotLink)}</a></p>
            })}
            <form method="post" action=format!("/wachtwoord/{}", leenpunt_shared::query::encode_component(&token)) class="signin-form">
                <label for="new-password">{t(T::NewPasswordLabel)}</label>
                <input id="new-password" type="password" name="password" autocomplete="new-password" minlength="10" required=true/>
                <button type="submit" class="button primary">{t(T::SavePassword)}</button>
            </form>
        </section>
    }
}
