//! The scan link on every label (`/s/{code}`) and the typed-code form: where a code leads,
//! for whoever opens it.

use super::*;

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

pub(super) async fn open_code(
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
pub(super) fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}
