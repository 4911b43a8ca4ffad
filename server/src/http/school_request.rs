//! "My school is not listed": the request form and its API.

use super::auth::ClientAddr;
use super::extract::Json;
use super::lang::ReqLang;
use crate::domain::schools::SchoolRequestForm;
use crate::error::{AppError, Result};
use crate::service::school_request::request_school;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

/// The page of the form.
const PAGE: &str = "/account-aanmaken/school";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/school-requests", post(api_request))
        .route(PAGE, post(form_request))
}

/// Asks the service to add a school that is not listed; every admin gets a mail.
#[utoipa::path(post, path = "/api/v1/school-requests", tag = "accounts", request_body = SchoolRequestForm, responses(
    (status = 202, description = "The admins were told"),
    (status = 422, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many mails for this address or from this client lately", body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn api_request(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ClientAddr(client): ClientAddr,
    Json(form): Json<SchoolRequestForm>,
) -> Result<StatusCode> {
    request_school(
        &state.db,
        state.clock.now(),
        &state.config.public_url(),
        lang,
        &client,
        &form,
    )
    .await?;
    Ok(StatusCode::ACCEPTED)
}

/// The form without JavaScript: back to the page with a notice, or with each message at
/// its field and what was typed kept.
async fn form_request(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ClientAddr(client): ClientAddr,
    axum::Form(form): axum::Form<SchoolRequestForm>,
) -> Result<Response> {
    let outcome = request_school(
        &state.db,
        state.clock.now(),
        &state.config.public_url(),
        lang,
        &client,
        &form,
    )
    .await;
    let errors = match outcome {
        Ok(()) => return Ok(Redirect::to(&format!("{PAGE}?verstuurd=1")).into_response()),
        Err(AppError::Validation(errors)) => errors,
        Err(AppError::TooManyMails) => vec![leenpunt_shared::FieldError::new(
            "email",
            AppError::TooManyMails.problem(lang).title,
        )],
        Err(other) => return Err(other),
    };
    let location = super::extract::back_to_form(
        PAGE,
        errors,
        &[
            ("name", &form.name),
            ("email", &form.email),
            ("school", &form.school),
            ("municipality", &form.municipality),
            ("number", &form.number),
            ("message", &form.message),
        ],
    );
    Ok(Redirect::to(&location).into_response())
}
