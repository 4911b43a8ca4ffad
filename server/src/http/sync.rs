//! Sync collections for integrations (issue 18): what changed, in change order, with an
//! opaque cursor, `updated_since` and ETags. See docs/api-coverage.md.

use super::auth::Who;
use super::extract::Query;
use super::lang::ReqLang;
use crate::error::Result;
use crate::service::sync::{self as service, SyncRequest, Synced};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leenpunt_shared::accounts::SchoolOption;
use leenpunt_shared::handover::UnitInfo;
use leenpunt_shared::sync::{SyncedKitType, SyncedPerson};
use leenpunt_shared::{Problem, Reservation};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sync/reservations", get(reservations))
        .route("/api/v1/sync/units", get(units))
        .route("/api/v1/sync/schools", get(schools))
        .route("/api/v1/sync/people", get(people))
        .route("/api/v1/sync/kit-types", get(kit_types))
}

/// `?limit&cursor&updated_since`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct SyncQuery {
    /// Rows per page, 1–500 (default 100).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (opaque).
    pub cursor: Option<String>,
    /// Only rows changed at or after this instant (RFC 3339).
    pub updated_since: Option<String>,
}

/// One page of a sync collection, in change order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SyncPage<T> {
    pub items: Vec<T>,
    /// The cursor for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// The cursor to keep for later (a delta token, on every page): asked with it, the
    /// collection answers only what changed after this page.
    pub resume_cursor: String,
}

/// A reservation as synced: the reservation, and when it last changed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SyncedReservation {
    pub reservation: Reservation,
    /// When it last changed (RFC 3339, UTC, milliseconds, the database's clock).
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// A unit as synced: the desk's view of it, and when it last changed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SyncedUnit {
    pub unit: UnitInfo,
    /// When it last changed (RFC 3339, UTC, milliseconds, the database's clock).
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// A school as synced: as the public school list shows it, and when it last changed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SyncedSchool {
    pub school: SchoolOption,
    /// When it last changed (RFC 3339, UTC, milliseconds, the database's clock).
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// 304 with the tag, or 200 with the tag and the page, each item made by `item`.
fn respond<T, I: Serialize>(synced: Synced<T>, item: impl FnMut(T) -> I) -> Response {
    match synced {
        Synced::NotModified { etag } => {
            (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response()
        }
        Synced::Page {
            etag,
            items,
            next_cursor,
            resume_cursor,
        } => (
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, "private, no-cache".to_owned()),
            ],
            super::extract::Json(SyncPage {
                items: items.into_iter().map(item).collect(),
                next_cursor,
                resume_cursor,
            }),
        )
            .into_response(),
    }
}

impl SyncQuery {
    /// The service's request: this query and the client's `If-None-Match` lines.
    fn request<'a>(&'a self, if_none_match: Option<&'a str>) -> SyncRequest<'a> {
        SyncRequest {
            limit: self.limit,
            cursor: self.cursor.as_deref(),
            updated_since: self.updated_since.as_deref(),
            if_none_match,
        }
    }
}

fn if_none_match(headers: &HeaderMap) -> Option<String> {
    let lines: Vec<&str> = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!lines.is_empty()).then(|| lines.join(","))
}

/// Reservations in change order (admins: all; desk staff and partner admins: their partner
/// services'). A reservation changed while a client pages gets a new place at the end.
#[utoipa::path(get, operation_id = "sync_reservations", path = "/api/v1/sync/reservations", tag = "reservations", security(("session" = [])), params(SyncQuery), responses(
    (status = 200, body = SyncPage<SyncedReservation>, headers(("ETag" = String, description = "Weak tag of this answer"))),
    (status = 304, description = "Not modified: the `If-None-Match` tag is current", headers(("ETag" = String))),
    (status = 400, body = Problem, content_type = "application/problem+json", description = "A malformed `cursor` or `updated_since`"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "`limit` out of 1–500"),
))]
pub async fn reservations(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Query(query): Query<SyncQuery>,
) -> Result<Response> {
    let if_none_match = if_none_match(&headers);
    let request = query.request(if_none_match.as_deref());
    let synced = service::reservations(&state.db, &who.0, lang, &request).await?;
    Ok(respond(synced, |r| SyncedReservation {
        reservation: r.view,
        updated_at: r.updated_at,
    }))
}

/// Units in change order (admins: all; desk staff and partner admins: their partner
/// services'). A status change, a new label, a hand-over or a return moves a unit to the end.
#[utoipa::path(get, operation_id = "sync_units", path = "/api/v1/sync/units", tag = "hand-over", security(("session" = [])), params(SyncQuery), responses(
    (status = 200, body = SyncPage<SyncedUnit>, headers(("ETag" = String, description = "Weak tag of this answer"))),
    (status = 304, description = "Not modified: the `If-None-Match` tag is current", headers(("ETag" = String))),
    (status = 400, body = Problem, content_type = "application/problem+json", description = "A malformed `cursor` or `updated_since`"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "`limit` out of 1–500"),
))]
pub async fn units(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Query(query): Query<SyncQuery>,
) -> Result<Response> {
    let if_none_match = if_none_match(&headers);
    let request = query.request(if_none_match.as_deref());
    let synced = service::units(&state.db, &who.0, lang, &request).await?;
    Ok(respond(synced, |u| SyncedUnit {
        unit: u.info,
        updated_at: u.updated_at,
    }))
}

/// Schools in change order, as the public school list shows them (anyone, anonymous too).
#[utoipa::path(get, operation_id = "sync_schools", path = "/api/v1/sync/schools", tag = "accounts", params(SyncQuery), responses(
    (status = 200, body = SyncPage<SyncedSchool>, headers(("ETag" = String, description = "Weak tag of this answer"))),
    (status = 304, description = "Not modified: the `If-None-Match` tag is current", headers(("ETag" = String))),
    (status = 400, body = Problem, content_type = "application/problem+json", description = "A malformed `cursor` or `updated_since`"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "`limit` out of 1–500"),
))]
pub async fn schools(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Query(query): Query<SyncQuery>,
) -> Result<Response> {
    let if_none_match = if_none_match(&headers);
    let request = query.request(if_none_match.as_deref());
    let synced = service::schools(&state.db, lang, &request).await?;
    Ok(respond(synced, |s| SyncedSchool {
        school: s.school,
        updated_at: s.updated_at,
    }))
}

/// People in change order, as the user administration lists them (admins: everyone;
/// partner admins: the people holding a role at their partner services). An erased or
/// removed person comes as a tombstone (`deleted`, the id only). A new name, e-mail
/// address, confirmation, disabling, role, or the rename of a school or partner service
/// they hold a role at moves a person to the end; signing in does not.
#[utoipa::path(get, operation_id = "sync_people", path = "/api/v1/sync/people", tag = "accounts", security(("session" = [])), params(SyncQuery), responses(
    (status = 200, body = SyncPage<SyncedPerson>, headers(("ETag" = String, description = "Weak tag of this answer"))),
    (status = 304, description = "Not modified: the `If-None-Match` tag is current", headers(("ETag" = String))),
    (status = 400, body = Problem, content_type = "application/problem+json", description = "A malformed `cursor` or `updated_since`"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "`limit` out of 1–500"),
))]
pub async fn people(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Query(query): Query<SyncQuery>,
) -> Result<Response> {
    let if_none_match = if_none_match(&headers);
    let request = query.request(if_none_match.as_deref());
    let synced = service::people(&state.db, &who.0, lang, &request).await?;
    Ok(respond(synced, |p| p))
}

/// Kit types in change order, as their own records (anyone, anonymous too: the catalogue
/// is public). A change of the kit type, its themes, levels, photos, parts, pickup points
/// or required trainings moves it to the end.
#[utoipa::path(get, operation_id = "sync_kit_types", path = "/api/v1/sync/kit-types", tag = "catalogue", params(SyncQuery), responses(
    (status = 200, body = SyncPage<SyncedKitType>, headers(("ETag" = String, description = "Weak tag of this answer"))),
    (status = 304, description = "Not modified: the `If-None-Match` tag is current", headers(("ETag" = String))),
    (status = 400, body = Problem, content_type = "application/problem+json", description = "A malformed `cursor` or `updated_since`"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "`limit` out of 1–500"),
))]
pub async fn kit_types(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Query(query): Query<SyncQuery>,
) -> Result<Response> {
    let if_none_match = if_none_match(&headers);
    let request = query.request(if_none_match.as_deref());
    let synced = service::kit_types(&state.db, lang, &request).await?;
    Ok(respond(synced, |k| k))
}
