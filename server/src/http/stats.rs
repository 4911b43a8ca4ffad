//! "In cijfers": the managers' report, its tables as CSV, and the public figures.

use super::auth::Who;
use super::extract::{Json, Query};
use super::lang::ReqLang;
use crate::error::Result;
use crate::service::stats as service;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leenpunt_shared::stats::{PublicStats, StatsReport};
use leenpunt_shared::Problem;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/stats", get(report))
        .route("/api/v1/stats/csv", get(csv))
        .route("/api/v1/stats/public", get(public))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PeriodParams {
    /// First day (`YYYY-MM-DD`); the start of `to`'s school year by default.
    pub from: Option<String>,
    /// Last day (`YYYY-MM-DD`), included; the end of `from`'s school year by default.
    /// Neither given: this school year.
    pub to: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct CsvParams {
    /// `kits`, `partners`, `groups`, `municipalities`, `utilisation`, `weeks` or `demand`.
    pub table: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The figures of a period beside the previous period of equal length: admins see every
/// partner service, partner admins their own.
#[utoipa::path(get, path = "/api/v1/stats", tag = "stats", security(("session" = [])), params(PeriodParams), responses(
    (status = 200, body = StatsReport),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn report(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Query(p): Query<PeriodParams>,
) -> Result<Json<StatsReport>> {
    Ok(Json(
        service::report(
            &state.db,
            state.clock.as_ref(),
            &state.stats_cache,
            &who.0,
            lang,
            p.from.as_deref(),
            p.to.as_deref(),
        )
        .await?,
    ))
}

/// One table of the report as CSV: `key,label,<columns>,previous_<columns>`.
#[utoipa::path(get, path = "/api/v1/stats/csv", tag = "stats", security(("session" = [])), params(CsvParams), responses(
    (status = 200, content_type = "text/csv", body = String, description = "The table as CSV"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn csv(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Query(p): Query<CsvParams>,
) -> Result<Response> {
    let (name, body) = service::table_csv(
        &state.db,
        state.clock.as_ref(),
        &state.stats_cache,
        &who.0,
        lang,
        &p.table,
        (p.from.as_deref(), p.to.as_deref()),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// The anonymous figures of the last completed school year (no school or person names).
#[utoipa::path(get, path = "/api/v1/stats/public", tag = "stats", responses(
    (status = 200, body = PublicStats),
))]
pub async fn public(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
) -> Result<Json<PublicStats>> {
    Ok(Json(
        service::public(&state.db, state.clock.as_ref(), &state.stats_cache, lang).await?,
    ))
}
