//! The requester's language, and the switch that remembers a choice.

use super::auth::Who;
use super::extract::{Path, Query};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leenpunt_shared::Lang;
use serde::Deserialize;

/// The language to answer in, negotiated from cookie and `Accept-Language`.
#[derive(Debug, Clone, Copy)]
pub struct ReqLang(pub Lang);

pub fn lang_of(headers: &HeaderMap) -> Lang {
    let h = |name| {
        headers
            .get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
    };
    Lang::negotiate(h(header::COOKIE), h(header::ACCEPT_LANGUAGE))
}

impl<S: Send + Sync> FromRequestParts<S> for ReqLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ReqLang(lang_of(&parts.headers)))
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/taal/{lang}", get(switch))
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// Only paths on this site: no scheme, no `//host`, no backslash, whitespace or control
/// characters (browsers drop tabs and newlines, turning `/\t/host` into `//host`).
pub fn safe_next(next: Option<String>) -> String {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n
                .chars()
                .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
            && n.parse::<axum::http::uri::PathAndQuery>().is_ok()
    })
    .unwrap_or_else(|| "/".into())
}

/// The cookie that remembers a browser's language choice for a year.
pub fn choice_cookie(lang: Lang) -> String {
    format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        Lang::COOKIE,
        lang.code()
    )
}

/// Switches the page language. Signed in, it is also the person's mail language from now
/// on (a choice made in the header is what people expect everything to follow); a switch
/// another site makes a browser follow changes only the cookie.
async fn switch(
    State(state): State<AppState>,
    headers: HeaderMap,
    who: Who,
    Path(lang): Path<String>,
    Query(next): Query<Next>,
) -> Result<Response, AppError> {
    let target = safe_next(next.next);
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response();
    if let Some(lang) = Lang::parse(&lang) {
        if let Some(user) = who.0.user {
            if super::auth::same_site(&headers, &state.config.public_url()) {
                state.db.set_lang(user, lang).await?;
            }
        }
        if let Ok(v) = choice_cookie(lang).parse() {
            response.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_redirects() {
        assert_eq!(safe_next(Some("/catalogus?q=x".into())), "/catalogus?q=x");
        assert_eq!(safe_next(Some("//evil.example".into())), "/");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/");
        assert_eq!(safe_next(Some("/\\evil".into())), "/");
        assert_eq!(safe_next(Some("/\t/evil.example".into())), "/");
        assert_eq!(safe_next(Some("/\n".into())), "/");
        assert_eq!(safe_next(None), "/");
    }
}
