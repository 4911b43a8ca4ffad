//! Signing up, confirming the address, the school list, and the development mailbox.

use super::auth::Who;
use super::lang::ReqLang;
use crate::db::mail::OutboxMail;
use crate::domain::auth::TokenProblem;
use crate::domain::policy::Action;
use crate::error::{AppError, Result};
use crate::service::signup::{confirm, sign_up, SignUpError, SignUpForm};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use leenpunt_shared::accounts::SchoolOption;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/signup", post(api_sign_up))
        .route("/api/v1/schools", get(schools))
        .route("/api/v1/mailbox", get(mailbox))
        .route("/bevestig/{token}", get(confirm_link))
}

/// Creates a teacher account and mails a confirmation link. Answers the same whether or
/// not the address already has an account.
#[utoipa::path(post, path = "/api/v1/signup", tag = "accounts", request_body = SignUpForm, responses(
    (status = 202, description = "A confirmation mail is on its way"),
    (status = 422, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn api_sign_up(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Json(form): Json<SignUpForm>,
) -> Result<StatusCode> {
    match sign_up(
        &state.db,
        state.clock.now(),
        &state.config.public_url(),
        lang,
        &form,
    )
    .await
    {
        Ok(()) => Ok(StatusCode::ACCEPTED),
        Err(SignUpError::Invalid(errors)) => Err(AppError::Validation(
            errors.into_iter().map(|(_, _, e)| e).collect(),
        )),
        Err(SignUpError::Db(e)) => Err(e.into()),
    }
}

/// The link from the confirmation mail.
async fn confirm_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response> {
    let location = match confirm(&state.db, state.clock.now(), &token).await? {
        Ok(()) => "/aanmelden?bevestigd=1",
        Err(TokenProblem::Expired) => "/aanmelden?fout=link-verlopen",
        Err(TokenProblem::Used) => "/aanmelden?fout=link-gebruikt",
        Err(TokenProblem::Unknown) => "/aanmelden?fout=link-onbekend",
    };
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response())
}

/// All schools, for the sign-up form.
#[utoipa::path(get, path = "/api/v1/schools", tag = "accounts", responses((status = 200, body = Vec<SchoolOption>)))]
pub async fn schools(State(state): State<AppState>) -> Result<Json<Vec<SchoolOption>>> {
    Ok(Json(state.db.school_options().await?))
}

/// The development mailbox: mails kept in the outbox (admins only).
#[utoipa::path(get, path = "/api/v1/mailbox", tag = "accounts", responses(
    (status = 200, body = Vec<OutboxMail>),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 403, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn mailbox(State(state): State<AppState>, who: Who) -> Result<Json<Vec<OutboxMail>>> {
    who.require(Action::ReadMailbox)?;
    Ok(Json(state.db.mailbox(100).await?))
}
