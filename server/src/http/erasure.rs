//! The right to erasure over HTTP: a person asks (API and the account page's form), an
//! admin lists, confirms or refuses (API and `/beheer/verwijderverzoeken`'s forms).

use super::auth::Who;
use super::extract::{Form, Json, Path};
use super::lang::ReqLang;
use crate::error::{AppError, Result};
use crate::service::erasure as service;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use leenpunt_shared::privacy::{ErasureRequest, RefuseErasure};
use serde::Deserialize;

/// The admins' page of pending requests.
const PAGE: &str = "/beheer/verwijderverzoeken";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me/erasure-request", post(ask))
        .route("/api/v1/erasure-requests", get(pending))
        .route("/api/v1/erasure-requests/{id}/confirm", post(confirm))
        .route("/api/v1/erasure-requests/{id}/refuse", post(refuse))
        .route("/mijn-account/verwijderen", post(form_ask))
        .route(
            "/beheer/verwijderverzoeken/{id}/bevestigen",
            post(form_confirm),
        )
        .route(
            "/beheer/verwijderverzoeken/{id}/weigeren",
            post(form_refuse),
        )
}

/// Asks to delete the signed-in person's account. An admin decides; until then nothing
/// changes. Asking again while a request is pending changes nothing either.
#[utoipa::path(post, path = "/api/v1/me/erasure-request", tag = "accounts", security(("session" = [])), responses(
    (status = 202, description = "Asked; an admin decides"),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn ask(State(state): State<AppState>, who: Who) -> Result<StatusCode> {
    service::request(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        &state.config.public_url(),
    )
    .await?;
    Ok(StatusCode::ACCEPTED)
}

/// Pending erasure requests, oldest first, each with what still blocks it (admins).
#[utoipa::path(get, path = "/api/v1/erasure-requests", tag = "accounts", security(("session" = [])), responses(
    (status = 200, body = Vec<ErasureRequest>),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 403, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn pending(State(state): State<AppState>, who: Who) -> Result<Json<Vec<ErasureRequest>>> {
    if who.0.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    if !who.0.is_admin() {
        return Err(AppError::Forbidden);
    }
    let screen = service::screen(&state.db, state.clock.as_ref(), &who.0).await?;
    Ok(Json(screen.pending))
}

/// Confirms a request: the account is erased at once, in one transaction (409, naming
/// them, while loans, reservations, waiting-list places or sessions are still running).
#[utoipa::path(post, path = "/api/v1/erasure-requests/{id}/confirm", tag = "accounts", security(("session" = [])),
    params(("id" = i64, Path, description = "The request")), responses(
    (status = 204, description = "Erased"),
    (status = 400, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 404, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 409, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn confirm(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    service::confirm(&state.db, state.clock.as_ref(), &who.0, id, lang).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Refuses a request with a reason the person gets by mail.
#[utoipa::path(post, path = "/api/v1/erasure-requests/{id}/refuse", tag = "accounts", security(("session" = [])),
    params(("id" = i64, Path, description = "The request")), request_body = RefuseErasure, responses(
    (status = 204, description = "Refused"),
    (status = 400, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 404, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 422, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn refuse(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    Json(body): Json<RefuseErasure>,
) -> Result<StatusCode> {
    service::refuse(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        id,
        &body.reason,
        lang,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The account page's "delete my account" form (works without JavaScript).
async fn form_ask(State(state): State<AppState>, who: Who) -> Result<Response> {
    if who.0.user.is_none() {
        return Ok(Redirect::to("/aanmelden?next=/mijn-account").into_response());
    }
    service::request(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        &state.config.public_url(),
    )
    .await?;
    Ok(Redirect::to("/mijn-account?verzoek=verzonden").into_response())
}

async fn form_confirm(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Response> {
    if who.0.user.is_none() {
        return Ok(Redirect::to(&format!("/aanmelden?next={PAGE}")).into_response());
    }
    let outcome = service::confirm(&state.db, state.clock.as_ref(), &who.0, id, lang).await;
    super::redirect_with_outcome(PAGE, "verwijderd", lang, outcome)
}

#[derive(Deserialize)]
struct RefuseForm {
    #[serde(default)]
    reason: String,
}

async fn form_refuse(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    Form(form): Form<RefuseForm>,
) -> Result<Response> {
    if who.0.user.is_none() {
        return Ok(Redirect::to(&format!("/aanmelden?next={PAGE}")).into_response());
    }
    let outcome = service::refuse(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        id,
        &form.reason,
        lang,
    )
    .await;
    super::redirect_with_outcome(PAGE, "geweigerd", lang, outcome)
}
