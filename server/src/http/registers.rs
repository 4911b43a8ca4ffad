//! The registers over the API: schools, partner services and pickup points, listed,
//! created and changed as on `/beheer/register/…`, through `service::registers` (one
//! parser and one set of messages with the screens and the CSV import).

use super::auth::Who;
use super::extract::{Json, Path};
use super::lang::ReqLang;
use crate::error::Result;
use crate::service::registers as service;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use leenpunt_shared::admin::{RegisterEditScreen, RegisterScreen};
use leenpunt_shared::Problem;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/registers/{kind}", get(list).post(create))
        .route("/api/v1/registers/{kind}/{key}", get(one).put(save))
}

/// The body `{ "key": … }`: the record's key (a school's number, a partner's or pickup
/// point's code).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct KeyBody {
    pub key: String,
}

/// A register's records (`kind`: `scholen`, `partners` or `afhaalpunten`), with its
/// columns (the register CSV's) and which records the asker may change.
#[utoipa::path(get, operation_id = "list_register_entries", path = "/api/v1/registers/{kind}", tag = "accounts", security(("session" = [])),
    params(("kind" = String, Path, description = "`scholen`, `partners` or `afhaalpunten`")),
    responses(
    (status = 200, body = RegisterScreen),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn list(
    State(state): State<AppState>,
    who: Who,
    Path(kind): Path<String>,
) -> Result<Json<RegisterScreen>> {
    Ok(Json(service::screen(&state.db, &who.0, &kind).await?))
}

/// One record's fields, named as the register CSV's columns.
#[utoipa::path(get, operation_id = "get_register_entry", path = "/api/v1/registers/{kind}/{key}", tag = "accounts", security(("session" = [])),
    params(("kind" = String, Path, description = "`scholen`, `partners` or `afhaalpunten`"), ("key" = String, Path)),
    responses(
    (status = 200, body = RegisterEditScreen),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn one(
    State(state): State<AppState>,
    who: Who,
    Path((kind, key)): Path<(String, String)>,
) -> Result<Json<RegisterEditScreen>> {
    Ok(Json(
        service::edit_screen(&state.db, &who.0, &kind, Some(&key), None).await?,
    ))
}

/// Adds a record (schools and partner services: admins; pickup points: admins and partner
/// admins for their own service). A 422 names each column at fault (also a key that is taken).
#[utoipa::path(post, operation_id = "create_register_entry", path = "/api/v1/registers/{kind}", tag = "accounts", security(("session" = [])),
    params(("kind" = String, Path, description = "`scholen`, `partners` or `afhaalpunten`")),
    request_body(content = BTreeMap<String, String>, description = "The record's fields, named as the register CSV's columns"),
    responses(
    (status = 201, body = KeyBody, description = "Created"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn create(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(kind): Path<String>,
    Json(fields): Json<BTreeMap<String, String>>,
) -> Result<(StatusCode, Json<KeyBody>)> {
    let fields: Vec<(String, String)> = fields.into_iter().collect();
    let key = service::save(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        &kind,
        None,
        &fields,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(KeyBody { key })))
}

/// Changes a record; the key in the path wins over a key in the body.
#[utoipa::path(put, path = "/api/v1/registers/{kind}/{key}", tag = "accounts", security(("session" = [])),
    params(("kind" = String, Path, description = "`scholen`, `partners` or `afhaalpunten`"), ("key" = String, Path)),
    request_body(content = BTreeMap<String, String>, description = "The record's fields, named as the register CSV's columns"),
    responses(
    (status = 200, body = KeyBody, description = "Saved"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn save(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path((kind, key)): Path<(String, String)>,
    Json(fields): Json<BTreeMap<String, String>>,
) -> Result<Json<KeyBody>> {
    let fields: Vec<(String, String)> = fields.into_iter().collect();
    let key = service::save(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        &kind,
        Some(&key),
        &fields,
    )
    .await?;
    Ok(Json(KeyBody { key }))
}
