//! Closed days over HTTP: the JSON API and the screen's form posts.

use super::auth::Who;
use super::extract::Json as ApiJson;
use super::extract::{Form, Json, Path};
use super::lang::ReqLang;
use crate::error::Result;
use crate::service::closed_days as service;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::Router;
use leenpunt_shared::reservations::{ClosedDay, NewClosedDay};
use leenpunt_shared::Problem;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/closed-days", get(list).post(add))
        .route("/api/v1/closed-days/{id}", delete(remove))
        .route("/sluitingsdagen", post(form_add))
        .route("/sluitingsdagen/{id}/verwijderen", post(form_remove))
}

/// Closures from today, a year ahead (public: teachers see them in the calendar too).
#[utoipa::path(get, operation_id = "list_closed_days", path = "/api/v1/closed-days", tag = "reservations", responses((status = 200, body = Vec<ClosedDay>)))]
pub async fn list(State(state): State<AppState>, who: Who) -> Result<Json<Vec<ClosedDay>>> {
    Ok(Json(
        service::upcoming(&state.db, state.clock.as_ref(), &who.0).await?,
    ))
}

/// Closes a pickup point (partner admins: their own; admins: any, or all at once).
#[utoipa::path(post, path = "/api/v1/closed-days", tag = "reservations", security(("session" = [])), request_body = NewClosedDay, responses(
    (status = 201, body = ClosedDay),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn add(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<NewClosedDay>,
) -> Result<(StatusCode, Json<ClosedDay>)> {
    Ok((
        StatusCode::CREATED,
        Json(service::add(&state.db, state.clock.as_ref(), &who.0, lang, &body).await?),
    ))
}

/// Removes a closure.
#[utoipa::path(delete, path = "/api/v1/closed-days/{id}", tag = "reservations", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 204, description = "Removed"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
pub async fn remove(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    service::remove(&state.db, state.clock.as_ref(), &who.0, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

const SCREEN: &str = "/beheer/sluitingsdagen";

#[derive(Debug, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    pickup_point: String,
    #[serde(default)]
    first_day: String,
    #[serde(default)]
    last_day: String,
    #[serde(default)]
    reason: String,
}

fn back(lang: leenpunt_shared::Lang, outcome: Result<()>) -> Result<Response> {
    super::redirect_with_outcome(SCREEN, "1", lang, outcome)
}

pub async fn form_add(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Form(form): Form<AddForm>,
) -> Result<Response> {
    let body = NewClosedDay {
        pickup_point: Some(form.pickup_point),
        first_day: form.first_day,
        last_day: Some(form.last_day),
        reason: form.reason,
    };
    back(
        lang,
        service::add(&state.db, state.clock.as_ref(), &who.0, lang, &body)
            .await
            .map(|_| ()),
    )
}

pub async fn form_remove(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Response> {
    back(
        lang,
        service::remove(&state.db, state.clock.as_ref(), &who.0, id).await,
    )
}
