//! Personal access tokens over HTTP: `Authorization: Bearer lp_…` on the API (the
//! [`bearer`] middleware), the token API, the account page's forms and the
//! administrators' list.
//!
//! Bearer tokens count on `/api/…` only; page and form routes ignore the header and keep
//! to the session cookie (and its CSRF checks).

use super::auth::Who;
use super::extract::{Form, Json, Path};
use super::lang::{lang_of, ReqLang};
use crate::domain::policy::Actor;
use crate::domain::tokens::Refusal;
use crate::error::{problem_response, AppError, Result};
use crate::service::tokens::{self as service, Bearer};
use crate::state::AppState;
use crate::texts::Text;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use leenpunt_frontend::pages::tokens::{TokensBackend, TokensBackendHandle};
use leenpunt_frontend::ssr::BoxFuture;
use leenpunt_shared::tokens::{AccessToken, CreatedToken, NewToken, TokenScope, TokensScreen};
use leenpunt_shared::{Lang, Problem};
use serde::Deserialize;
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me/tokens", get(list_mine).post(create))
        .route("/api/v1/me/tokens/{id}", delete(revoke_mine))
        .route("/api/v1/tokens", get(list_all))
        .route("/api/v1/tokens/{id}", delete(revoke_any))
        .route("/mijn-account/sleutels", post(form_create))
        .route(
            "/mijn-account/sleutels/{id}/intrekken",
            post(form_revoke_mine),
        )
        .route("/beheer/sleutels/{id}/intrekken", post(form_revoke_any))
}

/// Requests a token cannot make: signing in (that starts a cookie session) and making
/// tokens (a stolen token must not be able to mint longer-lived ones).
pub(crate) fn session_only(method: &Method, path: &str) -> bool {
    path == "/api/v1/session" || (method == Method::POST && path == "/api/v1/me/tokens")
}

/// A refused bearer request, as problem+json in the requester's language.
fn refused(status: StatusCode, kind: &str, title: Text, detail: String, lang: Lang) -> Response {
    let problem = Problem {
        kind: format!("/problems/{kind}"),
        title: title.get(lang),
        status: status.as_u16(),
        detail: Some(detail),
        ..Problem::default()
    };
    let mut response = problem_response(&problem);
    if status == StatusCode::UNAUTHORIZED {
        // RFC 6750: the scheme, and that the token itself was the problem.
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"leenpunt\", error=\"invalid_token\""),
        );
    }
    response
}

/// Authenticates `Authorization` on API requests. A request with the header is a token
/// request and nothing else: its cookies are dropped before any handler sees them (so no
/// session is used, and CSRF checks, which guard cookies, do not apply), it never gets a
/// `Set-Cookie`, a bad token is 401 and a read-only token on a write is 403 before any
/// handler runs, so nothing is written. Every audit row the request writes names the token.
pub async fn bearer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let Some(value) = request.headers().get(header::AUTHORIZATION).cloned() else {
        return next.run(request).await;
    };
    let lang = lang_of(request.headers());
    request.headers_mut().remove(header::COOKIE);
    let invalid = |refusal| {
        refused(
            StatusCode::UNAUTHORIZED,
            "invalid-token",
            Text::TokenInvalidTitle,
            service::refusal_text(refusal, lang),
            lang,
        )
    };
    let Ok(value) = value.to_str() else {
        return invalid(Refusal::Malformed);
    };
    let found = service::authenticate(&state.db, state.clock.as_ref(), value).await;
    let bearer = match found {
        Ok(Ok(bearer)) => bearer,
        Ok(Err(refusal)) => return invalid(refusal),
        Err(e) => return AppError::from(e).into_response(),
    };
    let method = request.method().clone();
    if session_only(&method, request.uri().path()) {
        return refused(
            StatusCode::FORBIDDEN,
            "session-required",
            Text::TokenSessionOnlyTitle,
            Text::TokenSessionOnlyDetail.get(lang),
            lang,
        );
    }
    let safe = matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !crate::domain::tokens::allows(bearer.scope, safe) {
        return refused(
            StatusCode::FORBIDDEN,
            "token-read-only",
            Text::TokenReadOnlyTitle,
            Text::TokenReadOnlyDetail.get(lang),
            lang,
        );
    }
    let token = bearer.token;
    request.extensions_mut().insert(bearer);
    let mut response = crate::db::tokens::acting_with(token, next.run(request)).await;
    response.headers_mut().remove(header::SET_COOKIE);
    response
}

/// The token a request was authenticated with, if any (for `auth::Who` and the CSRF check).
pub fn bearer_of(parts: &axum::http::Extensions) -> Option<&Bearer> {
    parts.get::<Bearer>()
}

/// The signed-in person's tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "accounts", security(("session" = [])), responses(
    (status = 200, body = Vec<AccessToken>),
))]
pub async fn list_mine(State(state): State<AppState>, who: Who) -> Result<Json<Vec<AccessToken>>> {
    Ok(Json(
        service::mine(&state.db, state.clock.as_ref(), &who.0).await?,
    ))
}

/// Makes a token; the answer holds its secret, the only time it is shown. Needs a
/// session: a token cannot make tokens (403 `/problems/session-required`).
#[utoipa::path(post, operation_id = "create_token", path = "/api/v1/me/tokens", tag = "accounts", security(("session" = [])), request_body = NewToken, responses(
    (status = 201, body = CreatedToken),
))]
pub async fn create(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Json(body): Json<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>)> {
    let created = service::create(&state.db, state.clock.as_ref(), &who.0, &body, lang).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Revokes one of the signed-in person's tokens (a token may revoke itself).
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "accounts", security(("session" = [])),
    params(("id" = i64, Path, description = "The token's id")),
    responses((status = 204, description = "Revoked (also when it already was)")))]
pub async fn revoke_mine(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    service::revoke(&state.db, state.clock.as_ref(), &who.0, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every token with its owner (administrators).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", security(("session" = [])), responses(
    (status = 200, body = Vec<AccessToken>),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn list_all(State(state): State<AppState>, who: Who) -> Result<Json<Vec<AccessToken>>> {
    Ok(Json(
        service::all(&state.db, state.clock.as_ref(), &who.0).await?,
    ))
}

/// Revokes anyone's token (administrators).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", security(("session" = [])),
    params(("id" = i64, Path, description = "The token's id")),
    responses((status = 204, description = "Revoked (also when it already was)")))]
pub async fn revoke_any(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    service::revoke(&state.db, state.clock.as_ref(), &who.0, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The account page's token form (strings as typed: a no-JavaScript form).
#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    expires_in_days: String,
}

const ACCOUNT: &str = "/mijn-account";

fn to_sign_in() -> Response {
    Redirect::to("/aanmelden?next=/mijn-account").into_response()
}

/// Makes a token from the account page and goes back there with its secret sealed in the
/// address (see `service::tokens::reveal`); a refused form comes back filled in.
async fn form_create(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: axum::http::HeaderMap,
    Form(form): Form<TokenForm>,
) -> Result<Response> {
    let (Some(_), Some(session)) = (who.0.user, super::auth::session_token(&headers)) else {
        return Ok(to_sign_in());
    };
    let body = NewToken {
        name: form.name.clone(),
        scope: TokenScope::parse(&form.scope).unwrap_or(TokenScope::Read),
        // Not a number is out of range, with the same message.
        expires_in_days: Some(form.expires_in_days.trim().parse().unwrap_or(0)),
    };
    match service::create(&state.db, state.clock.as_ref(), &who.0, &body, lang).await {
        Ok(created) => {
            let sealed = service::seal_for_page(&created, &session).unwrap_or_default();
            let to = format!(
                "{ACCOUNT}?nieuwe_sleutel={}.{sealed}#sleutels",
                created.token.id
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let back = super::extract::back_to_form(ACCOUNT, errors, &[("name", &form.name)]);
            Ok(Redirect::to(&format!("{back}#sleutels")).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn form_revoke(state: &AppState, actor: &Actor, id: i64, any: bool) -> Result<Response> {
    if actor.user.is_none() {
        return Ok(to_sign_in());
    }
    service::revoke(&state.db, state.clock.as_ref(), actor, id, any).await?;
    let to = if any {
        "/beheer/sleutels?ingetrokken=1".to_owned()
    } else {
        format!("{ACCOUNT}?sleutel_ingetrokken=1#sleutels")
    };
    Ok(Redirect::to(&to).into_response())
}

async fn form_revoke_mine(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Response> {
    form_revoke(&state, &who.0, id, false).await
}

async fn form_revoke_any(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Response> {
    form_revoke(&state, &who.0, id, true).await
}

/// What the token pages read while rendering.
pub struct PageTokens {
    pub state: AppState,
}

impl PageTokens {
    pub fn handle(state: AppState) -> TokensBackendHandle {
        TokensBackendHandle(Arc::new(PageTokens { state }))
    }
}

fn asker(request: &Parts) -> Actor {
    request
        .extensions
        .get::<Actor>()
        .cloned()
        .unwrap_or_default()
}

impl TokensBackend for PageTokens {
    fn my_tokens(
        &self,
        request: Parts,
        fresh: Option<String>,
    ) -> BoxFuture<std::result::Result<TokensScreen, Problem>> {
        let state = self.state.clone();
        Box::pin(async move {
            let lang = lang_of(&request.headers);
            let actor = asker(&request);
            let run = async {
                let tokens = service::mine(&state.db, state.clock.as_ref(), &actor).await?;
                let session = super::auth::session_token(&request.headers);
                let fresh = match (
                    fresh.as_deref().and_then(|f| f.split_once('.')),
                    actor.user,
                    session,
                ) {
                    (Some((id, sealed)), Some(user), Some(session)) => match id.parse() {
                        Ok(id) => {
                            service::reveal(
                                &state.db,
                                state.clock.as_ref(),
                                user,
                                id,
                                sealed,
                                &session,
                            )
                            .await?
                        }
                        Err(_) => None,
                    },
                    _ => None,
                };
                Ok::<_, AppError>(TokensScreen { tokens, fresh })
            };
            run.await.map_err(|e| e.problem(lang))
        })
    }

    fn all_tokens(
        &self,
        request: Parts,
    ) -> BoxFuture<std::result::Result<Vec<AccessToken>, Problem>> {
        let state = self.state.clone();
        Box::pin(async move {
            let lang = lang_of(&request.headers);
            service::all(&state.db, state.clock.as_ref(), &asker(&request))
                .await
                .map_err(|e| e.problem(lang))
        })
    }
}
