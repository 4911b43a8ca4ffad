//! The desk's JSON API: scanning, handing over, taking back, a unit's history, retagging.

use super::*;

/// What a scanned or typed code is (desk staff of the unit's partner).
#[utoipa::path(get, path = "/api/v1/scan/{code}", tag = "hand-over", security(("session" = [])), params(("code" = String, Path)), responses(
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 200, body = ScanResult),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn scan(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(code): Path<String>,
) -> Result<Json<ScanResult>> {
    Ok(Json(service::scan(&state.db, &who.0, lang, &code).await?))
}

/// Hands a unit over for a confirmed reservation. A repeat scan answers `already`. With
/// an `Idempotency-Key` header (the desk's offline queue sends one per scan) a retry gets
/// the first answer again and nothing more is written; a refusal's problem `type` is
/// stable (`/problems/reservation-closed`, `/problems/unit-on-another-loan`, …).
#[utoipa::path(post, path = "/api/v1/reservations/{id}/handover", tag = "hand-over", security(("session" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = HandoverBody, responses(
    (status = 200, body = HandoverOutcome),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn hand_over(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<HandoverBody>,
) -> Result<Json<HandoverOutcome>> {
    let key = desk_key(&headers, lang)?;
    Ok(Json(
        service::hand_over_once(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            ReservationId(id),
            &body,
            key.as_deref(),
        )
        .await?,
    ))
}

/// Takes a unit back, with the contents as counted and any damage. With an
/// `Idempotency-Key` header a retry gets the first answer again and writes nothing.
#[utoipa::path(post, path = "/api/v1/returns", tag = "hand-over", security(("session" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = ReturnBody, responses(
    (status = 200, body = ReturnOutcome),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn take_back(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ReturnBody>,
) -> Result<Json<ReturnOutcome>> {
    let key = desk_key(&headers, lang)?;
    Ok(Json(
        service::take_back_once(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            &body,
            key.as_deref(),
        )
        .await?,
    ))
}

/// A unit's hand-overs and returns, newest first.
#[utoipa::path(get, path = "/api/v1/units/{id}/history", tag = "hand-over", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = Vec<LoanLine>),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn history(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Json<Vec<LoanLine>>> {
    let screen = service::unit_screen(&state.db, state.clock.as_ref(), &who.0, UnitId(id)).await?;
    Ok(Json(screen.history))
}

/// Gives a unit a new label (partner admins); the old code answers "replaced".
#[utoipa::path(post, path = "/api/v1/units/{id}/retag", tag = "hand-over", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 200, body = crate::http::openapi::LabelBody, description = "The new label code"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn retag(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>> {
    let label = service::retag(&state.db, state.clock.as_ref(), &who.0, UnitId(id)).await?;
    Ok(Json(serde_json::json!({ "label": label })))
}
