//! Signing up, confirming the address, the school list, and the development mailbox.

use super::auth::{ClientAddr, Who};
use super::extract::{Json, Path};
use super::lang::ReqLang;
use crate::db::mail::OutboxMail;
use crate::domain::auth::TokenProblem;
use crate::domain::policy::Action;
use crate::error::{AppError, Result};
use crate::service::signup::{confirm, sign_up, SignUpError, SignUpForm};
use crate::state::AppState;
use crate::texts::Text;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use leenpunt_shared::accounts::SchoolOption;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/signup", post(api_sign_up))
        .route("/api/v1/schools", get(schools))
        .route("/api/v1/mailbox", get(mailbox))
        .route("/bevestig/{token}", get(confirm_link))
        .route("/api/v1/password-reset", post(api_request_reset))
        .route("/api/v1/password-reset/{token}", post(api_reset))
        .route("/wachtwoord-vergeten", post(form_request_reset))
        .route("/wachtwoord/{token}", post(form_reset))
        .route("/account-aanmaken", post(form_sign_up))
        .route("/api/v1/invitations", post(api_invite))
        .route("/api/v1/invitations/{token}/accept", post(api_accept))
        .route("/uitnodigingen", post(form_invite))
        .route("/uitnodiging/{token}", post(form_accept))
}

/// Creates a teacher account and mails a confirmation link. Answers the same whether or
/// not the address already has an account.
#[utoipa::path(post, path = "/api/v1/signup", tag = "accounts", request_body = SignUpForm, responses(
    (status = 202, description = "A confirmation mail is on its way"),
    (status = 422, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many mails for this address or from this client lately", body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 503, description = "Too busy right now; nothing was saved", body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn api_sign_up(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ClientAddr(client): ClientAddr,
    Json(form): Json<SignUpForm>,
) -> Result<StatusCode> {
    match sign_up(
        &state.db,
        state.clock.now(),
        &state.config.public_url(),
        lang,
        &client,
        &form,
    )
    .await
    {
        Ok(()) => Ok(StatusCode::ACCEPTED),
        Err(SignUpError::Invalid(errors)) => Err(AppError::Validation(
            errors.into_iter().map(|(_, _, e)| e).collect(),
        )),
        Err(SignUpError::Throttled) => Err(AppError::TooManyMails),
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
#[utoipa::path(get, operation_id = "list_schools", path = "/api/v1/schools", tag = "accounts", responses((status = 200, body = Vec<SchoolOption>)))]
pub async fn schools(State(state): State<AppState>) -> Result<Json<Vec<SchoolOption>>> {
    Ok(Json(state.db.school_options().await?))
}

/// The development mailbox: mails kept in the outbox (admins only).
#[utoipa::path(get, path = "/api/v1/mailbox", tag = "accounts", security(("session" = [])), responses(
    (status = 200, body = Vec<OutboxMail>),
    (status = 401, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 403, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn mailbox(State(state): State<AppState>, who: Who) -> Result<Json<Vec<OutboxMail>>> {
    who.require(Action::ReadMailbox)?;
    Ok(Json(state.db.mailbox(100).await?))
}

/// Asks for a password-reset mail.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct ResetRequest {
    pub email: String,
}

/// A new password, with the token from the mail.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct NewPassword {
    pub password: String,
}

/// Mails a reset link if the address has an account; the answer is always 202.
#[utoipa::path(post, path = "/api/v1/password-reset", tag = "accounts", request_body = ResetRequest, responses(
    (status = 202, description = "If the address has an account, a mail is on its way"),
    (status = 429, description = "Too many mails for this address or from this client lately", body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn api_request_reset(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    super::reservations::ApiJson(body): super::reservations::ApiJson<ResetRequest>,
) -> Result<StatusCode> {
    let sent = crate::service::signup::request_reset(
        &state.db,
        state.clock.now(),
        &state.config.public_url(),
        &client,
        &body.email,
    )
    .await?;
    if !sent {
        return Err(AppError::TooManyMails);
    }
    Ok(StatusCode::ACCEPTED)
}

fn reset_error(
    problem: crate::service::signup::ResetProblem,
    lang: leenpunt_shared::Lang,
) -> AppError {
    use crate::service::signup::ResetProblem;
    let (field, message) = match problem {
        ResetProblem::Password(p) => ("password", p.message(lang)),
        ResetProblem::Token(TokenProblem::Expired) => {
            ("token", Text::ThisLinkHasExpiredAskFor.get(lang))
        }
        ResetProblem::Token(TokenProblem::Used) => {
            ("token", Text::ThisLinkWasUsedAlreadyAsk.get(lang))
        }
        ResetProblem::Token(TokenProblem::Unknown) => {
            ("token", Text::ThisLinkIsNotValidAsk.get(lang))
        }
    };
    AppError::Validation(vec![leenpunt_shared::FieldError::new(field, message)])
}

/// Sets a new password with the token from the reset mail; every session ends.
#[utoipa::path(post, path = "/api/v1/password-reset/{token}", tag = "accounts", params(("token" = String, Path)), request_body = NewPassword, responses(
    (status = 204, description = "The new password is set"),
    (status = 422, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn api_reset(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Path(token): Path<String>,
    super::reservations::ApiJson(body): super::reservations::ApiJson<NewPassword>,
) -> Result<StatusCode> {
    match crate::service::signup::reset_password(
        &state.db,
        state.clock.now(),
        &token,
        &body.password,
    )
    .await?
    {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(problem) => Err(reset_error(problem, lang)),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn form_request_reset(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    axum::Form(form): axum::Form<ResetForm>,
) -> Result<Response> {
    let sent = crate::service::signup::request_reset(
        &state.db,
        state.clock.now(),
        &state.config.public_url(),
        &client,
        &form.email,
    )
    .await?;
    let location = if sent {
        "/wachtwoord-vergeten?verstuurd=1"
    } else {
        "/wachtwoord-vergeten?fout=teveel"
    };
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response())
}

async fn form_reset(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Path(token): Path<String>,
    axum::Form(form): axum::Form<ResetForm>,
) -> Result<Response> {
    let outcome = crate::service::signup::reset_password(
        &state.db,
        state.clock.now(),
        &token,
        &form.password,
    )
    .await?;
    Ok(password_outcome(
        outcome,
        lang,
        "/aanmelden?hersteld=1",
        "/wachtwoord",
        &token,
    ))
}

fn invite_error(e: crate::service::signup::InviteError) -> AppError {
    use crate::service::signup::InviteError;
    match e {
        InviteError::Invalid(errors) => AppError::Validation(errors),
        InviteError::Forbidden => AppError::Forbidden,
        InviteError::Db(e) => e.into(),
    }
}

/// Invites someone into a role (admins: any; partner admins: their desk staff and trainers).
#[utoipa::path(post, path = "/api/v1/invitations", tag = "accounts", security(("session" = [])), request_body = crate::service::signup::InviteForm, responses(
    (status = 202, description = "The invitation (or a new-role notice) is on its way"),
    (status = 403, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    (status = 422, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn api_invite(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    super::reservations::ApiJson(body): super::reservations::ApiJson<
        crate::service::signup::InviteForm,
    >,
) -> Result<StatusCode> {
    if who.0.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    crate::service::signup::invite(
        &state.db,
        state.clock.now(),
        &state.config.public_url(),
        &who.0,
        lang,
        &body,
    )
    .await
    .map_err(invite_error)?;
    Ok(StatusCode::ACCEPTED)
}

/// Accepts an invitation by choosing a password.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "accounts", params(("token" = String, Path)), request_body = NewPassword, responses(
    (status = 204, description = "The account is ready"),
    (status = 422, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
pub async fn api_accept(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Path(token): Path<String>,
    super::reservations::ApiJson(body): super::reservations::ApiJson<NewPassword>,
) -> Result<StatusCode> {
    match crate::service::signup::accept_invitation(
        &state.db,
        state.clock.now(),
        &token,
        &body.password,
    )
    .await?
    {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(problem) => Err(reset_error(problem, lang)),
    }
}

async fn form_invite(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    axum::Form(form): axum::Form<crate::service::signup::InviteForm>,
) -> Result<Response> {
    if who.0.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let outcome = crate::service::signup::invite(
        &state.db,
        state.clock.now(),
        &state.config.public_url(),
        &who.0,
        lang,
        &form,
    )
    .await;
    let location = match outcome {
        Ok(()) => "/beheer/uitnodigen?ok=1".to_owned(),
        Err(crate::service::signup::InviteError::Db(e)) => return Err(e.into()),
        Err(e) => {
            let p = invite_error(e).problem(lang);
            let message = p
                .errors
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join(" ");
            let message = if message.is_empty() { p.title } else { message };
            format!(
                "/beheer/uitnodigen?fout={}",
                leenpunt_shared::query::encode_component(&message)
            )
        }
    };
    Ok(axum::response::Redirect::to(&location).into_response())
}

async fn form_accept(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Path(token): Path<String>,
    axum::Form(form): axum::Form<ResetForm>,
) -> Result<Response> {
    let outcome = crate::service::signup::accept_invitation(
        &state.db,
        state.clock.now(),
        &token,
        &form.password,
    )
    .await?;
    Ok(password_outcome(
        outcome,
        lang,
        "/aanmelden?welkom=1",
        "/uitnodiging",
        &token,
    ))
}

/// The sign-up page's form post: back with every field's message, or on to "check your
/// mailbox". Nothing typed but the password is lost on a mistake.
async fn form_sign_up(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ClientAddr(client): ClientAddr,
    axum::Form(form): axum::Form<SignUpForm>,
) -> Result<Response> {
    let outcome = sign_up(
        &state.db,
        state.clock.now(),
        &state.config.public_url(),
        lang,
        &client,
        &form,
    )
    .await
    .map_err(|e| match e {
        // Shown at the e-mail field, like any other reason the form was refused.
        SignUpError::Throttled => SignUpError::Invalid(vec![(
            "email".into(),
            "teveel",
            leenpunt_shared::FieldError::new("email", AppError::TooManyMails.problem(lang).title),
        )]),
        other => other,
    });
    let location = match outcome {
        Ok(()) => "/account-aanmaken?verstuurd=1".to_owned(),
        Err(SignUpError::Invalid(errors)) => super::extract::back_to_form(
            "/account-aanmaken",
            errors.into_iter().map(|(_, _, e)| e),
            &[
                ("email", &form.email),
                ("name", &form.name),
                ("school", &form.school),
            ],
        ),
        Err(SignUpError::Db(e)) => return Err(e.into()),
        Err(SignUpError::Throttled) => return Err(AppError::TooManyMails),
    };
    Ok(axum::response::Redirect::to(&location).into_response())
}

/// Where a password form (reset or invitation) goes next: on to sign in, or back to the
/// form with the reason.
fn password_outcome(
    outcome: std::result::Result<(), crate::service::signup::ResetProblem>,
    lang: leenpunt_shared::Lang,
    done: &str,
    form_path: &str,
    token: &str,
) -> Response {
    let location = match outcome {
        Ok(()) => done.to_owned(),
        Err(problem) => {
            let message = reset_error(problem, lang)
                .problem(lang)
                .errors
                .remove(0)
                .message;
            format!(
                "{form_path}/{}?fout={}",
                leenpunt_shared::query::encode_component(token),
                leenpunt_shared::query::encode_component(&message)
            )
        }
    };
    axum::response::Redirect::to(&location).into_response()
}
