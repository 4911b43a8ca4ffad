//! The teacher's cart over HTTP: keeping it, checking it, sending it. Handlers only
//! extract, call `service::cart` and answer. A visitor who has not signed in keeps a cart
//! too, in a cookie (`leenpunt_cart`); signing in adds it to their own (`auth::start`).

use super::auth::Who;
use super::extract::{Json, Path};
use super::lang::ReqLang;
use super::reservations::idempotency_key;
use crate::error::Result;
use crate::service::cart as service;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use axum::Router;
use base64::Engine;
use leenpunt_shared::cart::{
    AnonymousCart, Cart, CartCheck, CartDates, CartSubmit, CartSubmitted, NewCartLine,
};
use leenpunt_shared::Problem;

/// The cookie that keeps a visitor's cart until they sign in.
pub const CART_COOKIE: &str = "leenpunt_cart";

/// The visitor's cart from its cookie (empty when there is none or it cannot be read).
pub fn anonymous_cart(headers: &HeaderMap) -> Option<AnonymousCart> {
    let value = super::auth::cookie(headers, CART_COOKIE)?;
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(value.as_bytes())
        .ok()?;
    serde_json::from_slice(&json).ok()
}

/// The cookie keeping `anon` (removed when it is empty).
pub fn cart_cookie(state: &AppState, anon: &AnonymousCart) -> HeaderValue {
    let secure = if state.config.public_url().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let empty = anon.lines.is_empty() && anon.pickup_date.is_none();
    let (value, max_age) = if empty {
        (String::new(), 0)
    } else {
        let json = serde_json::to_vec(anon).unwrap_or_default();
        (
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json),
            30 * 24 * 3600,
        )
    };
    HeaderValue::from_str(&format!(
        "{CART_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A visitor's cart kept again in its cookie, answered as a cart.
async fn keep(state: &AppState, status: StatusCode, anon: AnonymousCart) -> Result<Response> {
    let cart = service::anonymous::view(&state.db, &anon).await?;
    Ok((
        status,
        [(header::SET_COOKIE, cart_cookie(state, &anon))],
        Json(cart),
    )
        .into_response())
}

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

/// The signed-in person's cart, or a visitor's (kept in a cookie until they sign in,
/// then added to their own).
#[utoipa::path(get, path = "/api/v1/cart", tag = "cart", responses(
    (status = 200, body = Cart),
))]
pub async fn get_cart(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
) -> Result<Response> {
    if who.0.user.is_none() {
        let anon = anonymous_cart(&headers).unwrap_or_default();
        return Ok(Json(service::anonymous::view(&state.db, &anon).await?).into_response());
    }
    Ok(Json(service::get(&state.db, &who.0).await?).into_response())
}

/// Sets the dates chosen once for every line that has no dates of its own.
#[utoipa::path(put, path = "/api/v1/cart", tag = "cart", request_body = CartDates, responses(
    (status = 200, body = Cart),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn set_dates(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Json(body): Json<CartDates>,
) -> Result<Response> {
    if who.0.user.is_none() {
        let anon = anonymous_cart(&headers).unwrap_or_default();
        let anon = service::anonymous::set_dates(lang, anon, &body)?;
        return keep(&state, StatusCode::OK, anon).await;
    }
    Ok(
        Json(service::set_dates(&state.db, state.clock.as_ref(), &who.0, lang, &body).await?)
            .into_response(),
    )
}

/// Empties the cart.
#[utoipa::path(delete, path = "/api/v1/cart", tag = "cart", responses(
    (status = 204, description = "Emptied"),
))]
pub async fn clear(State(state): State<AppState>, who: Who) -> Result<Response> {
    if who.0.user.is_none() {
        let cookie = cart_cookie(&state, &AnonymousCart::default());
        return Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response());
    }
    service::clear(&state.db, &who.0).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Adds a kit type to the cart (the same kit type, point and dates add to that line).
#[utoipa::path(post, path = "/api/v1/cart/lines", tag = "cart", request_body = NewCartLine, responses(
    (status = 201, body = Cart),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn add_line(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Json(body): Json<NewCartLine>,
) -> Result<Response> {
    if who.0.user.is_none() {
        let anon = anonymous_cart(&headers).unwrap_or_default();
        let anon = service::anonymous::add(&state.db, lang, anon, &body).await?;
        return keep(&state, StatusCode::CREATED, anon).await;
    }
    let cart = service::add_line(&state.db, state.clock.as_ref(), &who.0, lang, &body).await?;
    Ok((StatusCode::CREATED, Json(cart)).into_response())
}

/// Changes a line: kit type, pickup point, quantity, its own dates.
#[utoipa::path(put, path = "/api/v1/cart/lines/{id}", tag = "cart", params(("id" = i64, Path)), request_body = NewCartLine, responses(
    (status = 200, body = Cart),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn update_line(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(body): Json<NewCartLine>,
) -> Result<Response> {
    if who.0.user.is_none() {
        let anon = anonymous_cart(&headers).unwrap_or_default();
        let anon = service::anonymous::update(&state.db, lang, anon, id, &body).await?;
        return keep(&state, StatusCode::OK, anon).await;
    }
    Ok(
        Json(service::update_line(&state.db, state.clock.as_ref(), &who.0, lang, id, &body).await?)
            .into_response(),
    )
}

/// Drops a line.
#[utoipa::path(delete, path = "/api/v1/cart/lines/{id}", tag = "cart", params(("id" = i64, Path)), responses(
    (status = 200, body = Cart),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
pub async fn remove_line(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response> {
    if who.0.user.is_none() {
        let anon = anonymous_cart(&headers).unwrap_or_default();
        let anon = service::anonymous::remove(anon, id)?;
        return keep(&state, StatusCode::OK, anon).await;
    }
    Ok(Json(service::remove_line(&state.db, &who.0, id).await?).into_response())
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
