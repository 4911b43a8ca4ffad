//! A request (a sent cart) at the desk: its screen, its hand-over and return, over JSON and
//! form posts.

use super::*;

// ---- cart desk (issue 20): one request is one hand-over -----------------------------

/// A request (a sent cart) at the desk: its lines with what is still to hand over and
/// what is out, the trainings the borrower lacks, and the receipt (every unit handed over,
/// by line). 404 for a request the asker does not handle.
#[utoipa::path(get, path = "/api/v1/requests/{id}/handover", tag = "hand-over", security(("session" = [])),
    params(("id" = i64, Path)), responses(
    (status = 200, body = RequestDeskScreen),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
pub async fn request_screen(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Json<RequestDeskScreen>> {
    Ok(Json(
        service::request_screen(&state.db, state.clock.as_ref(), &who.0, id).await?,
    ))
}

/// Hands a unit over on a request: it fills the first line of its kit type still short.
/// A unit of a kit type the request does not hold is refused (`/problems/unit-not-in-request`),
/// as is a unit when its kit type's lines are full (`/problems/all-handed-over`) or whatever
/// a single reservation refuses; a refusal writes nothing. A repeat scan answers `already`;
/// with an `Idempotency-Key` (the desk's offline queue sends one per scan) a retry gets the
/// first answer again. When the request is handed over as a whole, the borrower is mailed
/// one receipt listing every line.
#[utoipa::path(post, path = "/api/v1/requests/{id}/handover", tag = "hand-over", security(("session" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = HandoverBody, responses(
    (status = 200, body = RequestHandoverOutcome),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn hand_over_request(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<HandoverBody>,
) -> Result<Json<RequestHandoverOutcome>> {
    let key = desk_key(&headers, lang)?;
    Ok(Json(
        service::hand_over_request_once(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            id,
            &body,
            key.as_deref(),
        )
        .await?,
    ))
}

/// Takes a unit of a request back, with the contents as counted and any damage, as
/// `POST /api/v1/returns` does; a return may come in parts. A unit not out on one of the
/// request's lines is refused (`/problems/unit-not-in-request`) and nothing is written.
/// The answer says how many of the request's units are still out.
#[utoipa::path(post, path = "/api/v1/requests/{id}/returns", tag = "hand-over", security(("session" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = ReturnBody, responses(
    (status = 200, body = RequestReturnOutcome),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn take_back_request(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReturnBody>,
) -> Result<Json<RequestReturnOutcome>> {
    let key = desk_key(&headers, lang)?;
    Ok(Json(
        service::take_back_request_once(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            id,
            &body,
            key.as_deref(),
        )
        .await?,
    ))
}

/// The request's hand-over page posts each scan here.
pub async fn form_hand_over_request(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    let target = format!("/balie/aanvraag/{id}");
    let outcome = service::hand_over_request_once(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        id,
        &HandoverBody {
            code: form.code.clone(),
            override_reason: form.override_reason,
        },
        None,
    )
    .await;
    let ok = match &outcome {
        Ok(o) if o.already => format!("al-meegegeven:{}::{}", o.unit, o.kit_title),
        Ok(o) => format!("meegegeven:{}::{}", o.unit, o.kit_title),
        Err(_) => String::new(),
    };
    let target = match &outcome {
        Err(AppError::Refused {
            kind: "qualification-missing",
            ..
        }) => format!("{target}?code={}", encode_component(&form.code)),
        _ => target,
    };
    crate::http::redirect_with_outcome(&target, &ok, lang, outcome.map(|_| ()))
}

/// The request's return page: which unit is coming back. Only a unit out on one of the
/// request's lines goes on to the contents check (which then returns to this page).
pub async fn form_find_request_return(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    let target = format!("/balie/aanvraag/{id}/inname");
    let found = service::request_return_screen(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        id,
        &form.code,
    )
    .await;
    match found {
        Ok(screen) => {
            let code = screen.unit.label.unwrap_or_default().replace('-', "");
            Ok(Redirect::to(&format!("/balie/inname/{code}?aanvraag={id}")).into_response())
        }
        Err(e) => crate::http::redirect_with_outcome(&target, "", lang, Err(e)),
    }
}
