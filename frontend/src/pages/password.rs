//! Forgotten password: ask for a link, then choose a new password. Plain POST forms that
//! work without the wasm; the answers never reveal whether an address has an account.

use crate::components::text::{PageTitle, TextArea};
use crate::i18n::{t, T};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ForgotPassword() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let sent = query.get("verstuurd").is_some();
    let throttled = query.get("fout").is_some_and(|f| f == "teveel");
    view! {
        <PageTitle text=t(T::ForgotTitle)/>
        <section class="signin-page">
            <h1>{t(T::ForgotTitle)}</h1>
            {throttled.then(|| view! { <p class="error" role="alert" id="reset-throttled">{t(T::ResetThrottled)}</p> })}
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
        <PageTitle text=t(T::NewPasswordTitle)/>
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

/// The invited person chooses a password.
#[component]
pub fn AcceptInvitation() -> impl IntoView {
    let token = use_params_map()
        .get_untracked()
        .get("token")
        .unwrap_or_default();
    let error = use_query_map().get_untracked().get("fout");
    view! {
        <PageTitle text=t(T::AcceptTitle)/>
        <section class="signin-page">
            <h1>{t(T::AcceptTitle)}</h1>
            <p>{t(T::AcceptIntro)}</p>
            {error.map(|e| view! { <p class="error" role="alert" id="accept-error">{e}</p> })}
            <form method="post" action=format!("/uitnodiging/{}", leenpunt_shared::query::encode_component(&token)) class="signin-form">
                <label for="new-password">{t(T::NewPasswordLabel)}</label>
                <input id="new-password" type="password" name="password" autocomplete="new-password" minlength="10" required=true/>
                <button type="submit" class="button primary">{t(T::SavePassword)}</button>
            </form>
        </section>
    }
}

/// Admins and partner admins invite people into roles.
#[component]
pub fn Invite() -> impl IntoView {
    use leenpunt_shared::Role;
    let lang = crate::i18n::use_lang();
    let screen = Resource::new(|| (), |_| crate::api::invite_screen());
    let query = use_query_map().get_untracked();
    let ok = query.get("ok").is_some();
    let error = query.get("fout");
    view! {
        <PageTitle text=t(T::InviteTitle)/>
        <section class="signin-page invite-page">
            <h1>{t(T::InviteTitle)}</h1>
            <p class="hint">{t(T::InviteIntro)}</p>
            {ok.then(|| view! { <p class="notice" role="status" id="outcome">{t(T::InvitationSent)}</p> })}
            {error.map(|e| view! { <p class="error" role="alert" id="outcome-error">{e}</p> })}
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => {
                            let roles: Vec<Role> = if s.admin {
                                vec![Role::Ambassador, Role::Trainer, Role::PartnerAdmin, Role::Teacher, Role::Admin]
                            } else {
                                vec![Role::Ambassador, Role::Trainer]
                            };
                            leptos::either::Either::Left(view! {
                                <form method="post" action="/uitnodigingen" class="signin-form">
                                    <label for="invite-email">{t(T::EmailLabel)}</label>
                                    <input id="invite-email" type="email" name="email" required=true/>
                                    <label for="invite-name">{t(T::NameLabel)}</label>
                                    <input id="invite-name" name="name" maxlength="200"/>
                                    <label for="invite-role">{t(T::RoleLabel)}</label>
                                    <select id="invite-role" name="role">
                                        {roles.into_iter().map(|r| view! { <option value=r.code()>{r.label(lang)}</option> }).collect_view()}
                                    </select>
                                    <label for="invite-partner">{t(T::PartnerLabel)}</label>
                                    <select id="invite-partner" name="partner">
                                        {s.partners.iter().map(|(slug, name)| view! { <option value=slug.clone()>{name.clone()}</option> }).collect_view()}
                                    </select>
                                    {s.admin.then(|| view! {
                                        <label for="invite-school">{t(T::SchoolNumberLabel)}</label>
                                        <input id="invite-school" name="school" inputmode="numeric" maxlength="6"/>
                                    })}
                                    <button type="submit" class="button primary">{t(T::SendInvitation)}</button>
                                </form>
                            })
                        }
                        Err(p) => leptos::either::Either::Right({
                            crate::pages::not_found::set_status(p.status);
                            view! { <p class="error" role="alert">{if p.status == 401 { t(T::SignInFirst) } else { t(T::NotAllowed) }}</p> }
                        }),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Teachers sign up: name, e-mail, school (picked from a list that filters as one types),
/// password. Messages come back per field; what was typed (except the password) stays.
#[component]
pub fn SignUp() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let sent = query.get("verstuurd").is_some();
    let keep = |k: &str| query.get(k).unwrap_or_default();
    let (email, name, school) = (keep("email"), keep("name"), keep("school"));
    let error = |field: &str| {
        query.get(&format!("fout_{field}")).map(|m| {
            view! { <p class="field-error" id=format!("error-{field}")>{m}</p> }
        })
    };
    let (e_name, e_email, e_school, e_password) = (
        error("name"),
        error("email"),
        error("school"),
        error("password"),
    );
    let schools = Resource::new(|| (), |_| crate::api::schools());
    view! {
        <PageTitle text=t(T::SignUpTitle)/>
        <section class="signin-page">
            <h1>{t(T::SignUpTitle)}</h1>
            {if sent {
                view! { <p class="notice" role="status" id="signup-sent">{t(T::CheckMailbox)}</p> }.into_any()
            } else {
                view! {
                    <p>{t(T::SignUpIntro)}</p>
                    <form method="post" action="/account-aanmaken" class="signin-form">
                        <label for="signup-name">{t(T::NameLabel)}</label>
                        <input id="signup-name" name="name" autocomplete="name" required=true maxlength="200" value=name/>
                        {e_name}
                        <label for="signup-email">{t(T::EmailLabel)}</label>
                        <input id="signup-email" type="email" name="email" autocomplete="email" required=true value=email/>
                        {e_email}
                        <label for="signup-school">{t(T::SchoolLabel2)}</label>
                        <input id="signup-school" name="school" list="signup-schools" required=true value=school autocomplete="off"/>
                        <Suspense>
                            {move || Suspend::new(async move {
                                let list = schools.await.unwrap_or_default();
                                view! {
                                    <datalist id="signup-schools">
                                        {list.into_iter().map(|s| view! {
                                            <option value=s.number.clone()>{format!("{} · {}", s.name, s.municipality)}</option>
                                        }).collect_view()}
                                    </datalist>
                                }
                            })}
                        </Suspense>
                        {e_school}
                        <p class="hint"><a href="/account-aanmaken/school" id="school-missing">{t(T::SchoolMissingLink)}</a></p>
                        <label for="signup-password">{t(T::NewPasswordLabel)}</label>
                        <input id="signup-password" type="password" name="password" autocomplete="new-password" required=true minlength="10"/>
                        {e_password}
                        <button type="submit" class="button primary">{t(T::CreateAccount)}</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

/// "My school is not listed": name, address, the school's name and municipality (and its
/// number if known). The admins get a mail; they add the school and invite the teacher.
#[component]
pub fn SchoolRequest() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let sent = query.get("verstuurd").is_some();
    let keep = |k: &str| query.get(k).unwrap_or_default();
    let error = |field: &str| {
        query.get(&format!("fout_{field}")).map(|m| {
            view! { <p class="field-error" id=format!("error-{field}")>{m}</p> }
        })
    };
    let field = move |id: &'static str,
                      label: T,
                      kind: &'static str,
                      required: bool,
                      auto: &'static str| {
        view! {
            <label for=format!("request-{id}")>{t(label)}</label>
            <input id=format!("request-{id}") name=id type=kind required=required autocomplete=auto maxlength="200" value=keep(id)/>
            {error(id)}
        }
    };
    view! {
        <PageTitle text=t(T::SchoolRequestTitle)/>
        <section class="signin-page">
            <h1>{t(T::SchoolRequestTitle)}</h1>
            {if sent {
                view! { <p class="notice" role="status" id="request-sent">{t(T::SchoolRequestSent)}</p> }.into_any()
            } else {
                view! {
                    <p>{t(T::SchoolRequestIntro)}</p>
                    <form method="post" action="/account-aanmaken/school" class="signin-form">
                        {field("name", T::NameLabel, "text", true, "name")}
                        {field("email", T::EmailLabel, "email", true, "email")}
                        {field("school", T::SchoolNameLabel, "text", true, "organization")}
                        {field("municipality", T::MunicipalityLabel, "text", true, "address-level2")}
                        {field("number", T::SchoolNumberOptional, "text", false, "off")}
                        <label for="request-message">{t(T::MessageOptional)}</label>
                        <TextArea id="request-message" name="message" value=keep("message")/>
                        {error("message")}
                        <button type="submit" class="button primary">{t(T::SchoolRequestSend)}</button>
                    </form>
                    <p><a href="/account-aanmaken">{t(T::BackToSignUp)}</a></p>
                }.into_any()
            }}
        </section>
    }
}
