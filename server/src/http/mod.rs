//! The HTTP surface: routers and thin handlers, merged and wrapped in one place.

pub mod assets;
pub mod audit;
pub mod auth;
pub mod cart;
pub mod cart_pages;
pub mod catalogue;
pub mod closed_days;
pub mod csv_exchange;
pub mod desk;
pub mod drafts;
pub mod erasure;
pub mod extract;
pub mod feeds;
pub mod handover;
pub mod health;
pub mod kit_admin;
pub mod kit_photos;
pub mod lang;
pub mod limits;
pub mod offline;
pub mod openapi;
pub mod pages;
pub mod people;
pub mod privacy;
pub mod registers;
pub mod reservations;
pub mod school_request;
pub mod security;
pub mod signup;
pub mod stats;
pub mod sync;
pub mod tokens;
pub mod trainings;

use crate::error::AppError;
use crate::state::AppState;
use axum::http::{HeaderName, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application: API, pages and assets, with the middleware every request gets.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(catalogue::routes())
        .merge(auth::routes())
        .merge(audit::routes())
        .merge(privacy::routes())
        .merge(erasure::routes())
        .merge(signup::routes())
        .merge(school_request::routes())
        .merge(reservations::routes())
        .merge(cart::routes())
        .merge(closed_days::routes())
        .merge(csv_exchange::routes())
        .merge(feeds::routes())
        .merge(trainings::routes())
        .merge(handover::routes())
        .merge(kit_admin::routes())
        .merge(stats::routes())
        .merge(tokens::routes())
        .merge(people::routes())
        .merge(registers::routes())
        .merge(desk::routes())
        .merge(kit_photos::routes())
        .merge(sync::routes())
        .merge(openapi::routes())
        // Unknown API paths answer as the API does, not with the HTML not-found page.
        .route("/api/{*rest}", any(|| async { AppError::NotFound }));
    let app = Router::new()
        .merge(health::routes())
        .merge(assets::routes())
        .merge(offline::routes())
        .merge(cart_pages::routes())
        .merge(lang::routes())
        .merge(api)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::csrf,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            tokens::bearer,
        ))
        .layer(axum::middleware::from_fn(security::localize_problems))
        .with_state(state.clone());
    // Outermost first: every response, even a panic or a timeout, gets the security
    // headers, a request id, a log line and compression.
    pages::mount(app, state).layer(
        ServiceBuilder::new()
            .layer(axum::middleware::from_fn(security::headers))
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(CompressionLayer::new())
            .layer(axum::middleware::from_fn(security::html_errors))
            .layer(CatchPanicLayer::custom(security::panic_response))
            .layer(axum::middleware::from_fn(timeout))
            .layer(axum::middleware::from_fn({
                let limits = limits::InFlight::default();
                move |request, next| limits::cap(limits.clone(), request, next)
            })),
    )
}

/// A request that takes longer than this is answered 503 (problem+json) and dropped.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

async fn timeout(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::Unavailable("request timed out".into()).into_response(),
    }
}

/// Sends a page's form post back to `target` with `?ok=<ok>`, or with `?fout=<message>`
/// (every field message, else the problem's detail, else its title) when it was refused.
/// Failures that are not the user's (and "sign in first") stay errors.
pub(crate) fn redirect_with_outcome(
    target: &str,
    ok: &str,
    lang: leenpunt_shared::Lang,
    outcome: crate::error::Result<()>,
) -> crate::error::Result<Response> {
    let sep = if target.contains('?') { '&' } else { '?' };
    let target = match outcome {
        Ok(()) => format!(
            "{target}{sep}ok={}",
            leenpunt_shared::query::encode_component(ok)
        ),
        Err(e @ (AppError::Unauthorized | AppError::Db(_) | AppError::Internal(_))) => {
            return Err(e)
        }
        Err(e) => {
            let p = e.problem(lang);
            let fields = p
                .errors
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join(" ");
            let message = if !fields.is_empty() {
                fields
            } else {
                p.detail.unwrap_or(p.title)
            };
            format!(
                "{target}{sep}fout={}",
                leenpunt_shared::query::encode_component(&message)
            )
        }
    };
    Ok(axum::response::Redirect::to(&target).into_response())
}
