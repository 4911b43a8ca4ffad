//! The teacher's cart over HTTP: keeping it, checking it, sending it. Handlers only
//! extract, call `service::cart` and answer.

use super::auth::Who;
use super::extract::{Json, Path};
use super::lang::ReqLang;
use super::reservations::idempotency_key;
use crate::error::Result;
use crate::service::cart as service;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{post, put};
use axum::Router;
use leenpunt_shared::cart::{Cart, CartCheck, CartDates, CartSubmit, CartSubmitted, NewCartLine};
use leenpunt_shared::Problem;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/cart",
            axum::routing::get(get_cart).put(set_dates).delete(clear),
        )
        .route("/api/v1/cart/lines", post(add_line))
        .route(
            "/api/v1/cart/lines/{id}",
            put(update_line).delete(remove_line),
        )
        .route("/api/v1/cart/check", post(check))
        .route("/api/v1/cart/submit", post(submit))
}

/// The signed-in person's cart.
#[utoipa::path(get, path = "/api/v1/cart", tag = "cart", security(("session" = [])), responses(
    (status = 200, body = Cart),
    (status = 401, body = Problem, content_type = "application/problem+json"),
))]
pub async fn get_cart(State(state): State<AppState>, who: Who) -> Result<Json<Cart>> {
    Ok(Json(service::get(&state.db, &who.0).await?))
}

/// Sets the dates chosen once for every line that has no dates of its own.
#[utoipa::path(put, path = "/api/v1/cart", tag = "cart", security(("session" = [])), request_body = CartDates, responses(
    (status = 200, body = Cart),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn set_dates(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Json(body): Json<CartDates>,
) -> Result<Json<Cart>> {
    Ok(Json(
        service::set_dates(&state.db, state.clock.as_ref(), &who.0, lang, &body).await?,
    ))
}

/// Empties the cart.
#[utoipa::path(delete, path = "/api/v1/cart", tag = "cart", security(("session" = [])), responses(
    (status = 204, description = "Emptied"),
    (status = 401, body = Problem, content_type = "application/problem+json"),
))]
pub async fn clear(State(state): State<AppState>, who: Who) -> Result<StatusCode> {
    service::clear(&state.db, &who.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a kit type to the cart (the same kit type, point and dates add to that line).
#[utoipa::path(post, path = "/api/v1/cart/lines", tag = "cart", security(("session" = [])), request_body = NewCartLine, responses(
    (status = 201, body = Cart),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn add_line(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Json(body): Json<NewCartLine>,
) -> Result<(StatusCode, Json<Cart>)> {
    let cart = service::add_line(&state.db, state.clock.as_ref(), &who.0, lang, &body).await?;
    Ok((StatusCode::CREATED, Json(cart)))
}

/// Changes a line: kit type, pickup point, quantity, its own dates.
#[utoipa::path(put, path = "/api/v1/cart/lines/{id}", tag = "cart", security(("session" = [])), params(("id" = i64, Path)), request_body = NewCartLine, responses(
    (status = 200, body = Cart),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn update_line(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    Json(body): Json<NewCartLine>,
) -> Result<Json<Cart>> {
    Ok(Json(
        service::update_line(&state.db, state.clock.as_ref(), &who.0, lang, id, &body).await?,
    ))
}

/// Drops a line.
#[utoipa::path(delete, path = "/api/v1/cart/lines/{id}", tag = "cart", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Cart),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
pub async fn remove_line(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Json<Cart>> {
    Ok(Json(service::remove_line(&state.db, &who.0, id).await?))
}

/// Whether each line fits now, and why not (with the nearest dates that fit, or the
/// missing trainings). Nothing is held.
#[utoipa::path(post, path = "/api/v1/cart/check", tag = "cart", security(("session" = [])), request_body = CartSubmit, responses(
    (status = 200, body = CartCheck),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn check(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Json(body): Json<CartSubmit>,
) -> Result<Json<CartCheck>> {
    Ok(Json(
        service::check(&state.db, state.clock.as_ref(), &who.0, lang, &body).await?,
    ))
}

/// Sends the cart in one transaction: every line or none (409 naming the lines that do
/// not fit), or with `partial` what fits, the lines short of units on the waiting list.
/// One request per pickup point. With an `Idempotency-Key` a retry answers the first
/// sending's requests.
#[utoipa::path(post, path = "/api/v1/cart/submit", tag = "cart", security(("session" = [])), request_body = CartSubmit,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = CartSubmitted, description = "Sent (or, for a retried key, sent before)"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Not every line fits (nothing was booked)"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn submit(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Json(body): Json<CartSubmit>,
) -> Result<(StatusCode, Json<CartSubmitted>)> {
    let key = idempotency_key(&headers, lang)?;
    let (sent, _replayed) = service::submit(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        &body,
        key.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(sent)))
}
