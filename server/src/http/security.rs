//! Security headers (with a per-request CSP nonce), panic answers, and localisation of
//! error bodies.

use super::lang::lang_of;
use crate::error::{problem_response, AppError, ErrorMarker};
use crate::texts::Text;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use leenpunt_frontend::ssr::CspNonce;
use leenpunt_shared::Lang;
use rand::RngCore;
use std::any::Any;

fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The Content Security Policy: only our own resources, inline scripts only with this
/// response's nonce, and wasm compilation allowed.
pub fn csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self' 'nonce-{nonce}'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

pub async fn headers(mut request: Request, next: Next) -> Response {
    let nonce = new_nonce();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp(&nonce)) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), microphone=(), geolocation=()"),
    );
    response
}

/// A panic becomes a plain 500 problem; the panic itself is logged.
pub fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    tracing::error!(panic = %crate::domain::privacy::mask_addresses(&detail), "handler panicked");
    problem_response(&AppError::Internal(anyhow::anyhow!("panic")).problem(Lang::default()))
}

/// Re-renders error bodies in the requester's language, keeping status and headers.
/// An API error that is not problem+json yet (axum's own 405) becomes one too.
pub async fn localize_problems(request: Request, next: Next) -> Response {
    let lang = lang_of(request.headers());
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if api && response.status().is_client_error() && !is_problem(&response) {
        return as_problem(response, lang);
    }
    match response.extensions().get::<ErrorMarker>().cloned() {
        Some(ErrorMarker(error)) if lang != Lang::default() => {
            let (mut parts, _) = response.into_parts();
            let localized = problem_response(&error.problem(lang));
            let (_, body) = localized.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.remove(header::CONTENT_ENCODING);
            Response::from_parts(parts, body)
        }
        _ => response,
    }
}

fn is_problem(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
}

/// Replaces a plain client-error body by a problem with the same status, keeping the
/// headers (`Allow` of a 405).
fn as_problem(response: Response, lang: Lang) -> Response {
    let status = response.status();
    let title = match status.as_u16() {
        405 => Text::MethodNotAllowed,
        _ => Text::RequestNotProcessed,
    };
    let problem = leenpunt_shared::Problem {
        kind: "about:blank".to_owned(),
        title: title.get(lang),
        status: status.as_u16(),
        ..leenpunt_shared::Problem::default()
    };
    let (mut parts, _) = response.into_parts();
    let (replacement, body) = problem_response(&problem).into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    if let Some(content_type) = replacement.headers.get(header::CONTENT_TYPE) {
        parts
            .headers
            .insert(header::CONTENT_TYPE, content_type.clone());
    }
    Response::from_parts(parts, body)
}

/// A browser that asked for a page gets a friendly page for a server error, not JSON.
pub async fn html_errors(request: Request, next: Next) -> Response {
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let lang = lang_of(request.headers());
    let response = next.run(request).await;
    if !(wants_html && is_problem(&response) && response.status().is_server_error()) {
        return response;
    }
    let (title, text, home) = (
        Text::ErrorPageTitle.get(lang),
        Text::ErrorPageText.get(lang),
        Text::ErrorPageHome.get(lang),
    );
    let html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title} · Leenpunt</title></head>\
         <body><main><h1>{title}</h1><p>{text}</p><p><a href=\"/\">{home}</a></p></main></body></html>",
        lang.tag()
    );
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // The replaced body may have been compressed already; the new one is not.
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    Response::from_parts(parts, axum::body::Body::from(html))
}
