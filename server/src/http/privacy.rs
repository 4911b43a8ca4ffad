//! The right of access: everything Leenpunt holds about a person, as JSON.

use super::auth::Who;
use crate::error::{AppError, Result};
use crate::service::privacy as service;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leenpunt_shared::UserId;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me/personal-data", get(mine))
        .route("/api/v1/users/{id}/personal-data", get(theirs))
}

fn download(data: &leenpunt_shared::privacy::PersonalData) -> Result<Response> {
    let body = serde_json::to_string_pretty(data).map_err(anyhow::Error::from)?;
    let name = format!(
        "attachment; filename=\"leenpunt-gegevens-{}.json\"",
        data.person.0
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, name),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// Everything Leenpunt holds about the signed-in person (account, roles, reservations and
/// loans, waiting list, trainings and qualifications, feeds, mails sent to them, audit
/// rows about them …), per table, without password or token hashes.
#[utoipa::path(get, path = "/api/v1/me/personal-data", tag = "accounts", security(("session" = [])), responses(
    (status = 200, body = leenpunt_shared::privacy::PersonalData),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn mine(State(state): State<AppState>, who: Who) -> Result<Response> {
    let person = who.0.user.ok_or(AppError::Unauthorized)?;
    download(&service::personal_data(&state.db, state.clock.as_ref(), &who.0, person).await?)
}

/// The same for any person, for an admin answering a request.
#[utoipa::path(get, path = "/api/v1/users/{id}/personal-data", tag = "accounts", security(("session" = [])),
    params(("id" = i64, Path, description = "The person")), responses(
    (status = 200, body = leenpunt_shared::privacy::PersonalData),
    (status = 400, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 404, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn theirs(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Response> {
    download(&service::personal_data(&state.db, state.clock.as_ref(), &who.0, UserId(id)).await?)
}
