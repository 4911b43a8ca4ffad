//! The audit log, for admins: filtered pages as JSON, and the same filter as CSV.

use super::auth::Who;
use super::extract::{Json, Query};
use super::lang::ReqLang;
use crate::error::Result;
use crate::service::audit as service;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leenpunt_shared::audit::{AuditPage, AuditQuery};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/audit", get(list))
        .route("/api/v1/audit/export.csv", get(export))
}

/// One page (50) of the audit log, newest first, filtered by person, kind, object and
/// Brussels dates; `next_before` pages on.
#[utoipa::path(get, operation_id = "list_audit_entries", path = "/api/v1/audit", tag = "accounts", security(("session" = [])), params(AuditQuery), responses(
    (status = 200, body = AuditPage),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 403, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 422, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn list(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Query(query): Query<AuditQuery>,
) -> Result<Json<AuditPage>> {
    Ok(Json(service::page(&state.db, &who.0, &query, lang).await?))
}

/// Every entry matching the filter (up to 100,000) as CSV, in the asker's language.
#[utoipa::path(get, path = "/api/v1/audit/export.csv", tag = "accounts", security(("session" = [])), params(AuditQuery), responses(
    (status = 200, content_type = "text/csv", body = String),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 403, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 422, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn export(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Query(query): Query<AuditQuery>,
) -> Result<Response> {
    let body = service::export_csv(&state.db, &who.0, &query, lang).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"leenpunt-audit.csv\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        body,
    )
        .into_response())
}
