//! Access tokens ("Toegangssleutels"): the section of "Mijn account" where a person makes,
//! sees and revokes their tokens for integrations, and the administrators' list of every
//! token (`/beheer/sleutels`). Server-rendered with plain form posts; a new token's secret
//! is shown once, right after it was made.

use crate::components::text::PageTitle;
use crate::i18n::{t, use_lang, T};
use crate::pages::not_found::set_status;
use leenpunt_shared::labels::human_date;
use leenpunt_shared::tokens::{AccessToken, TokenScope, TokensScreen, DEFAULT_TOKEN_DAYS};
use leenpunt_shared::{Lang, Problem};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::future::Future;

/// What the token pages need from the server while rendering (implemented by the server).
#[cfg(feature = "ssr")]
pub trait TokensBackend: Send + Sync + 'static {
    /// The asker's tokens, and the one just made when `fresh` (the address's
    /// `nieuwe_sleutel`) still reveals it to this browser.
    fn my_tokens(
        &self,
        request: http::request::Parts,
        fresh: Option<String>,
    ) -> crate::ssr::BoxFuture<Result<TokensScreen, Problem>>;
    /// Every token with its owner (administrators).
    fn all_tokens(
        &self,
        request: http::request::Parts,
    ) -> crate::ssr::BoxFuture<Result<Vec<AccessToken>, Problem>>;
}

/// The tokens backend, provided as context for every server render.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct TokensBackendHandle(pub std::sync::Arc<dyn TokensBackend>);

fn server_only() -> Problem {
    Problem {
        kind: "/problems/not-found".into(),
        title: "Not found".into(),
        status: 404,
        ..Problem::default()
    }
}

fn my_tokens(
    fresh: Option<String>,
) -> impl Future<Output = Result<TokensScreen, Problem>> + Send + 'static {
    #[cfg(feature = "ssr")]
    {
        let backend = use_context::<TokensBackendHandle>();
        let parts = crate::ssr::request_parts();
        async move {
            match (backend, parts) {
                (Some(b), Some(parts)) => b.0.my_tokens(parts, fresh).await,
                _ => Err(server_only()),
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = fresh;
        async { Err(server_only()) }
    }
}

fn all_tokens() -> impl Future<Output = Result<Vec<AccessToken>, Problem>> + Send + 'static {
    #[cfg(feature = "ssr")]
    {
        let backend = use_context::<TokensBackendHandle>();
        let parts = crate::ssr::request_parts();
        async move {
            match (backend, parts) {
                (Some(b), Some(parts)) => b.0.all_tokens(parts).await,
                _ => Err(server_only()),
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        async { Err(server_only()) }
    }
}

/// A stored instant as a Brussels day in words.
fn day(rfc3339: &str, lang: Lang) -> String {
    let local = leenpunt_shared::time::brussels_local(rfc3339).map(|(d, _)| d);
    human_date(
        local.as_deref().or(rfc3339.get(0..10)).unwrap_or_default(),
        lang,
    )
}

fn scope_label(scope: TokenScope) -> T {
    match scope {
        TokenScope::Read => T::TokenScopeRead,
        TokenScope::Write => T::TokenScopeWrite,
    }
}

/// One token's facts and state; `revoke` is the form's address (none once it is revoked).
#[component]
fn TokenCard(token: AccessToken, revoke: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let state = if token.revoked_at.is_some() {
        Some(T::TokenStateRevoked)
    } else if !token.active {
        Some(T::TokenStateExpired)
    } else {
        None
    };
    let used = token
        .last_used_at
        .as_deref()
        .map(|u| day(u, lang))
        .unwrap_or_else(|| t(T::TokenNeverUsed).to_owned());
    let owner = token.owner_name.clone().map(|name| {
        let email = token.owner_email.clone().unwrap_or_default();
        view! { <p class="token-owner">{format!("{}: {name} ({email})", t(T::TokenOwner))}</p> }
    });
    let confirm_id = format!("revoke-token-{}", token.id);
    view! {
        <li class="token" data-id=token.id data-active=token.active.to_string()>
            <p class="token-head">
                <strong class="token-name">{token.name.clone()}</strong>
                <span class="status-badge token-scope">{t(scope_label(token.scope))}</span>
                {state.map(|s| view! { <span class="status-badge token-state" data-status="geannuleerd">{t(s)}</span> })}
            </p>
            {owner}
            <p class="token-dates">
                {format!(
                    "{} {} · {} {} · {} {used}",
                    t(T::TokenCreated), day(&token.created_at, lang),
                    t(T::TokenExpires), day(&token.expires_at, lang),
                    t(T::TokenLastUsed),
                )}
            </p>
            {revoke.filter(|_| token.revoked_at.is_none()).map(|action| view! {
                <details class="token-revoke">
                    <summary class="button secondary">{t(T::Revoke)}</summary>
                    <form method="post" action=action class="token-revoke-form">
                        <p id=confirm_id.clone()>{t(T::TokenRevokeConfirm)}</p>
                        <button type="submit" class="button danger" aria-describedby=confirm_id>{t(T::TokenRevokeYes)}</button>
                    </form>
                </details>
            })}
        </li>
    }
}

/// The secret of the token made a moment ago, with how to use it.
#[component]
fn FreshSecret(secret: String, name: String) -> impl IntoView {
    view! {
        <div class="notice new-token" role="status">
            <p><strong>{format!("{}: {name}", t(T::TokenMade))}</strong></p>
            <label for="new-token-secret">{t(T::TokenSecretLabel)}</label>
            <input id="new-token-secret" class="token-secret" readonly=true value=secret
                aria-describedby="new-token-hint" autocomplete="off" spellcheck="false"/>
            <p class="hint" id="new-token-hint">{t(T::TokenCopyHint)}</p>
        </div>
    }
}

/// The "Toegangssleutels" section of "Mijn account".
#[component]
pub fn TokensSection() -> AnyView {
    let query = use_query_map().get_untracked();
    let fresh = query.get("nieuwe_sleutel");
    let revoked = query.get("sleutel_ingetrokken").is_some();
    let name_error = query.get("fout_name");
    let days_error = query.get("fout_expires_in_days");
    let typed_name = query.get("name").unwrap_or_default();
    let screen = Resource::new(|| (), move |_| my_tokens(fresh.clone()));
    let days = [7u32, 30, 90, 180, 365];
    view! {
        <section class="tokens-section" id="sleutels" aria-labelledby="tokens-title">
            <h2 id="tokens-title">{t(T::TokensTitle)}</h2>
            <p class="hint">{t(T::TokensIntro)}</p>
            {revoked.then(|| view! { <p class="notice" role="status" id="token-revoked">{t(T::TokenRevokedNotice)}</p> })}
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match screen.await {
                        Ok(s) => Either::Left(view! {
                            {s.fresh.map(|f| view! { <FreshSecret secret=f.secret name=f.token.name/> })}
                            {if s.tokens.is_empty() {
                                Either::Left(view! { <p class="empty">{t(T::TokensNone)}</p> })
                            } else {
                                Either::Right(view! {
                                    <ul class="token-list">
                                        {s.tokens.into_iter().map(|token| {
                                            let revoke = Some(format!("/mijn-account/sleutels/{}/intrekken", token.id));
                                            view! { <TokenCard token revoke/> }
                                        }).collect_view()}
                                    </ul>
                                })
                            }}
                        }),
                        Err(_) => Either::Right(view! { <p class="error" role="alert">{t(T::TokensUnavailable)}</p> }),
                    }
                })}
            </Suspense>
            <form method="post" action="/mijn-account/sleutels" class="token-form">
                <fieldset>
                    <legend>{t(T::TokenNewLegend)}</legend>
                    <p class="field">
                        <label for="token-name">{t(T::TokenNameLabel)}</label>
                        <input id="token-name" name="name" required=true maxlength="80" value=typed_name
                            aria-describedby="token-name-hint" aria-invalid=name_error.is_some().then_some("true")/>
                        <span class="hint" id="token-name-hint">{t(T::TokenNameHint)}</span>
                        {name_error.map(|e| view! { <span class="error" role="alert" id="token-name-error">{e}</span> })}
                    </p>
                    <fieldset class="token-scopes">
                        <legend>{t(T::TokenScopeLegend)}</legend>
                        <label for="token-scope-read" class="choice">
                            <input type="radio" id="token-scope-read" name="scope" value="read" checked=true/>
                            {t(T::TokenScopeRead)}
                        </label>
                        <label for="token-scope-write" class="choice">
                            <input type="radio" id="token-scope-write" name="scope" value="write"/>
                            {t(T::TokenScopeWrite)}
                        </label>
                    </fieldset>
                    <p class="field">
                        <label for="token-days">{t(T::TokenValidity)}</label>
                        <select id="token-days" name="expires_in_days">
                            {days.into_iter().map(|d| view! {
                                <option value=d.to_string() selected=d == DEFAULT_TOKEN_DAYS>{format!("{d} {}", t(T::Days))}</option>
                            }).collect_view()}
                        </select>
                        {days_error.map(|e| view! { <span class="error" role="alert">{e}</span> })}
                    </p>
                </fieldset>
                <button type="submit" class="button primary">{t(T::TokenMake)}</button>
            </form>
        </section>
    }
    // Erased, so the account page around it stays a shallow type.
    .into_any()
}

/// `/beheer/sleutels`: every token with its owner; administrators revoke any of them.
#[component]
pub fn AdminTokens() -> impl IntoView {
    let tokens = Resource::new(|| (), |_| all_tokens());
    let revoked = use_query_map().get_untracked().get("ingetrokken").is_some();
    view! {
        <PageTitle text=t(T::TokensAdminTitle)/>
        <section class="tokens-admin">
            <h1>{t(T::TokensAdminTitle)}</h1>
            <p class="hint">{t(T::TokensAdminIntro)}</p>
            {revoked.then(|| view! { <p class="notice" role="status" id="token-revoked">{t(T::TokenRevokedNotice)}</p> })}
            <Suspense fallback=move || view! { <p class="loading">{t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) if list.is_empty() => Either::Left(view! { <p class="empty">{t(T::TokensNoneAtAll)}</p> }.into_any()),
                        Ok(list) => Either::Left(view! {
                            <ul class="token-list">
                                {list.into_iter().map(|token| {
                                    let revoke = Some(format!("/beheer/sleutels/{}/intrekken", token.id));
                                    view! { <TokenCard token revoke/> }
                                }).collect_view()}
                            </ul>
                        }.into_any()),
                        Err(p) => Either::Right({
                            set_status(p.status);
                            view! { <p class="error" role="alert">{if p.status == 401 { t(T::SignInFirst) } else { t(T::NotAllowed) }}</p> }
                        }),
                    }
                })}
            </Suspense>
        </section>
    }
}
