//! The desk's and managers' screens over the API: the desk's day ("Vandaag"), what needs
//! attention (`/beheer`, including the units in maintenance), a unit with its history and
//! open maintenance tickets, putting a unit back in service (which closes its tickets),
//! and labels. The same service functions as the pages (`service::handover`,
//! `service::overview`).

use super::auth::Who;
use super::extract::{Json, Path, Query};
use super::lang::ReqLang;
use crate::domain::labels::LabelLayout;
use crate::error::Result;
use crate::service::handover as service;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use leenpunt_shared::admin::Overview;
use leenpunt_shared::handover::{LabelsScreen, TodayScreen, UnitScreen};
use leenpunt_shared::{Problem, UnitId};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/desk/today", get(today))
        .route("/api/v1/desk/agenda", get(agenda))
        .route("/api/v1/overview", get(overview))
        .route("/api/v1/units/{id}", get(unit))
        .route("/api/v1/units/{id}/back-in-service", post(back_in_service))
        .route("/api/v1/labels", get(labels))
        .route("/api/v1/labels/sheet", get(sheet))
}

/// The desk's day: pickups (also those handed over in part), returns due today and
/// overdue loans, for the partner services the asker works for (admins: all).
#[utoipa::path(get, path = "/api/v1/desk/today", tag = "hand-over", security(("session" = [])), responses(
    (status = 200, body = TodayScreen),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn today(State(state): State<AppState>, who: Who) -> Result<Json<TodayScreen>> {
    Ok(Json(
        service::today_screen(&state.db, state.clock.as_ref(), &who.0).await?,
    ))
}

/// Which week or month of the desk agenda.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct AgendaQuery {
    /// A pickup point's slug (one whose desk the asker runs; otherwise their first).
    #[serde(default)]
    pub point: Option<String>,
    /// `week` (the default) or `month`.
    #[serde(default)]
    pub view: Option<String>,
    /// A day in the week or month, YYYY-MM-DD (default: today).
    #[serde(default)]
    pub date: Option<String>,
}

/// The desk agenda of a pickup point: a week or a month of pickups and returns, as on
/// `/balie/agenda`.
#[utoipa::path(get, path = "/api/v1/desk/agenda", tag = "hand-over", security(("session" = [])), params(AgendaQuery), responses(
    (status = 200, body = leenpunt_shared::reservations::DeskAgenda),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn agenda(
    State(state): State<AppState>,
    who: Who,
    Query(query): Query<AgendaQuery>,
) -> Result<Json<leenpunt_shared::reservations::DeskAgenda>> {
    Ok(Json(
        crate::service::feeds::desk_agenda(
            &state.db,
            state.clock.as_ref(),
            &who.0,
            query.point.as_deref(),
            query.view.as_deref(),
            query.date.as_deref(),
        )
        .await?,
    ))
}

/// What needs a manager's attention: requests awaiting approval, overdue loans, units in
/// maintenance (listed: the maintenance queue) and labels never printed, for the partner
/// services the asker manages (admins: all).
#[utoipa::path(get, path = "/api/v1/overview", tag = "hand-over", security(("session" = [])), responses(
    (status = 200, body = Overview),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn overview(State(state): State<AppState>, who: Who) -> Result<Json<Overview>> {
    Ok(Json(
        crate::service::overview::overview(&state.db, state.clock.as_ref(), &who.0).await?,
    ))
}

/// A unit for desk staff: its state, loan history, open maintenance tickets and today's
/// pickups of its kit type.
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "hand-over", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = UnitScreen),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn unit(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Json<UnitScreen>> {
    Ok(Json(
        service::unit_screen(&state.db, state.clock.as_ref(), &who.0, UnitId(id)).await?,
    ))
}

/// Puts a repaired or completed unit back in service and closes its open maintenance
/// tickets; it is then offered to the waiting list.
#[utoipa::path(post, path = "/api/v1/units/{id}/back-in-service", tag = "hand-over", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 204, description = "In service; its tickets are closed"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
))]
pub async fn back_in_service(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    service::back_in_service(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        UnitId(id),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The units the asker may print labels for, by kit type, and those whose label was
/// never printed.
#[utoipa::path(get, path = "/api/v1/labels", tag = "hand-over", security(("session" = [])), responses(
    (status = 200, body = LabelsScreen),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn labels(State(state): State<AppState>, who: Who) -> Result<Json<LabelsScreen>> {
    Ok(Json(
        service::labels_screen(&state.db, state.clock.as_ref(), &who.0).await?,
    ))
}

/// Which labels to print.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct SheetQuery {
    /// A kit type's slug: its units (none given: every unit the asker manages).
    #[serde(default)]
    pub kit: Option<String>,
    /// Chosen units' ids, comma-separated (wins over `kit`).
    #[serde(default)]
    pub units: Option<String>,
    /// `small` (the default) or `large`.
    #[serde(default)]
    pub layout: Option<String>,
    /// The position (1-based) on the first sheet to start at.
    #[serde(default)]
    pub start: Option<usize>,
}

/// A printable label sheet (HTML, A4) — the same sheet as "Labels afdrukken"; the labels
/// on it count as printed.
#[utoipa::path(get, path = "/api/v1/labels/sheet", tag = "hand-over", security(("session" = [])), params(SheetQuery), responses(
    (status = 200, content_type = "text/html", body = String),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn sheet(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    axum::Extension(nonce): axum::Extension<leenpunt_frontend::ssr::CspNonce>,
    Query(query): Query<SheetQuery>,
) -> Result<Response> {
    let units = parse_units(query.units.as_deref(), lang)?;
    let layout = match query.layout.as_deref().filter(|l| !l.is_empty()) {
        None => LabelLayout::Small,
        Some(code) => LabelLayout::from_wire(code).ok_or_else(|| {
            crate::error::AppError::Validation(vec![leenpunt_shared::FieldError::new(
                "layout",
                crate::texts::Text::UnknownLabelLayout.get(lang),
            )])
        })?,
    };
    let html = service::label_sheet(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        &service::SheetRequest {
            units: &units,
            kit: query.kit.as_deref().filter(|k| !k.is_empty()),
            layout,
            first: query.start.unwrap_or(1).max(1),
        },
        &state.config.public_url(),
        // The response's CSP allows only this nonce's styles: the sheet prints styled
        // when an integration opens it in a browser.
        Some(&nonce.0),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        html,
    )
        .into_response())
}

fn parse_units(units: Option<&str>, lang: leenpunt_shared::Lang) -> Result<Vec<UnitId>> {
    units
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse().map(UnitId).map_err(|_| {
                crate::error::AppError::Validation(vec![leenpunt_shared::FieldError::new(
                    "units",
                    crate::texts::Text::UnitIdsAreNumbers.get(lang),
                )])
            })
        })
        .collect()
}
