//! "Mijn account": who is signed in, the language their mails are written in (the choice
//! also becomes the page language), and whether they get reminders and digests. Plain POST
//! forms, so they work without JavaScript.

use crate::components::text::PageTitle;
use crate::i18n::{t, T};
use crate::pages::not_found::set_status;
use crate::CurrentUser;
use leenpunt_shared::Lang;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    let user = use_context::<CurrentUser>().unwrap_or_default();
    let saved = use_query_map().get_untracked().get("ok");
    let Some(name) = user.name.clone() else {
        set_status(401);
        return Either::Left(view! {
            <PageTitle text=t(T::AccountTitle)/>
            <section class="account-page">
                <h1>{t(T::AccountTitle)}</h1>
                <p class="error" role="alert">{t(T::SignInFirst)}</p>
                <p><a href="/aanmelden?next=/mijn-account" rel="external">{t(T::SignIn)}</a></p>
            </section>
        });
    };
    let current = user.mail_lang.unwrap_or_default();
    let choice = move |lang: Lang, label: T| {
        let id = format!("mail-lang-{}", lang.code());
        let label_for = id.clone();
        view! {
            <label for=label_for class="choice">
                <input type="radio" id=id name="lang" value=lang.code() checked=current == lang/>
                {t(label)}
            </label>
        }
    };
    Either::Right(view! {
        <PageTitle text=t(T::AccountTitle)/>
        <section class="account-page">
            <h1>{t(T::AccountTitle)}</h1>
            {saved.map(|what| {
                let text = if what == "herinneringen" { T::RemindersSaved } else { T::MailLangSaved };
                view! { <p class="notice" role="status" id="account-saved">{t(text)}</p> }
            })}
            <dl class="account-facts">
                <dt>{t(T::AccountName)}</dt>
                <dd>{name}</dd>
                <dt>{t(T::EmailLabel)}</dt>
                <dd>{user.email.clone().unwrap_or_default()}</dd>
            </dl>
            <form method="post" action="/mijn-account/taal" class="mail-lang-form">
                <fieldset>
                    <legend>{t(T::MailLangLegend)}</legend>
                    <p class="hint">{t(T::MailLangHint)}</p>
                    {choice(Lang::Nl, T::LangDutch)}
                    {choice(Lang::En, T::LangEnglish)}
                </fieldset>
                <button type="submit" class="button primary">{t(T::Save)}</button>
            </form>
            <p class="personal-data-link"><a href="/mijn-account/gegevens">{t(T::PersonalDataLink)}</a></p>
            <form method="post" action="/mijn-account/herinneringen" class="reminders-form">
                <fieldset>
                    <legend>{t(T::RemindersLegend)}</legend>
                    <p class="hint" id="reminders-hint">{t(T::RemindersHint)}</p>
                    <label for="reminders-on" class="choice">
                        <input type="checkbox" id="reminders-on" name="on" value="1"
                            checked=user.reminders aria-describedby="reminders-hint"/>
                        {t(T::RemindersOn)}
                    </label>
                </fieldset>
                <button type="submit" class="button primary">{t(T::Save)}</button>
            </form>
            <crate::pages::erasure::DeleteAccount/>
            {crate::pages::tokens::TokensSection()}
        </section>
    })
}
