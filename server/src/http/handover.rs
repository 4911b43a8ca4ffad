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

/// The link in every QR label: desk staff land on the unit with its actions, everyone
/// else on the kit's public page. A code that leads nowhere answers a browser with the
/// page that says so and lets them type it again; API clients get problem+json.
pub async fn scan_link(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response> {
    open_code(&state, &who, &headers, &code).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ScanQuery {
    #[serde(default)]
    code: String,
}

/// `/s?code=…`: the field on the unknown-code page (a GET form) opens a code as its label
/// would.
pub async fn scan_form(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Query(query): Query<ScanQuery>,
) -> Result<Response> {
    if query.code.trim().is_empty() {
        return Ok(Redirect::to("/code").into_response());
    }
    open_code(&state, &who, &headers, &query.code).await
}

async fn open_code(
    state: &AppState,
    who: &Who,
    headers: &HeaderMap,
    code: &str,
) -> Result<Response> {
    match service::scan_target(&state.db, &who.0, code).await {
        Ok(ScanTarget::Desk(unit)) => {
            Ok(Redirect::to(&format!("/balie/exemplaren/{}", unit.0)).into_response())
        }
        Ok(ScanTarget::Kit { slug, replaced }) => Ok(Redirect::to(&format!(
            "/catalogus/{}{}",
            encode_component(&slug),
            if replaced { "?label=vervangen" } else { "" }
        ))
        .into_response()),
        Err(AppError::NotFound) if wants_html(headers) => Ok(Redirect::to(&format!(
            "/code?onbekend={}",
            encode_component(code.trim())
        ))
        .into_response()),
        Err(e) => Err(e),
    }
}

/// Whether the request comes from a browser navigating (rather than an API client).
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

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

/// A desk scan's `Idempotency-Key`: as for bookings, except that an empty header (the
/// camera scanner sends one) means none.
fn desk_key(headers: &HeaderMap, lang: Lang) -> Result<Option<String>> {
    match headers.get("idempotency-key") {
        Some(v) if v.is_empty() => Ok(None),
        _ => super::reservations::idempotency_key(headers, lang),
    }
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
    (status = 200, body = super::openapi::LabelBody, description = "The new label code"),
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

/// The scan URL of a unit's current label, for who may see the unit.
async fn unit_url(state: &AppState, who: &Who, id: i64) -> Result<String> {
    let screen = service::unit_screen(&state.db, state.clock.as_ref(), &who.0, UnitId(id)).await?;
    let code = screen
        .unit
        .label
        .as_deref()
        .and_then(|l| TagCode::parse(l).ok())
        .ok_or(AppError::NotFound)?;
    Ok(scan_url(&state.config.public_url(), &code))
}

/// The QR code of a unit's label as SVG.
#[utoipa::path(get, path = "/api/v1/units/{id}/qr.svg", tag = "hand-over", security(("session" = [])), params(("id" = i64, Path)), responses((status = 200, content_type = "image/svg+xml"), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn qr_image_svg(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Response> {
    let url = unit_url(&state, &who, id).await?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], qr_svg(&url)).into_response())
}

/// The QR code of a unit's label as PNG.
#[utoipa::path(get, path = "/api/v1/units/{id}/qr.png", tag = "hand-over", security(("session" = [])), params(("id" = i64, Path)), responses((status = 200, content_type = "image/png"), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn qr_image_png(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Response> {
    let url = unit_url(&state, &who, id).await?;
    Ok(([(header::CONTENT_TYPE, "image/png")], qr_png(&url, 8)).into_response())
}

/// A printable A4 sheet of labels: `layout=small|large`, and `kit=<slug>` or `unit=<id>`
/// (repeated) to choose; all of the asker's units otherwise. Producing a sheet records its
/// labels as printed (for the "labels not yet printed" count on `/beheer`).
pub async fn sheet(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Extension(nonce): Extension<CspNonce>,
    raw: axum::extract::RawQuery,
) -> Result<Response> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.0.as_deref().unwrap_or("")).unwrap_or_default();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let layout = get("layout")
        .and_then(LabelLayout::from_wire)
        .unwrap_or(LabelLayout::Small);
    let units: Vec<UnitId> = pairs
        .iter()
        .filter(|(k, _)| k == "unit")
        .filter_map(|(_, v)| v.parse().ok().map(UnitId))
        .collect();
    let kit = get("kit").filter(|k| !k.is_empty());
    let html = service::label_sheet(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        &service::SheetRequest {
            units: &units,
            kit,
            layout,
            first: get("start").and_then(|s| s.parse().ok()).unwrap_or(1),
        },
        &state.config.public_url(),
        Some(&nonce.0),
    )
    .await?;
    Ok(Html(html).into_response())
}

// ---- Form posts from the desk pages ---------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    override_reason: String,
}

pub async fn form_hand_over(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    let target = format!("/balie/uitgifte/{id}");
    let outcome = service::hand_over(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        ReservationId(id),
        &HandoverBody {
            code: form.code.clone(),
            override_reason: form.override_reason,
        },
    )
    .await;
    let ok = match &outcome {
        Ok(o) if o.already => format!("al-meegegeven:{}::{}", o.unit, o.kit_title),
        Ok(o) => format!("meegegeven:{}::{}", o.unit, o.kit_title),
        Err(_) => String::new(),
    };
    // A refused scan keeps the code, so the desk can override without typing it again.
    let target = match &outcome {
        Err(AppError::Refused {
            kind: "qualification-missing",
            ..
        }) => {
            format!("{target}?code={}", encode_component(&form.code))
        }
        _ => target,
    };
    super::redirect_with_outcome(&target, &ok, lang, outcome.map(|_| ()))
}

/// The return screen's first step: which unit is coming back.
pub async fn form_find_return(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    match service::return_screen(&state.db, state.clock.as_ref(), &who.0, lang, &form.code).await {
        Ok(screen) => {
            let code = screen.unit.label.unwrap_or_default().replace('-', "");
            Ok(Redirect::to(&format!("/balie/inname/{code}")).into_response())
        }
        Err(e) => super::redirect_with_outcome("/balie/inname", "", lang, Err(e)),
    }
}

/// The return screen's second step: the counted contents and any damage. Fields come
/// as `name_<i>` / `count_<i>` pairs and `damage`.
pub async fn form_take_back(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(code): Path<String>,
    body: String,
) -> Result<Response> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let mut parts = Vec::new();
    let mut bad = Vec::new();
    for (key, name) in pairs.iter().filter(|(k, _)| k.starts_with("name_")) {
        let index = &key["name_".len()..];
        let raw = get(&format!("count_{index}")).unwrap_or_default();
        match raw.trim().parse::<i64>() {
            Ok(counted) => parts.push(PartCountBody {
                name: name.clone(),
                counted,
            }),
            Err(_) => bad.push(name.clone()),
        }
    }
    let request = get("aanvraag").and_then(|r| r.trim().parse::<i64>().ok());
    let target = match request {
        Some(r) => format!("/balie/inname/{code}?aanvraag={r}"),
        None => format!("/balie/inname/{code}"),
    };
    if !bad.is_empty() {
        let message = if lang == Lang::Nl {
            format!("Geef een aantal voor: {}.", bad.join(", "))
        } else {
            format!("Enter a count for: {}.", bad.join(", "))
        };
        return super::redirect_with_outcome(
            &target,
            "",
            lang,
            Err(AppError::Validation(vec![FieldError::new(
                "parts", message,
            )])),
        );
    }
    let body = ReturnBody {
        code: code.clone(),
        parts,
        damage: get("damage").unwrap_or_default(),
    };
    let outcome = match request {
        Some(request) => service::take_back_request_once(
            &state.db,
            state.clock.as_ref(),
            &state.config.public_url(),
            &who.0,
            lang,
            request,
            &body,
            None,
        )
        .await
        .map(|o| o.outcome),
        None => {
            service::take_back(
                &state.db,
                state.clock.as_ref(),
                &state.config.public_url(),
                &who.0,
                lang,
                &body,
            )
            .await
        }
    };
    let back_to = request.map_or_else(
        || "/balie/inname".to_owned(),
        |r| format!("/balie/aanvraag/{r}/inname"),
    );
    match outcome {
        Ok(o) => {
            let mut flags = Vec::new();
            if o.to_maintenance {
                flags.push("onderhoud");
            }
            if o.late {
                flags.push("laat");
            }
            // `what:unit:flags:kit title` (the title last: it may hold colons).
            let ok = format!("terug:{}:{}:{}", o.unit, flags.join(","), o.kit_title);
            super::redirect_with_outcome(&back_to, &ok, lang, Ok(()))
        }
        Err(e) => super::redirect_with_outcome(&target, "", lang, Err(e)),
    }
}

pub async fn form_retag(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Response> {
    let outcome = service::retag(&state.db, state.clock.as_ref(), &who.0, UnitId(id)).await;
    let ok = outcome
        .as_ref()
        .map(|c| format!("label:{c}"))
        .unwrap_or_default();
    super::redirect_with_outcome(
        &format!("/balie/exemplaren/{id}"),
        &ok,
        lang,
        outcome.map(|_| ()),
    )
}

/// The desk's code field anywhere: a unit's page for a known code (label or inventory
/// code); a replaced label opens it with the notice that the label was replaced.
pub async fn form_lookup(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    match service::scan(&state.db, &who.0, lang, &form.code).await {
        Ok(s) if s.replaced => super::redirect_with_outcome(
            &format!("/balie/exemplaren/{}", s.unit.id.0),
            "",
            lang,
            Err(service::replaced_refusal(lang, &s.unit)),
        ),
        Ok(s) => Ok(Redirect::to(&format!("/balie/exemplaren/{}", s.unit.id.0)).into_response()),
        Err(e) => super::redirect_with_outcome("/balie/vandaag", "", lang, Err(e)),
    }
}

/// A unit in maintenance goes back in service; its tickets close.
pub async fn form_back_in_service(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<Response> {
    let outcome = service::back_in_service(
        &state.db,
        state.clock.as_ref(),
        &state.config.public_url(),
        &who.0,
        lang,
        UnitId(id),
    )
    .await;
    super::redirect_with_outcome(
        &format!("/balie/exemplaren/{id}"),
        "in-dienst",
        lang,
        outcome,
    )
}

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
    super::redirect_with_outcome(&target, &ok, lang, outcome.map(|_| ()))
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
        Err(e) => super::redirect_with_outcome(&target, "", lang, Err(e)),
    }
}
