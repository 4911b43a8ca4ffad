//! Liveness and readiness probes.

use super::extract::Json;
use crate::error::{AppError, Result};
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use leenpunt_shared::Readiness;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "Up", body = String)))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// The service can answer: its database is reachable and the writer can take the write
/// lock (within two seconds).
#[utoipa::path(get, path = "/readyz", tag = "health", responses(
    (status = 200, body = Readiness),
    (status = 503, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Readiness>> {
    state
        .db
        .ping()
        .await
        .map_err(|e| AppError::Unavailable(e.to_string()))?;
    state
        .db
        .can_write(std::time::Duration::from_secs(2))
        .await
        .map_err(|e| AppError::Unavailable(format!("writer: {e}")))?;
    Ok(Json(Readiness {
        status: "ok".into(),
        database: "ok".into(),
    }))
}
