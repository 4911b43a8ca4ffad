//! Who is asking (from the session cookie), signing in and out, and CSRF protection.

use super::extract::{Form, Json};
use crate::domain::policy::{Action, Actor};
use crate::error::{AppError, Result};
use crate::service::accounts::{self, LoginError, SESSION_COOKIE};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::Router;
use leenpunt_shared::accounts::{LangChoice, RemindersChoice};
use leenpunt_shared::{Lang, LoginRequest, Me};
use serde::Deserialize;
use std::net::SocketAddr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/session", post(create_session).delete(end_session))
        .route("/api/v1/sessions", delete(end_all_sessions))
        .route("/api/v1/me", get(me))
        .route("/api/v1/me/lang", put(set_lang))
        .route("/api/v1/me/reminders", put(set_reminders))
        .route("/sessie", post(form_login))
        .route("/afmelden", post(form_logout))
        .route("/mijn-account/taal", post(form_set_lang))
        .route("/mijn-account/herinneringen", post(form_set_reminders))
}

/// The value of a request cookie, if any.
pub(super) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The session cookie's value, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE)
}

/// Whoever is asking: the session's user with their roles, or anonymous.
pub struct Who(pub Actor);

impl FromRequestParts<AppState> for Who {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        // An API request with an access token acts as the token's owner (`tokens::bearer`).
        if let Some(bearer) = super::tokens::bearer_of(&parts.extensions) {
            return Ok(Who(bearer.actor.clone()));
        }
        let Some(token) = session_token(&parts.headers) else {
            return Ok(Who(Actor::anonymous()));
        };
        let actor = accounts::authenticate(&state.db, state.clock.as_ref(), &token).await?;
        Ok(Who(actor.unwrap_or_default()))
    }
}

impl Who {
    /// Refuses unless the policy allows the action: 401 when anonymous, 403 otherwise.
    pub fn require(&self, action: Action) -> Result<()> {
        crate::service::require(&self.0, action)
    }
}

/// The client's address (behind trusted proxies, from `X-Forwarded-For`), for throttles.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> std::result::Result<Self, Self::Rejection> {
        let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() else {
            return Ok(ClientAddr("unknown".into()));
        };
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        Ok(ClientAddr(
            crate::domain::net::client_address(peer.ip(), forwarded, &state.proxies).to_string(),
        ))
    }
}

fn session_cookie(state: &AppState, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.config.public_url().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

const SESSION_MAX_AGE: i64 = crate::domain::auth::SESSION_ABSOLUTE_DAYS * 24 * 3600;

async fn start(
    state: &AppState,
    headers: &HeaderMap,
    email: &str,
    password: &str,
    client: &str,
) -> Result<Vec<HeaderValue>> {
    let previous = session_token(headers);
    match accounts::login(
        &state.db,
        state.clock.as_ref(),
        email,
        password,
        client,
        previous.as_deref(),
    )
    .await
    {
        Ok((token, user)) => {
            // A language chosen in this browser before signing in is the person's choice.
            if let Some(lang) = chosen_lang(headers) {
                state.db.set_lang(user, lang).await?;
            }
            // So is a cart filled in this browser before signing in (issue 20).
            let mut cookies = vec![session_cookie(state, &token, SESSION_MAX_AGE)];
            // Signing in does not fail for it: the cookie stays for the next sign-in.
            if let Some(anon) = super::cart::anonymous_cart(headers) {
                let clock = state.clock.as_ref();
                match crate::service::cart::anonymous::merge(&state.db, clock, user, &anon).await {
                    Ok(()) => cookies.push(super::cart::cart_cookie(state, &Default::default())),
                    Err(e) => tracing::warn!(error = %e, "the visitor's cart was not merged"),
                }
            }
            Ok(cookies)
        }
        Err(LoginError::Invalid) => Err(AppError::BadCredentials),
        Err(LoginError::Throttled) => Err(AppError::TooManyRequests),
        Err(LoginError::Unconfirmed) => Err(AppError::Unconfirmed),
        Err(LoginError::Db(e)) => Err(e.into()),
    }
}

/// Signs in. A new session id is issued on every login.
#[utoipa::path(post, operation_id = "sign_in", path = "/api/v1/session", tag = "accounts", request_body = LoginRequest, responses(
    (status = 204, description = "Signed in; the session cookie is set"),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 429, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn create_session(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    request: Request,
) -> Result<Response> {
    let headers = request.headers().clone();
    let body = axum::body::to_bytes(request.into_body(), 64 * 1024)
        .await
        .map_err(|_| bad_body())?;
    let login: LoginRequest = serde_json::from_slice(&body).map_err(|_| bad_body())?;
    let cookies = start(&state, &headers, &login.email, &login.password, &client).await?;
    let set = cookies.into_iter().map(|c| (header::SET_COOKIE, c));
    Ok((StatusCode::NO_CONTENT, axum::response::AppendHeaders(set)).into_response())
}

fn bad_body() -> AppError {
    AppError::Validation(vec![leenpunt_shared::FieldError::new(
        "body",
        "email and password are required",
    )])
}

/// Signs out of this browser.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts", responses((status = 204, description = "Signed out")))]
pub async fn end_session(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    if let Some(token) = session_token(&headers) {
        accounts::logout(&state.db, &token).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [
            (header::SET_COOKIE, session_cookie(&state, "", 0)),
            (
                header::HeaderName::from_static("clear-site-data"),
                HeaderValue::from_static(super::offline::CLEAR_SITE_DATA),
            ),
        ],
    )
        .into_response())
}

/// Signs out everywhere: ends every session of the signed-in user.
#[utoipa::path(delete, path = "/api/v1/sessions", tag = "accounts", security(("session" = [])), responses(
    (status = 204, description = "All sessions ended"),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn end_all_sessions(State(state): State<AppState>, who: Who) -> Result<Response> {
    who.require(Action::ViewOwnAccount)?;
    let user = who.0.user.ok_or(AppError::Unauthorized)?;
    state
        .db
        .end_all_sessions(user, &state.clock.now().to_rfc3339())
        .await?;
    Ok((
        StatusCode::NO_CONTENT,
        [
            (header::SET_COOKIE, session_cookie(&state, "", 0)),
            (
                header::HeaderName::from_static("clear-site-data"),
                HeaderValue::from_static(super::offline::CLEAR_SITE_DATA),
            ),
        ],
    )
        .into_response())
}

/// The signed-in user and their roles.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("session" = [])), responses(
    (status = 200, body = Me),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn me(State(state): State<AppState>, who: Who) -> Result<Json<Me>> {
    who.require(Action::ViewOwnAccount)?;
    let user = who.0.user.ok_or(AppError::Unauthorized)?;
    state
        .db
        .me(user)
        .await?
        .map(Json)
        .ok_or(AppError::Unauthorized)
}

/// Chooses the language of the signed-in person's mails (the header's language switch does
/// the same for a signed-in browser).
#[utoipa::path(put, path = "/api/v1/me/lang", tag = "accounts", security(("session" = [])), request_body = LangChoice, responses(
    (status = 204, description = "Stored: mails from now on are in this language"),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn set_lang(
    State(state): State<AppState>,
    who: Who,
    Json(choice): Json<LangChoice>,
) -> Result<StatusCode> {
    who.require(Action::ViewOwnAccount)?;
    let user = who.0.user.ok_or(AppError::Unauthorized)?;
    state.db.set_lang(user, choice.lang).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Switches the signed-in person's reminders and digests on or off. Confirmations,
/// waiting-list offers and overdue notices always go.
#[utoipa::path(put, path = "/api/v1/me/reminders", tag = "accounts", security(("session" = [])), request_body = RemindersChoice, responses(
    (status = 204, description = "Stored"),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn set_reminders(
    State(state): State<AppState>,
    who: Who,
    Json(choice): Json<RemindersChoice>,
) -> Result<StatusCode> {
    who.require(Action::ViewOwnAccount)?;
    let user = who.0.user.ok_or(AppError::Unauthorized)?;
    state.db.set_reminders(user, choice.on).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where an account form sent without a session goes: sign in, then back to the account.
fn to_account_sign_in() -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, "/aanmelden?next=/mijn-account")],
    )
        .into_response()
}

#[derive(Deserialize)]
struct RemindersForm {
    /// Present (any value) when the box is ticked: an unticked checkbox sends nothing.
    on: Option<String>,
}

/// The account page's reminders form (works without JavaScript).
async fn form_set_reminders(
    State(state): State<AppState>,
    who: Who,
    Form(form): Form<RemindersForm>,
) -> Result<Response> {
    let Some(user) = who.0.user else {
        return Ok(to_account_sign_in());
    };
    state.db.set_reminders(user, form.on.is_some()).await?;
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, "/mijn-account?ok=herinneringen")],
    )
        .into_response())
}

/// The language a browser chose explicitly (the switch's cookie), not one guessed from
/// `Accept-Language`.
pub fn chosen_lang(headers: &HeaderMap) -> Option<Lang> {
    cookie(headers, Lang::COOKIE).and_then(|v| Lang::parse(&v))
}

#[derive(Deserialize)]
struct LangForm {
    lang: String,
}

/// The account page's language form: stores the mail language and, like the header's
/// switch, makes it the page language too.
async fn form_set_lang(
    State(state): State<AppState>,
    who: Who,
    Form(form): Form<LangForm>,
) -> Result<Response> {
    let Some(user) = who.0.user else {
        return Ok(to_account_sign_in());
    };
    let Some(lang) = Lang::parse(&form.lang) else {
        return Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/mijn-account")]).into_response());
    };
    state.db.set_lang(user, lang).await?;
    let cookie = super::lang::choice_cookie(lang);
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/mijn-account?ok=taal".to_owned()),
            (header::SET_COOKIE, cookie),
        ],
    )
        .into_response())
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// The sign-in form of the `/aanmelden` page (works without JavaScript).
async fn form_login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = super::lang::safe_next(form.next);
    match start(&state, &headers, &form.email, &form.password, &client).await {
        Ok(cookies) => (
            StatusCode::SEE_OTHER,
            [(
                header::LOCATION,
                HeaderValue::from_str(&next).unwrap_or(HeaderValue::from_static("/")),
            )],
            axum::response::AppendHeaders(cookies.into_iter().map(|c| (header::SET_COOKIE, c))),
        )
            .into_response(),
        Err(e) => {
            let reason = match e {
                AppError::TooManyRequests => "teveel",
                AppError::BadCredentials => "ongeldig",
                AppError::Unconfirmed => "onbevestigd",
                _ => "storing",
            };
            let back = format!(
                "/aanmelden?fout={reason}&next={}",
                leenpunt_shared::query::encode_component(&next)
            );
            (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response()
        }
    }
}

async fn form_logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session_token(&headers) {
        let _ = accounts::logout(&state.db, &token).await;
    }
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, HeaderValue::from_static("/")),
            (header::SET_COOKIE, session_cookie(&state, "", 0)),
            (
                header::HeaderName::from_static("clear-site-data"),
                HeaderValue::from_static(super::offline::CLEAR_SITE_DATA),
            ),
        ],
    )
        .into_response()
}

/// Refuses state-changing requests that a browser sends on behalf of another site.
/// `Origin` (or, without it, `Sec-Fetch-Site`) must say the request comes from this site.
/// Requests without either header are not from a browser form or script and carry no
/// ambient authority worth forging; neither do requests with an access token (a browser
/// never adds one by itself, and `tokens::bearer` dropped their cookies).
pub async fn csrf(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let token = super::tokens::bearer_of(request.extensions()).is_some();
    if safe || token || same_site(request.headers(), &state.config.public_url()) {
        next.run(request).await
    } else {
        AppError::Forbidden.into_response()
    }
}

/// Whether a request comes from this site: its `Origin` has the scheme of the public
/// address and either its host or the `Host` the request was sent to (a proxy may keep
/// the public name). `http://` pages cannot forge requests to an `https://` site.
pub(super) fn same_site(headers: &HeaderMap, public_url: &str) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (public_scheme, public_authority) = public_url
        .trim_end_matches('/')
        .split_once("://")
        .unwrap_or(("http", public_url));
    let public_authority = public_authority.split('/').next().unwrap_or_default();
    match get("origin") {
        Some(origin) => match origin.split_once("://") {
            Some((scheme, authority)) => {
                scheme.eq_ignore_ascii_case(public_scheme)
                    && (authority.eq_ignore_ascii_case(public_authority)
                        || get("host").is_some_and(|host| authority.eq_ignore_ascii_case(host)))
            }
            None => false,
        },
        None => get("sec-fetch-site").is_none_or(|site| site == "same-origin" || site == "none"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    axum::http::HeaderName::from_static(k),
                    HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    #[test]
    fn same_site_rules() {
        let public = "http://127.0.0.1:3000";
        assert!(same_site(
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            public
        ));
        assert!(!same_site(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            public
        ));
        assert!(!same_site(
            &headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]),
            public
        ));
        assert!(!same_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            public
        ));
        assert!(same_site(
            &headers(&[("sec-fetch-site", "same-origin")]),
            public
        ));
        assert!(same_site(&headers(&[]), public), "non-browser clients");
    }

    #[test]
    fn the_scheme_counts() {
        let public = "https://leenpunt.example.be";
        assert!(same_site(
            &headers(&[
                ("origin", "https://leenpunt.example.be"),
                ("host", "10.0.0.7:3000")
            ]),
            public
        ));
        assert!(!same_site(
            &headers(&[
                ("origin", "http://leenpunt.example.be"),
                ("host", "leenpunt.example.be")
            ]),
            public
        ));
        assert!(!same_site(
            &headers(&[
                ("origin", "https://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            "http://127.0.0.1:3000"
        ));
    }

    #[test]
    fn finds_the_session_cookie() {
        let h = headers(&[("cookie", "leenpunt_lang=en; leenpunt_session=abc")]);
        assert_eq!(session_token(&h).as_deref(), Some("abc"));
    }
}
