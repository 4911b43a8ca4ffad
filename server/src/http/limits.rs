//! In-flight request caps per route class: a burst on one kind of request (server-rendered
//! pages are CPU-heavy, the API may queue on the writer) cannot take every worker, and what
//! does not fit within a short wait is answered 503 + Retry-After at once instead of piling
//! up until it times out.

use crate::error::AppError;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The classes and their caps.
#[derive(Clone)]
pub struct InFlight {
    api: Arc<Semaphore>,
    pages: Arc<Semaphore>,
}

/// Requests of one class allowed at once.
const API_CAP: usize = 512;
const PAGES_CAP: usize = 64;
/// How long a request waits for a place before it is turned away.
const WAIT: Duration = Duration::from_secs(5);

impl Default for InFlight {
    fn default() -> Self {
        InFlight {
            api: Arc::new(Semaphore::new(API_CAP)),
            pages: Arc::new(Semaphore::new(PAGES_CAP)),
        }
    }
}

/// The class of a path: assets and probes are cheap and never capped.
fn class<'a>(limits: &'a InFlight, path: &str) -> Option<&'a Arc<Semaphore>> {
    if path.starts_with("/api/") {
        Some(&limits.api)
    } else if path.starts_with("/pkg/")
        || path.starts_with("/assets/")
        || path.starts_with("/fotos/")
        || path == "/healthz"
        || path == "/readyz"
        || path.ends_with(".css")
        || path.ends_with(".js")
        || path.ends_with(".wasm")
    {
        None
    } else {
        Some(&limits.pages)
    }
}

pub async fn cap(limits: InFlight, request: Request, next: Next) -> Response {
    let Some(class) = class(&limits, request.uri().path()) else {
        return next.run(request).await;
    };
    match tokio::time::timeout(WAIT, class.clone().acquire_owned()).await {
        Ok(Ok(_permit)) => next.run(request).await,
        _ => AppError::Busy("too many requests in flight").into_response(),
    }
}
