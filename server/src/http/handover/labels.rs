//! QR images and printable label sheets.

use super::*;

/// The scan URL of a unit's current label, for who may see the unit.
pub(super) async fn unit_url(state: &AppState, who: &Who, id: i64) -> Result<String> {
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
