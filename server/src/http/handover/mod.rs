//! Labels and hand-over over HTTP: the scan link on every label, the desk's JSON API, the
//! printable label sheets and the desk pages' form posts.

use super::auth::Who;
use super::extract::Json as ApiJson;
use super::extract::{Form, Json, Path, Query};
use super::lang::ReqLang;
use crate::domain::labels::{qr_png, qr_svg, scan_url, LabelLayout};
use crate::domain::tags::TagCode;
use crate::error::{AppError, Result};
use crate::service::handover::{self as service, ScanTarget};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use leenpunt_frontend::ssr::CspNonce;
use leenpunt_shared::handover::*;
use leenpunt_shared::query::encode_component;
use leenpunt_shared::*;
use serde::Deserialize;

mod api;
mod forms;
mod labels;
mod requests;
mod scan_link;

pub use api::*;
pub use forms::*;
pub use labels::*;
pub use requests::*;
pub use scan_link::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/s", get(scan_form))
        .route("/s/{code}", get(scan_link))
        .route("/s/{code}/", get(scan_link))
        .route("/api/v1/scan/{code}", get(scan))
        .route("/api/v1/reservations/{id}/handover", post(hand_over))
        .route("/api/v1/returns", post(take_back))
        .route(
            "/api/v1/requests/{id}/handover",
            get(request_screen).post(hand_over_request),
        )
        .route("/api/v1/requests/{id}/returns", post(take_back_request))
        .route("/balie/aanvraag/{id}", post(form_hand_over_request))
        .route(
            "/balie/aanvraag/{id}/inname",
            post(form_find_request_return),
        )
        .route("/api/v1/units/{id}/history", get(history))
        .route("/api/v1/units/{id}/retag", post(retag))
        .route("/api/v1/units/{id}/qr.svg", get(qr_image_svg))
        .route("/api/v1/units/{id}/qr.png", get(qr_image_png))
        .route("/beheer/labels/blad", get(sheet))
        .route("/balie/uitgifte/{id}", post(form_hand_over))
        .route("/balie/inname", post(form_find_return))
        .route("/balie/inname/{code}", post(form_take_back))
        .route("/balie/exemplaren/{id}/nieuw-label", post(form_retag))
        .route("/balie/zoek", post(form_lookup))
        .route(
            "/balie/exemplaren/{id}/in-dienst",
            post(form_back_in_service),
        )
}

/// A desk scan's `Idempotency-Key`: as for bookings, except that an empty header (the
/// camera scanner sends one) means none.
fn desk_key(headers: &HeaderMap, lang: Lang) -> Result<Option<String>> {
    match headers.get("idempotency-key") {
        Some(v) if v.is_empty() => Ok(None),
        _ => super::reservations::idempotency_key(headers, lang),
    }
}

// ---- Form posts from the desk pages ---------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    override_reason: String,
}
