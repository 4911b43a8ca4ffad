//! Calendar feeds over HTTP: the secret feed URLs, the link management API and the .ics
//! download of one reservation.

use super::auth::Who;
use super::extract::Json as ApiJson;
use super::extract::{Form, Json, Path};
use super::lang::ReqLang;
use crate::domain::ical::conditional::{negotiate, Conditions};
use crate::error::{AppError, Result};
use crate::service::feeds::{self as service, FeedLink, FeedRequest, NewFeed, Served};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use leenpunt_shared::{Problem, ReservationId};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agenda/{file}", get(feed))
        .route("/api/v1/feeds", get(list).post(create))
        .route("/api/v1/feeds/{id}", delete(revoke))
        .route("/api/v1/feeds/{id}/regenerate", post(regenerate))
        .route("/api/v1/reservations/{id}/ics", get(reservation_ics))
        .route("/agenda-links", post(form_create))
        .route("/agenda-links/{id}/{action}", post(form_change))
}

const CALENDAR: &str = "text/calendar; charset=utf-8";

/// A subscription feed. The token in the path is the only key: unknown or revoked → 404.
/// Validators per RFC 9110: each content coding has its own ETag, and the body comes
/// already compressed (so the compression layer leaves it alone).
pub async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let all = |name| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
    };
    let if_none_match = all(header::IF_NONE_MATCH);
    let if_none_match = (!if_none_match.is_empty()).then(|| if_none_match.join(","));
    let request = FeedRequest {
        token,
        conditions: Conditions {
            if_none_match: if_none_match.as_deref(),
            if_modified_since: headers
                .get(header::IF_MODIFIED_SINCE)
                .and_then(|v| v.to_str().ok()),
        },
        coding: negotiate(all(header::ACCEPT_ENCODING)),
    };
    let served = service::serve(
        &state.db,
        &state.feed_cache,
        state.clock.as_ref(),
        &state.config.public_url(),
        &request,
    )
    .await?;
    // Private data behind a secret URL: caches may keep it only for this client, briefly.
    let common = |etag: String| {
        [
            (header::ETAG, etag),
            (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
            (header::VARY, header::ACCEPT_ENCODING.as_str().to_owned()),
        ]
    };
    Ok(match served {
        Served::NotModified { etag, .. } => {
            (StatusCode::NOT_MODIFIED, common(etag)).into_response()
        }
        Served::Calendar {
            etag,
            last_modified,
            coding,
            body,
        } => {
            let mut response = (
                common(etag),
                [
                    (header::CONTENT_TYPE, CALENDAR.to_owned()),
                    (header::LAST_MODIFIED, last_modified),
                    (
                        header::CONTENT_DISPOSITION,
                        "inline; filename=\"leenpunt.ics\"".to_owned(),
                    ),
                ],
                body,
            )
                .into_response();
            if let Some(encoding) = coding.header() {
                response
                    .headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        }
    })
}

/// The signed-in person's feed links (their secret URLs are shown only once).
#[utoipa::path(get, operation_id = "list_feeds", path = "/api/v1/feeds", tag = "calendar", security(("session" = [])), responses((status = 200, body = Vec<FeedLink>)))]
pub async fn list(State(state): State<AppState>, who: Who) -> Result<Json<Vec<FeedLink>>> {
    Ok(Json(service::list(&state.db, &who.0).await?))
}

/// Creates a feed link: `user` (one's own reservations), `school`, `kit` or `pickup`.
#[utoipa::path(post, operation_id = "create_feed", path = "/api/v1/feeds", tag = "calendar", security(("session" = [])), request_body = NewFeed, responses(
    (status = 201, body = FeedLink),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn create(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<NewFeed>,
) -> Result<(StatusCode, Json<FeedLink>)> {
    let link = service::create(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        &body,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(link)))
}

/// Gives a feed a new link; the old one stops working.
#[utoipa::path(post, path = "/api/v1/feeds/{id}/regenerate", tag = "calendar", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = FeedLink),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
pub async fn regenerate(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Json<FeedLink>> {
    Ok(Json(
        service::regenerate(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            id,
        )
        .await?,
    ))
}

/// Revokes a feed link.
#[utoipa::path(delete, operation_id = "revoke_feed", path = "/api/v1/feeds/{id}", tag = "calendar", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 204, description = "Revoked"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
pub async fn revoke(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    service::revoke(&state.db, state.clock.as_ref(), &who.0, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One reservation as an .ics file ("Zet in mijn agenda").
#[utoipa::path(get, path = "/api/v1/reservations/{id}/ics", tag = "calendar", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 200, content_type = "text/calendar", body = String, description = "The reservation as an iCalendar file"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
pub async fn reservation_ics(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Response> {
    let body = service::reservation_ics(
        &state.db,
        &state.config.public_url(),
        &who.0,
        lang,
        ReservationId(id),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, CALENDAR.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"leenpunt-{id}.ics\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

const PAGE: &str = "/agenda";

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    scope: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    kit: String,
    #[serde(default)]
    pickup: String,
}

fn back_with_link(outcome: Result<FeedLink>, lang: leenpunt_shared::Lang) -> Result<Response> {
    let target = match outcome {
        // The secret link goes back to its owner's page once, to copy or subscribe to.
        Ok(link) => format!(
            "{PAGE}?nieuw={}",
            leenpunt_shared::query::encode_component(link.url.as_deref().unwrap_or_default())
        ),
        Err(e @ (AppError::Unauthorized | AppError::Db(_) | AppError::Internal(_))) => {
            return Err(e)
        }
        Err(e) => format!(
            "{PAGE}?fout={}",
            leenpunt_shared::query::encode_component(&e.problem(lang).title)
        ),
    };
    Ok(Redirect::to(&target).into_response())
}

pub async fn form_create(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Form(form): Form<CreateForm>,
) -> Result<Response> {
    let non_empty = |s: String| (!s.is_empty()).then_some(s);
    let body = NewFeed {
        scope: form.scope,
        school: non_empty(form.school),
        kit: non_empty(form.kit),
        pickup: non_empty(form.pickup),
    };
    back_with_link(
        service::create(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            &body,
        )
        .await,
        lang,
    )
}

pub async fn form_change(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path((id, action)): Path<(i64, String)>,
) -> Result<Response> {
    match action.as_str() {
        "vernieuwen" => back_with_link(
            service::regenerate(
                &state.db,
                state.clock.as_ref(),
                &state.config.public_url(),
                &who.0,
                id,
            )
            .await,
            lang,
        ),
        "intrekken" => {
            service::revoke(&state.db, state.clock.as_ref(), &who.0, id).await?;
            Ok(Redirect::to(&format!("{PAGE}?ingetrokken=1")).into_response())
        }
        _ => Err(AppError::NotFound),
    }
}
