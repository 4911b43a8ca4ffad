//! The audit log, for admins.

use super::auth::Who;
use super::extract::Json;
use crate::domain::policy::Action;
use crate::error::Result;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use leenpunt_shared::accounts::AuditEntry;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/audit", get(list))
}

/// The latest 200 changes: who, when, what.
#[utoipa::path(get, path = "/api/v1/audit", tag = "accounts", security(("session" = [])), responses(
    (status = 200, body = Vec<AuditEntry>),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 403, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn list(State(state): State<AppState>, who: Who) -> Result<Json<Vec<AuditEntry>>> {
    who.require(Action::ViewAuditLog)?;
    Ok(Json(state.db.audit_entries(200).await?))
}
