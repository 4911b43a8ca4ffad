//! Reservations over HTTP: the JSON API and the plain form posts the pages use.
//! Handlers only extract, call the service and answer.

use super::auth::Who;
use super::extract::{Form, Json, Path, Query};
use super::lang::ReqLang;
use crate::db::reservations::ReservationFilter;
use crate::error::{AppError, Result};
use crate::service::reservations::{self as service, Change, Scope};
use crate::state::AppState;
use crate::texts::Text;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use leenpunt_shared::reservations::{ExtendBody, ReasonBody};
use leenpunt_shared::*;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/catalogue/{slug}/availability", get(availability))
        .route("/api/v1/reservations", post(create).get(list))
        .route("/api/v1/reservations/{id}", get(one))
        .route("/api/v1/reservations/{id}/cancel", post(cancel))
        .route("/api/v1/reservations/{id}/approve", post(approve))
        .route("/api/v1/reservations/{id}/reject", post(reject))
        .route("/api/v1/reservations/{id}/extend", post(extend))
        .route("/api/v1/reservations/{id}/accept", post(accept))
        .route("/api/v1/waitlist", post(join_waitlist).get(my_waitlist))
        .route("/api/v1/waitlist/{id}/withdraw", post(leave_waitlist))
        .route("/reservaties/{id}/{action}", post(form_change))
        .route("/wachtlijst/{id}/verlaten", post(form_leave))
        .route("/api/v1/units/{code}/status", post(unit_status))
}

/// The JSON body extractor (`super::extract::Json`) under its older name, which
/// `signup.rs` still spells out in its handlers.
pub use super::extract::Json as ApiJson;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AvailabilityParams {
    /// `YYYY-MM`; this month by default.
    pub month: Option<String>,
    /// How many months, 1–12 (default 1).
    pub months: Option<u32>,
    /// Pickup point slug; the kit type's first by default.
    pub pickup: Option<String>,
}

/// Units free per day of a kit type at a pickup point, with closed days.
#[utoipa::path(get, path = "/api/v1/catalogue/{slug}/availability", tag = "reservations", params(("slug" = String, Path), AvailabilityParams), responses(
    (status = 200, body = Vec<MonthAvailability>),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn availability(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Path(slug): Path<String>,
    Query(p): Query<AvailabilityParams>,
) -> Result<Json<Vec<MonthAvailability>>> {
    let months = service::availability(
        &state.db,
        state.clock.as_ref(),
        lang,
        &slug,
        p.pickup.as_deref(),
        p.month.as_deref(),
        p.months.unwrap_or(1),
    )
    .await?;
    Ok(Json(months))
}

pub(super) fn idempotency_key(headers: &HeaderMap, lang: Lang) -> Result<Option<String>> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => match v.to_str() {
            Ok(key) if (1..=200).contains(&key.len()) => Ok(Some(key.to_owned())),
            _ => Err(AppError::Validation(vec![FieldError::new(
                "Idempotency-Key",
                Text::TheIdempotencyKeyMustBe1.get(lang),
            )])),
        },
    }
}

/// Reserves units of a kit type. With an `Idempotency-Key` header a retry returns the
/// same reservation instead of a second one.
#[utoipa::path(post, operation_id = "create_reservation", path = "/api/v1/reservations", tag = "reservations", security(("session" = [])), request_body = NewReservation,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = Reservation, description = "Booked (or, for a retried key, booked before)"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Not enough units free (with alternatives) or the school's limit"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn create(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NewReservation>,
) -> Result<Response> {
    let key = idempotency_key(&headers, lang)?;
    let (reservation, _replayed) = service::create(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        &body,
        key.as_deref(),
    )
    .await?;
    let location = format!("/api/v1/reservations/{}", reservation.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(reservation),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// `mine` (default) or `desk` (lending desk staff: their partners' reservations).
    pub scope: Option<String>,
    pub status: Option<String>,
    /// Kit type slug.
    pub kit: Option<String>,
    /// Pickup point slug.
    pub pickup: Option<String>,
    /// Holding units on or after this day.
    pub from: Option<String>,
    /// Picked up on or before this day.
    pub to: Option<String>,
    /// Only reservations flagged at risk.
    pub at_risk: Option<bool>,
}

impl ListParams {
    /// The filter and scope, or per-field errors.
    pub fn parse(&self, lang: Lang) -> Result<(Scope, ReservationFilter)> {
        let mut errors = Vec::new();
        let scope = match self.scope.as_deref() {
            None | Some("") | Some("mine") => Scope::Mine,
            Some("desk") => Scope::Desk,
            Some(_) => {
                errors.push(FieldError::new("scope", "mine | desk"));
                Scope::Mine
            }
        };
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => {
                let parsed = ReservationStatus::parse(s);
                if parsed.is_none() {
                    errors.push(FieldError::new("status", Text::UnknownStatus.get(lang)));
                }
                parsed
            }
        };
        let mut date =
            |field: &str, v: &Option<String>| match v.as_deref().filter(|s| !s.is_empty()) {
                None => None,
                Some(s) => {
                    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
                    if d.is_none() {
                        errors.push(FieldError::new(field, Text::ChooseAValidDate.get(lang)));
                    }
                    d
                }
            };
        let from = date("from", &self.from);
        let to = date("to", &self.to);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let non_empty = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        Ok((
            scope,
            ReservationFilter {
                status,
                kit_slug: non_empty(&self.kit),
                point_slug: non_empty(&self.pickup),
                from,
                to,
                at_risk_only: self.at_risk.unwrap_or(false),
                ..Default::default()
            },
        ))
    }
}

/// Reservations: the signed-in teacher's own, or a lending desk's.
#[utoipa::path(get, operation_id = "list_reservations", path = "/api/v1/reservations", tag = "reservations", security(("session" = [])), params(ListParams), responses(
    (status = 422, body = Problem, content_type = "application/problem+json"),
    (status = 200, body = Vec<Reservation>),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn list(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<Reservation>>> {
    let (scope, filter) = params.parse(lang)?;
    Ok(Json(service::list(&state.db, &who.0, scope, filter).await?))
}

/// One reservation (404 for people who may not see it).
#[utoipa::path(get, operation_id = "get_reservation", path = "/api/v1/reservations/{id}", tag = "reservations", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Reservation),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
pub async fn one(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Json<Reservation>> {
    Ok(Json(
        service::get(&state.db, &who.0, ReservationId(id)).await?,
    ))
}

async fn apply(
    state: &AppState,
    who: &Who,
    lang: Lang,
    id: i64,
    change: Change,
) -> Result<Reservation> {
    service::change(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        ReservationId(id),
        change,
    )
    .await
}

/// Cancels: the borrower until the day before pickup; desk staff with a reason.
#[utoipa::path(post, path = "/api/v1/reservations/{id}/cancel", tag = "reservations", security(("session" = [])), params(("id" = i64, Path)), request_body(content = Option<ReasonBody>, description = "Optional: a borrower cancels without a reason"), responses(
    (status = 200, body = Reservation),
    (status = 409, body = Problem, content_type = "application/problem+json"),
))]
pub async fn cancel(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Result<Json<Reservation>> {
    // The body is optional: a borrower cancels without a reason.
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        String::new()
    } else {
        serde_json::from_slice::<ReasonBody>(&body)
            .map_err(|e| AppError::Validation(vec![FieldError::new("body", e.to_string())]))?
            .reason
    };
    Ok(Json(
        apply(&state, &who, lang, id, Change::Cancel { reason }).await?,
    ))
}

/// Approves a request (desk staff).
#[utoipa::path(post, path = "/api/v1/reservations/{id}/approve", tag = "reservations", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Reservation),
    (status = 409, body = Problem, content_type = "application/problem+json"),
))]
pub async fn approve(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Json<Reservation>> {
    Ok(Json(apply(&state, &who, lang, id, Change::Approve).await?))
}

/// Rejects a request, with a reason (desk staff).
#[utoipa::path(post, path = "/api/v1/reservations/{id}/reject", tag = "reservations", security(("session" = [])), params(("id" = i64, Path)), request_body = ReasonBody, responses(
    (status = 200, body = Reservation),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn reject(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> Result<Json<Reservation>> {
    Ok(Json(
        apply(
            &state,
            &who,
            lang,
            id,
            Change::Reject {
                reason: body.reason,
            },
        )
        .await?,
    ))
}

/// Moves the return date; granted only when the extra days fit.
#[utoipa::path(post, path = "/api/v1/reservations/{id}/extend", tag = "reservations", security(("session" = [])), params(("id" = i64, Path)), request_body = ExtendBody, responses(
    (status = 200, body = Reservation),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn extend(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ExtendBody>,
) -> Result<Json<Reservation>> {
    Ok(Json(
        apply(
            &state,
            &who,
            lang,
            id,
            Change::Extend {
                return_date: body.return_date,
            },
        )
        .await?,
    ))
}

/// Accepts an offer from the waiting list (within 48 hours).
#[utoipa::path(post, path = "/api/v1/reservations/{id}/accept", tag = "reservations", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Reservation),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "Not an open offer (any more)"),
))]
pub async fn accept(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Json<Reservation>> {
    Ok(Json(apply(&state, &who, lang, id, Change::Accept).await?))
}

/// Waits for dates that are full: the first to wait is offered freed units first.
#[utoipa::path(post, path = "/api/v1/waitlist", tag = "reservations", security(("session" = [])), request_body = NewReservation, responses(
    (status = 201, body = WaitlistEntry),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "The dates fit now, or you already wait for them"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn join_waitlist(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<NewReservation>,
) -> Result<(StatusCode, Json<WaitlistEntry>)> {
    let entry =
        service::join_waitlist(&state.db, state.clock.as_ref(), &who.0, lang, &body).await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// The signed-in person's open waiting-list entries.
#[utoipa::path(get, path = "/api/v1/waitlist", tag = "reservations", security(("session" = [])), responses((status = 200, body = Vec<WaitlistEntry>)))]
pub async fn my_waitlist(
    State(state): State<AppState>,
    who: Who,
) -> Result<Json<Vec<WaitlistEntry>>> {
    Ok(Json(service::my_waitlist(&state.db, &who.0).await?))
}

/// Leaves a waiting list.
#[utoipa::path(post, path = "/api/v1/waitlist/{id}/withdraw", tag = "reservations", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 409, body = Problem, content_type = "application/problem+json", description = "No longer on the waiting list"),
    (status = 200, body = WaitlistEntry),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
pub async fn leave_waitlist(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Json<WaitlistEntry>> {
    Ok(Json(
        service::leave_waitlist(&state.db, state.clock.as_ref(), &who.0, lang, id).await?,
    ))
}

/// A unit's new status.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct UnitStatusBody {
    /// `in-dienst`, `onderhoud` or `afgevoerd`.
    pub status: UnitStatus,
}

/// Sends a unit to maintenance, back into service, or retires it. Future reservations that
/// no longer fit are flagged (and their borrowers mailed); units that come back are offered
/// to the waiting list.
#[utoipa::path(post, path = "/api/v1/units/{code}/status", tag = "reservations", security(("session" = [])), params(("code" = String, Path)), request_body = UnitStatusBody, responses(
    (status = 200, body = service::UnitStatusOutcome),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "The unit is retired"),
))]
pub async fn unit_status(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<UnitStatusBody>,
) -> Result<Json<service::UnitStatusOutcome>> {
    Ok(Json(
        service::set_unit_status(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            &code,
            body.status,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    return_date: String,
    /// Where to go back to (a local path).
    #[serde(default)]
    next: String,
}

/// The pages' plain form posts (`annuleren`, `goedkeuren`, `weigeren`, `verlengen`):
/// they work without the wasm and come back with `?ok=` or `?fout=` and the message.
pub async fn form_change(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path((id, action)): Path<(i64, String)>,
    Form(form): Form<ChangeForm>,
) -> Result<Response> {
    let change = match action.as_str() {
        "annuleren" => Change::Cancel {
            reason: form.reason,
        },
        "goedkeuren" => Change::Approve,
        "weigeren" => Change::Reject {
            reason: form.reason,
        },
        "verlengen" => Change::Extend {
            return_date: form.return_date,
        },
        "aanvaarden" => Change::Accept,
        _ => return Err(AppError::NotFound),
    };
    let outcome = apply(&state, &who, lang, id, change).await.map(|_| ());
    back_with(&form.next, &action, id, lang, outcome)
}

/// Leaving a waiting list from "my reservations".
pub async fn form_leave(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    Form(form): Form<ChangeForm>,
) -> Result<Response> {
    let outcome = service::leave_waitlist(&state.db, state.clock.as_ref(), &who.0, lang, id)
        .await
        .map(|_| ());
    back_with(&form.next, "verlaten", id, lang, outcome)
}

/// Sends a form post back where it came from, with `?ok=` or `?fout=` and the message.
fn back_with(
    next: &str,
    action: &str,
    id: i64,
    lang: Lang,
    outcome: Result<()>,
) -> Result<Response> {
    let back = if next.is_empty() {
        "/mijn-reservaties".to_owned()
    } else {
        super::lang::safe_next(Some(next.to_owned()))
    };
    let sep = if back.contains('?') { '&' } else { '?' };
    let target = match outcome {
        Ok(()) => format!("{back}{sep}ok={action}&id={id}"),
        Err(e @ (AppError::Unauthorized | AppError::Db(_) | AppError::Internal(_))) => {
            return Err(e)
        }
        Err(e) => {
            let problem = e.problem(lang);
            let message = problem
                .errors
                .first()
                .map(|f| f.message.clone())
                .or(problem.detail)
                .unwrap_or(problem.title);
            format!(
                "{back}{sep}fout={}&id={id}",
                leenpunt_shared::query::encode_component(&message)
            )
        }
    };
    Ok(Redirect::to(&target).into_response())
}
