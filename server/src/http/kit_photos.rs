//! A kit type's photo over the API: the image itself as the request body (PNG, JPEG or
//! WebP), what it shows in `?alt=`. The same service as the kit editor's upload form
//! (`service::kit_admin::add_photo`): the same size and type checks and messages.

use super::auth::Who;
use super::extract::{Json, Path, Query};
use super::lang::ReqLang;
use crate::error::Result;
use crate::service::kit_admin as service;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use leenpunt_shared::Problem;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/api/v1/admin/kits/{slug}/photos",
        // Larger than the 2 MB a photo may be, so an oversized photo gets the service's
        // own message at the field instead of a bare 413.
        post(upload).layer(DefaultBodyLimit::max(12 * 1024 * 1024)),
    )
}

/// What the photo shows.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PhotoQuery {
    /// What the photo shows, for people who cannot see it (at most 300 characters).
    #[serde(default)]
    pub alt: String,
}

/// The body `{ "url": … }`: where the photo is served.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PhotoBody {
    pub url: String,
}

/// Adds a photo to a kit type (partner admins of its partner, admins): the image as the
/// body, at most 2 MB. A 422 names `photo` (missing, too large, not a PNG, JPEG or WebP)
/// or `alt` (too long).
#[utoipa::path(post, path = "/api/v1/admin/kits/{slug}/photos", tag = "catalogue", security(("session" = [])),
    params(("slug" = String, Path), PhotoQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The image: PNG, JPEG or WebP (any image content type is accepted; the bytes decide)"),
    responses(
    (status = 201, body = PhotoBody, description = "Added"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn upload(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(slug): Path<String>,
    Query(query): Query<PhotoQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<PhotoBody>)> {
    let url = service::add_photo(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        &state.config.data_dir,
        &slug,
        &service::Upload {
            bytes: &body,
            alt: &query.alt,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(PhotoBody { url })))
}
