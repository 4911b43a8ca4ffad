//! The HTTP surface: routers and thin handlers, merged and wrapped in one place.

pub mod assets;
pub mod catalogue;
pub mod health;
pub mod lang;
pub mod openapi;
pub mod pages;
pub mod security;

use crate::state::AppState;
use axum::http::{HeaderName, Request, StatusCode};
use axum::Router;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application: API, pages and assets, with the middleware every request gets.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(catalogue::routes())
        .merge(openapi::routes());
    let app = Router::new()
        .merge(health::routes())
        .merge(assets::routes())
        .merge(lang::routes())
        .merge(api)
        .layer(axum::middleware::from_fn(security::localize_problems))
        .with_state(state.clone());
    pages::mount(app, state).layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(axum::middleware::from_fn(security::html_errors))
            .layer(CatchPanicLayer::custom(security::panic_response))
            .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
            .layer(CompressionLayer::new())
            .layer(axum::middleware::from_fn(security::headers)),
    )
}
