//! The one application error type, answered as RFC 9457 problem+json.

use crate::db::DbError;
use crate::texts::Text;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use leenpunt_shared::{FieldError, Lang, Problem};
use std::sync::Arc;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist.
    #[error("not found")]
    NotFound,
    /// Not signed in (or the session ended).
    #[error("not signed in")]
    Unauthorized,
    /// Signed in, but not allowed to do this.
    #[error("forbidden")]
    Forbidden,
    /// Wrong e-mail address or password (never says which).
    #[error("bad credentials")]
    BadCredentials,
    /// The account's e-mail address must be confirmed first.
    #[error("e-mail address not confirmed")]
    Unconfirmed,
    /// Too many attempts; try again later.
    #[error("too many requests")]
    TooManyRequests,
    /// Too many mails asked for one address (or from one client) lately.
    #[error("too many mails")]
    TooManyMails,
    /// The request is understood but some fields are wrong; messages are per field.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The request cannot be read: malformed JSON, a path or query value of the wrong type,
    /// a missing content type. Messages are per part, already in the requester's language.
    #[error("bad request")]
    BadRequest(Vec<FieldError>),
    /// The request body is larger than the route accepts.
    #[error("payload too large")]
    PayloadTooLarge,
    /// The request conflicts with the current state (e.g. a duplicate).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A request that does not fit (e.g. not enough units free); the texts are already in
    /// the requester's language.
    #[error("refused: {title}")]
    Refused {
        kind: &'static str,
        title: String,
        detail: String,
        alternatives: Vec<leenpunt_shared::DateRange>,
    },
    /// The borrower lacks trainings the kit type requires (409), with their sessions.
    #[error("training required: {title}")]
    TrainingRequired {
        title: String,
        detail: String,
        trainings: Vec<leenpunt_shared::MissingTraining>,
    },
    /// A dependency is down (e.g. the database for readiness).
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Too much at once right now (a full queue): 503 with `Retry-After`, nothing written.
    #[error("busy: {0}")]
    Busy(&'static str),
    #[error(transparent)]
    Db(DbError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Conflict(msg) => AppError::Conflict(msg),
            DbError::Busy(why) => AppError::Busy(why),
            other => AppError::Db(other),
        }
    }
}

impl AppError {
    /// The one way to refuse a request that does not fit (409): a problem kind and the
    /// title and detail, already worded in the reader's language (from `crate::texts`).
    pub fn refused(
        kind: &'static str,
        title: impl Into<String>,
        detail: impl Into<String>,
    ) -> AppError {
        AppError::Refused {
            kind,
            title: title.into(),
            detail: detail.into(),
            alternatives: Vec::new(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Unconfirmed => StatusCode::FORBIDDEN,
            AppError::TooManyRequests | AppError::TooManyMails => StatusCode::TOO_MANY_REQUESTS,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Conflict(_)
            | AppError::Refused { .. }
            | AppError::TrainingRequired { .. } => StatusCode::CONFLICT,
            AppError::Unavailable(_) | AppError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Db(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem body in a language. Internal details never leave the server.
    pub fn problem(&self, lang: Lang) -> Problem {
        if let AppError::Refused {
            kind,
            title,
            detail,
            alternatives,
        } = self
        {
            return Problem {
                kind: format!("/problems/{kind}"),
                title: title.clone(),
                status: self.status().as_u16(),
                detail: (!detail.is_empty()).then(|| detail.clone()),
                alternatives: alternatives.clone(),
                ..Problem::default()
            };
        }
        if let AppError::TrainingRequired {
            title,
            detail,
            trainings,
        } = self
        {
            return Problem {
                kind: "/problems/training-required".to_owned(),
                title: title.clone(),
                status: self.status().as_u16(),
                detail: Some(detail.clone()),
                trainings: trainings.clone(),
                ..Problem::default()
            };
        }
        let (kind, title) = match self {
            AppError::NotFound => ("not-found", Text::ProblemNotFound),
            AppError::Unauthorized => ("unauthorized", Text::ProblemUnauthorized),
            AppError::Forbidden => ("forbidden", Text::ProblemForbidden),
            AppError::BadCredentials => ("bad-credentials", Text::ProblemBadCredentials),
            AppError::Unconfirmed => ("unconfirmed", Text::ProblemUnconfirmed),
            AppError::TooManyRequests => ("too-many-requests", Text::ProblemTooManyRequests),
            AppError::TooManyMails => ("too-many-mails", Text::ProblemTooManyMails),
            AppError::Validation(_) => ("validation", Text::ProblemValidation),
            AppError::BadRequest(_) => ("bad-request", Text::ProblemBadRequest),
            AppError::PayloadTooLarge => ("payload-too-large", Text::ProblemPayloadTooLarge),
            AppError::Conflict(_) => ("conflict", Text::ProblemConflict),
            AppError::Unavailable(_) => ("unavailable", Text::ProblemUnavailable),
            AppError::Busy(_) => ("busy", Text::ProblemBusy),
            AppError::Refused { .. }
            | AppError::TrainingRequired { .. }
            | AppError::Db(_)
            | AppError::Internal(_) => ("internal", Text::ProblemInternal),
        };
        Problem {
            kind: format!("/problems/{kind}"),
            title: title.get(lang),
            status: self.status().as_u16(),
            detail: None,
            errors: match self {
                AppError::Validation(errors) | AppError::BadRequest(errors) => errors.clone(),
                _ => Vec::new(),
            },
            ..Problem::default()
        }
    }
}

/// What a 503 asks the client to wait before trying again, in seconds.
const RETRY_AFTER_SECS: &str = "2";

/// Marks a response as an error so the localisation layer can render it in the
/// requester's language.
#[derive(Debug, Clone)]
pub struct ErrorMarker(pub Arc<AppError>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Busy(why) => tracing::warn!(why, "request shed"),
            e if e.status().is_server_error() => {
                tracing::error!(error = %crate::domain::privacy::mask_addresses(&format!("{e:?}")), "request failed")
            }
            _ => {}
        }
        let mut response = problem_response(&self.problem(Lang::default()));
        if self.status() == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECS),
            );
        }
        response
            .extensions_mut()
            .insert(ErrorMarker(Arc::new(self)));
        response
    }
}

/// A problem+json response.
pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_default();
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}
