//! Trainings over HTTP: the JSON API and the pages' form posts.

use super::auth::Who;
use super::extract::Json as ApiJson;
use super::extract::{Form, Json, Path, Query};
use super::lang::ReqLang;
use crate::db::trainings::QualificationsOf;
use crate::error::{AppError, Result};
use crate::service::trainings::{self as service, AttendanceChange, SessionQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post, put};
use axum::Router;
use leenpunt_shared::*;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/trainings",
            get(list_trainings).post(create_training),
        )
        .route(
            "/api/v1/trainings/{slug}",
            put(update_training).delete(delete_training),
        )
        .route(
            "/api/v1/training-sessions",
            get(list_sessions).post(create_session),
        )
        .route("/api/v1/training-sessions/{id}", get(one_session))
        .route(
            "/api/v1/training-sessions/{id}/registration",
            post(register).delete(unregister),
        )
        .route("/api/v1/training-sessions/{id}/roster", get(roster))
        .route("/api/v1/training-sessions/{id}/cancel", post(call_off))
        .route("/opleidingen/sessies/{id}/afgelasten", post(form_call_off))
        .route(
            "/api/v1/training-sessions/{id}/attendance",
            put(attendance).patch(mark_attendance),
        )
        .route("/api/v1/training-sessions/{id}/walk-ins", post(walk_in))
        .route("/api/v1/qualifications", get(qualifications).post(grant))
        .route("/api/v1/qualifications/{id}/revoke", post(revoke))
        .route("/opleidingen/sessies", post(form_create_session))
        .route("/opleidingen/sessies/{id}/inschrijven", post(form_register))
        .route(
            "/opleidingen/sessies/{id}/uitschrijven",
            post(form_unregister),
        )
        .route(
            "/opleidingen/sessies/{id}/aanwezigheden",
            post(form_attendance),
        )
        .route("/opleidingen/sessies/{id}/walk-in", post(form_walk_in))
        .route("/opleidingen/types", post(form_save_training))
        .route("/kwalificaties", post(form_grant))
        .route("/kwalificaties/{id}/intrekken", post(form_revoke))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct TrainingsParams {
    /// Only this partner service's trainings (slug).
    pub partner: Option<String>,
}

/// Training types and the kit types each unlocks (public).
#[utoipa::path(get, path = "/api/v1/trainings", tag = "trainings", params(TrainingsParams), responses((status = 200, body = Vec<Training>), (status = 404, body = Problem, content_type = "application/problem+json", description = "No partner service with that slug")))]
pub async fn list_trainings(
    State(state): State<AppState>,
    Query(p): Query<TrainingsParams>,
) -> Result<Json<Vec<Training>>> {
    Ok(Json(
        service::trainings(&state.db, p.partner.as_deref()).await?,
    ))
}

/// Defines a training type (partner admins of its partner, admins).
#[utoipa::path(post, path = "/api/v1/trainings", tag = "trainings", security(("session" = [])), request_body = TrainingForm, responses(
    (status = 201, body = Training),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn create_training(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<TrainingForm>,
) -> Result<(StatusCode, Json<Training>)> {
    let t =
        service::save_training(&state.db, state.clock.as_ref(), &who.0, lang, None, &body).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// Changes a training type.
#[utoipa::path(put, path = "/api/v1/trainings/{slug}", tag = "trainings", security(("session" = [])), params(("slug" = String, Path)), request_body = TrainingForm, responses(
    (status = 200, body = Training),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn update_training(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<TrainingForm>,
) -> Result<Json<Training>> {
    Ok(Json(
        service::save_training(
            &state.db,
            state.clock.as_ref(),
            &who.0,
            lang,
            Some(&slug),
            &body,
        )
        .await?,
    ))
}

/// Deletes a training type nothing uses (409 when a kit type requires it).
#[utoipa::path(delete, path = "/api/v1/trainings/{slug}", tag = "trainings", security(("session" = [])), params(("slug" = String, Path)), responses(
    (status = 204, description = "Deleted"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
))]
pub async fn delete_training(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(slug): Path<String>,
) -> Result<StatusCode> {
    service::delete_training(&state.db, state.clock.as_ref(), &who.0, lang, &slug).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct SessionsParams {
    /// Only sessions of this training (slug).
    pub training: Option<String>,
    /// Only this partner service's sessions (slug).
    pub partner: Option<String>,
    /// Include the last 60 days and called-off sessions.
    #[serde(default)]
    pub past: bool,
    /// Only sessions the asker is on the list of.
    #[serde(default)]
    pub mine: bool,
    /// Only sessions the asker trains.
    #[serde(default)]
    pub training_me: bool,
}

impl From<SessionsParams> for SessionQuery {
    fn from(p: SessionsParams) -> Self {
        SessionQuery {
            training: p.training,
            partner: p.partner,
            past: p.past,
            mine: p.mine,
            training_me: p.training_me,
        }
    }
}

/// Upcoming sessions, soonest first, with the asker's own place.
#[utoipa::path(get, path = "/api/v1/training-sessions", tag = "trainings", params(SessionsParams), responses((status = 200, body = Vec<TrainingSession>), (status = 401, body = Problem, content_type = "application/problem+json", description = "`mine=true` without signing in"), (status = 404, body = Problem, content_type = "application/problem+json", description = "No training or partner service with that slug")))]
pub async fn list_sessions(
    State(state): State<AppState>,
    who: Who,
    Query(p): Query<SessionsParams>,
) -> Result<Json<Vec<TrainingSession>>> {
    Ok(Json(
        service::sessions(&state.db, state.clock.as_ref(), &who.0, &p.into()).await?,
    ))
}

/// Plans a session (partner admins of the training's partner, admins).
#[utoipa::path(post, operation_id = "create_training_session", path = "/api/v1/training-sessions", tag = "trainings", security(("session" = [])), request_body = NewSession, responses(
    (status = 201, body = TrainingSession),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn create_session(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<NewSession>,
) -> Result<(StatusCode, Json<TrainingSession>)> {
    let s = service::create_session(&state.db, state.clock.as_ref(), &who.0, lang, &body).await?;
    Ok((StatusCode::CREATED, Json(s)))
}

/// One session.
#[utoipa::path(get, path = "/api/v1/training-sessions/{id}", tag = "trainings", params(("id" = i64, Path)), responses(
    (status = 200, body = TrainingSession),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
pub async fn one_session(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Json<TrainingSession>> {
    Ok(Json(service::session(&state.db, &who.0, id).await?.0))
}

/// Registers the asker (teachers): a seat, or the waiting list when full.
#[utoipa::path(post, path = "/api/v1/training-sessions/{id}/registration", tag = "trainings", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = TrainingSession),
    (status = 409, body = Problem, content_type = "application/problem+json"),
))]
pub async fn register(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Json<TrainingSession>> {
    Ok(Json(
        service::register(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            id,
        )
        .await?,
    ))
}

/// Cancels the asker's place; the first on the waiting list moves up.
#[utoipa::path(delete, path = "/api/v1/training-sessions/{id}/registration", tag = "trainings", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = TrainingSession),
    (status = 409, body = Problem, content_type = "application/problem+json"),
))]
pub async fn unregister(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Json<TrainingSession>> {
    Ok(Json(
        service::unregister(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            id,
        )
        .await?,
    ))
}

/// The session's list (its trainers, the partner's trainers and admins).
#[utoipa::path(get, path = "/api/v1/training-sessions/{id}/roster", tag = "trainings", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<RosterEntry>),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn roster(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Json<Vec<RosterEntry>>> {
    Ok(Json(service::roster(&state.db, &who.0, id).await?.1))
}

/// Records attendance: exactly the listed registrations are present. Grants their
/// qualifications and confirms the conditional reservations this completes.
#[utoipa::path(put, path = "/api/v1/training-sessions/{id}/attendance", tag = "trainings", security(("session" = [])), params(("id" = i64, Path)), request_body = AttendanceBody, responses(
    (status = 200, body = Vec<RosterEntry>),
    (status = 409, body = Problem, content_type = "application/problem+json"),
))]
pub async fn attendance(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AttendanceBody>,
) -> Result<Json<Vec<RosterEntry>>> {
    Ok(Json(
        service::record_attendance(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            id,
            AttendanceChange::Exactly(&body.present),
        )
        .await?,
    ))
}

/// Records ticks as they are made: each mark sets one registration present or absent, the
/// others stay as they are. Idempotent: the roster page resends marks it has not yet heard
/// back about (after a lost connection), which changes nothing the second time.
#[utoipa::path(patch, path = "/api/v1/training-sessions/{id}/attendance", tag = "trainings", security(("session" = [])), params(("id" = i64, Path)), request_body = AttendanceMarks, responses(
    (status = 200, body = Vec<RosterEntry>),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn mark_attendance(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AttendanceMarks>,
) -> Result<Json<Vec<RosterEntry>>> {
    Ok(Json(
        service::record_attendance(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            id,
            AttendanceChange::Marks(&body.marks),
        )
        .await?,
    ))
}

/// Adds a walk-in (a teacher's account, by e-mail), present at once.
#[utoipa::path(post, path = "/api/v1/training-sessions/{id}/walk-ins", tag = "trainings", security(("session" = [])), params(("id" = i64, Path)), request_body = WalkInBody, responses(
    (status = 200, body = Vec<RosterEntry>),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn walk_in(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<WalkInBody>,
) -> Result<Json<Vec<RosterEntry>>> {
    Ok(Json(
        service::walk_in(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            id,
            &body,
        )
        .await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct QualificationsParams {
    /// A school's teachers (instellingsnummer), for its teachers.
    pub school: Option<String>,
    /// Holders of a partner service's trainings (slug), for its staff.
    pub partner: Option<String>,
    /// Everyone's (admins).
    #[serde(default)]
    pub all: bool,
}

/// Qualifications: the asker's own by default.
#[utoipa::path(get, path = "/api/v1/qualifications", tag = "trainings", security(("session" = [])), params(QualificationsParams), responses(
    (status = 404, body = Problem, content_type = "application/problem+json", description = "No school or partner service with that code"),
    (status = 200, body = Vec<Qualification>),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn qualifications(
    State(state): State<AppState>,
    who: Who,
    Query(p): Query<QualificationsParams>,
) -> Result<Json<Vec<Qualification>>> {
    let user = who.0.user.ok_or(AppError::Unauthorized)?;
    let of = if let Some(school) = p.school.filter(|s| !s.is_empty()) {
        QualificationsOf::School(
            state
                .db
                .school_id(&school)
                .await?
                .ok_or(AppError::NotFound)?,
        )
    } else if let Some(partner) = p.partner.filter(|s| !s.is_empty()) {
        QualificationsOf::Partner(
            state
                .db
                .partner_id(&partner)
                .await?
                .ok_or(AppError::NotFound)?,
        )
    } else if p.all {
        QualificationsOf::All
    } else {
        QualificationsOf::User(user)
    };
    Ok(Json(
        service::qualifications(&state.db, state.clock.as_ref(), &who.0, of).await?,
    ))
}

/// Grants a qualification by hand (trained elsewhere), with a reason.
#[utoipa::path(post, path = "/api/v1/qualifications", tag = "trainings", security(("session" = [])), request_body = GrantBody, responses(
    (status = 201, body = super::openapi::IdBody, description = "Granted"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn grant(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<GrantBody>,
) -> Result<(StatusCode, Json<serde_json::Value>)> {
    let id = service::grant_by_hand(&state.db, state.clock.as_ref(), &who.0, lang, &body).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))))
}

/// Revokes a qualification, with a reason.
#[utoipa::path(post, operation_id = "revoke_qualification", path = "/api/v1/qualifications/{id}/revoke", tag = "trainings", security(("session" = [])), params(("id" = i64, Path)), request_body = leenpunt_shared::reservations::ReasonBody, responses(
    (status = 409, body = Problem, content_type = "application/problem+json", description = "Already revoked"),
    (status = 204, description = "Revoked"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn revoke(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<leenpunt_shared::reservations::ReasonBody>,
) -> Result<StatusCode> {
    service::revoke(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        id,
        &body.reason,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- Form posts from the pages -------------------------------------------------------

/// Where a form post returns: its `next` field (a local path) or a default.
#[derive(Debug, Default, Deserialize)]
pub struct NextForm {
    #[serde(default)]
    next: String,
}

fn back(next: &str, default: &str, ok: &str, lang: Lang, outcome: Result<()>) -> Result<Response> {
    let target = if next.is_empty() {
        default.to_owned()
    } else {
        super::lang::safe_next(Some(next.to_owned()))
    };
    super::redirect_with_outcome(&target, ok, lang, outcome)
}

fn session_page(id: i64) -> String {
    format!("/opleidingen/sessies/{id}")
}

pub async fn form_register(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    Form(form): Form<NextForm>,
) -> Result<Response> {
    let outcome = service::register(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        id,
    )
    .await
    .map(|s| s.my_status.unwrap_or_default());
    let ok = match &outcome {
        Ok(status) if status == "wachtlijst" => "wachtlijst",
        _ => "ingeschreven",
    };
    back(&form.next, &session_page(id), ok, lang, outcome.map(|_| ()))
}

pub async fn form_unregister(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    Form(form): Form<NextForm>,
) -> Result<Response> {
    let outcome = service::unregister(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        id,
    )
    .await
    .map(|_| ());
    back(
        &form.next,
        &session_page(id),
        "uitgeschreven",
        lang,
        outcome,
    )
}

/// The roster form: a checkbox `present` per registration (repeated keys).
pub async fn form_attendance(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    body: String,
) -> Result<Response> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    // "All present" marks every seated registration, whatever was ticked.
    let present: Vec<i64> = if pairs.iter().any(|(k, v)| k == "all" && v == "1") {
        match service::roster(&state.db, &who.0, id).await {
            Ok((_, roster)) => roster
                .into_iter()
                .filter(|r| r.status == "ingeschreven")
                .map(|r| r.registration)
                .collect(),
            Err(e) => return back("", &session_page(id), "", lang, Err(e)),
        }
    } else {
        pairs
            .iter()
            .filter(|(k, _)| k == "present")
            .filter_map(|(_, v)| v.parse().ok())
            .collect()
    };
    let outcome = service::record_attendance(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        id,
        AttendanceChange::Exactly(&present),
    )
    .await
    .map(|_| ());
    back("", &session_page(id), "aanwezigheden", lang, outcome)
}

pub async fn form_walk_in(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    Form(body): Form<WalkInBody>,
) -> Result<Response> {
    let outcome = service::walk_in(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        id,
        &body,
    )
    .await
    .map(|_| ());
    back("", &session_page(id), "walk-in", lang, outcome)
}

const ADMIN_PAGE: &str = "/beheer/opleidingen";

#[derive(Debug, Default, Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    training: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    start_time: String,
    #[serde(default)]
    end_time: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    registration_closes: String,
    /// Trainers' addresses, comma separated.
    #[serde(default)]
    trainers: String,
}

pub async fn form_create_session(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Form(f): Form<SessionForm>,
) -> Result<Response> {
    let body = NewSession {
        training: f.training,
        day: f.day,
        start_time: f.start_time,
        end_time: f.end_time,
        place: f.place,
        capacity: f.capacity,
        registration_closes: f.registration_closes,
        trainers: f
            .trainers
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    match service::create_session(&state.db, state.clock.as_ref(), &who.0, lang, &body).await {
        Ok(s) => Ok(Redirect::to(&format!("{}?ok=gepland", session_page(s.id))).into_response()),
        Err(e) => back("", ADMIN_PAGE, "", lang, Err(e)),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct TrainingTypeForm {
    /// Empty: a new training type.
    #[serde(default)]
    slug: String,
    #[serde(flatten)]
    form: TrainingForm,
}

pub async fn form_save_training(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Form(f): Form<TrainingTypeForm>,
) -> Result<Response> {
    let slug = (!f.slug.is_empty()).then_some(f.slug.as_str());
    let outcome =
        service::save_training(&state.db, state.clock.as_ref(), &who.0, lang, slug, &f.form)
            .await
            .map(|_| ());
    back("", ADMIN_PAGE, "opleiding", lang, outcome)
}

pub async fn form_grant(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Form(body): Form<GrantBody>,
) -> Result<Response> {
    let outcome = service::grant_by_hand(&state.db, state.clock.as_ref(), &who.0, lang, &body)
        .await
        .map(|_| ());
    back("", ADMIN_PAGE, "toegekend", lang, outcome)
}

pub async fn form_revoke(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    Form(body): Form<leenpunt_shared::reservations::ReasonBody>,
) -> Result<Response> {
    let outcome = service::revoke(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        id,
        &body.reason,
    )
    .await;
    back("", ADMIN_PAGE, "ingetrokken", lang, outcome)
}

/// Calls a session off (the training's partner admins, admins) before it starts; the
/// people on its list are told and conditional reservations on it released.
#[utoipa::path(post, path = "/api/v1/training-sessions/{id}/cancel", tag = "trainings", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = TrainingSession),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
))]
pub async fn call_off(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Json<TrainingSession>> {
    Ok(Json(
        service::call_off(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            id,
        )
        .await?,
    ))
}

pub async fn form_call_off(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Response> {
    let outcome = service::call_off(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        id,
    )
    .await
    .map(|_| ());
    back("", &session_page(id), "afgelast", lang, outcome)
}
