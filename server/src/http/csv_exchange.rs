//! CSV import and export over HTTP: the JSON API (a `text/csv` body in, a preview with
//! every problem out; confirm by token; downloads) and the import screen's form posts
//! (multipart, no JavaScript needed).

use super::auth::Who;
use super::extract::{Json, Path};
use super::lang::ReqLang;
use crate::domain::csv_upload::MAX_BYTES;
use crate::error::{AppError, Result};
use crate::service::csv_exchange as service;
use crate::state::AppState;
use crate::texts::Text;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use leenpunt_shared::csv_import::{ImportKind, ImportOutcome, ImportPreview};
use leenpunt_shared::query::encode_component;
use leenpunt_shared::{FieldError, Lang, Problem};

/// The import screen.
pub const SCREEN: &str = "/beheer/import";

pub fn routes() -> Router<AppState> {
    // Room for the multipart framing around a file of the largest size.
    let form_limit = DefaultBodyLimit::max(MAX_BYTES + 64 * 1024);
    Router::new()
        .route("/api/v1/imports/catalogue", post(api_upload_catalogue))
        .route("/api/v1/imports/closed-days", post(api_upload_closed_days))
        .route("/api/v1/imports/{token}", get(api_preview))
        .route("/api/v1/imports/{token}/confirm", post(api_confirm))
        .route("/api/v1/exports/catalogue", get(export_catalogue))
        .route("/api/v1/exports/closed-days", get(export_closed_days))
        .route(
            "/beheer/import/catalogus",
            post(form_upload_catalogue).layer(form_limit),
        )
        .route(
            "/beheer/import/sluitingsdagen",
            post(form_upload_closed_days).layer(form_limit),
        )
        .route("/beheer/import/{token}/bevestigen", post(form_confirm))
}

/// The body of an API upload: a CSV file sent as `text/csv` (or `application/csv`,
/// `text/plain`), at most 2 MiB.
async fn csv_body(lang: Lang, headers: &HeaderMap, body: Body) -> Result<Vec<u8>> {
    let essence = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(
        essence.as_str(),
        "text/csv" | "application/csv" | "text/plain"
    ) {
        return Err(AppError::BadRequest(vec![FieldError::new(
            "content-type",
            Text::SendAsCsv.get(lang),
        )]));
    }
    axum::body::to_bytes(body, MAX_BYTES)
        .await
        .map(|b| b.to_vec())
        .map_err(|_| AppError::PayloadTooLarge)
}

async fn api_upload(
    state: AppState,
    who: Who,
    lang: Lang,
    kind: ImportKind,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<ImportPreview>)> {
    // Refuse people who may not import before reading what they sent.
    service::screen(&state.db, state.clock.as_ref(), &who.0, lang, None).await?;
    let bytes = csv_body(lang, &headers, body).await?;
    let preview = service::upload(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        kind,
        kind.file_name(),
        &bytes,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(preview)))
}

/// Uploads a catalogue CSV (the CLI's format) and answers its preview: every problem
/// per line and column, or what the import would change. Nothing is written to the
/// catalogue; confirm with the preview's token.
#[utoipa::path(post, path = "/api/v1/imports/catalogue", tag = "catalogue", security(("session" = [])),
    request_body(content = String, content_type = "text/csv", description = "The catalogue CSV, UTF-8, at most 2 MiB"),
    responses(
        (status = 201, body = ImportPreview, description = "Kept for an hour; `problems` lists every problem, `summary` what would change"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Not a UTF-8 text file (empty, a spreadsheet, another encoding)"),
    ))]
pub async fn api_upload_catalogue(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<ImportPreview>)> {
    api_upload(state, who, lang, ImportKind::Catalogue, headers, body).await
}

/// Uploads a closed-days CSV (`pickup_point,first_day,last_day,reason`) and answers its
/// preview. Nothing is written; confirm with the preview's token.
#[utoipa::path(post, path = "/api/v1/imports/closed-days", tag = "reservations", security(("session" = [])),
    request_body(content = String, content_type = "text/csv", description = "The closed-days CSV, UTF-8, at most 2 MiB"),
    responses(
        (status = 201, body = ImportPreview, description = "Kept for an hour; `problems` lists every problem, `summary` what would change"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Not a UTF-8 text file (empty, a spreadsheet, another encoding)"),
    ))]
pub async fn api_upload_closed_days(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<ImportPreview>)> {
    api_upload(state, who, lang, ImportKind::ClosedDays, headers, body).await
}

/// An upload's preview, checked again against the data of now (only its uploader's).
#[utoipa::path(get, path = "/api/v1/imports/{token}", tag = "catalogue", security(("session" = [])),
    params(("token" = String, Path, description = "The preview's token")),
    responses(
        (status = 200, body = ImportPreview),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn api_preview(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(token): Path<String>,
) -> Result<Json<ImportPreview>> {
    Ok(Json(
        service::preview(&state.db, state.clock.as_ref(), &who.0, lang, &token).await?,
    ))
}

/// Imports exactly the previewed file, all or nothing. Sent again (a double click, a
/// retry), it writes nothing and answers the first outcome with `already_applied`.
#[utoipa::path(post, path = "/api/v1/imports/{token}/confirm", tag = "catalogue", security(("session" = [])),
    params(("token" = String, Path, description = "The preview's token")),
    responses(
        (status = 200, body = ImportOutcome),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "The preview expired"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "The file has problems (now): each is an error at `file`"),
    ))]
pub async fn api_confirm(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(token): Path<String>,
) -> Result<Json<ImportOutcome>> {
    Ok(Json(
        service::confirm(&state.db, state.clock.as_ref(), &who.0, lang, &token).await?,
    ))
}

async fn download(state: AppState, who: Who, kind: ImportKind) -> Result<Response> {
    let csv = service::export(&state.db, &who.0, kind).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", kind.file_name()),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        csv,
    )
        .into_response())
}

/// The catalogue as CSV, in the format the import reads (partner admins: their own
/// partner services' kit types).
#[utoipa::path(get, path = "/api/v1/exports/catalogue", tag = "catalogue", security(("session" = [])),
    responses(
        (status = 200, content_type = "text/csv", body = String, description = "A download (`Content-Disposition: attachment`)"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn export_catalogue(State(state): State<AppState>, who: Who) -> Result<Response> {
    download(state, who, ImportKind::Catalogue).await
}

/// The closed days this person may change, as CSV in the format the import reads.
#[utoipa::path(get, path = "/api/v1/exports/closed-days", tag = "reservations", security(("session" = [])),
    responses(
        (status = 200, content_type = "text/csv", body = String, description = "A download (`Content-Disposition: attachment`)"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn export_closed_days(State(state): State<AppState>, who: Who) -> Result<Response> {
    download(state, who, ImportKind::ClosedDays).await
}

/// The `file` field of a form upload, with its name. `Err`: the message for the screen.
async fn form_file(
    lang: Lang,
    mut multipart: Multipart,
) -> std::result::Result<(String, Vec<u8>), String> {
    let too_large = || Text::UploadTooLarge { mib: &2 }.get(lang);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                return match field.bytes().await {
                    Ok(data) => Ok((name, data.to_vec())),
                    Err(_) => Err(too_large()),
                };
            }
            Ok(Some(_)) => {}
            Ok(None) => return Err(Text::ChooseCsvFirst.get(lang)),
            Err(_) => return Err(too_large()),
        }
    }
}

fn to_screen(query: &str) -> Response {
    Redirect::to(&format!("{SCREEN}{query}")).into_response()
}

async fn form_upload(
    state: AppState,
    who: Who,
    lang: Lang,
    kind: ImportKind,
    multipart: Multipart,
) -> Result<Response> {
    service::screen(&state.db, state.clock.as_ref(), &who.0, lang, None).await?;
    let outcome = match form_file(lang, multipart).await {
        Ok((name, bytes)) => {
            service::upload(
                &state.db,
                state.clock.as_ref(),
                &who.0,
                lang,
                kind,
                &name,
                &bytes,
            )
            .await
        }
        Err(message) => Err(AppError::Validation(vec![FieldError::new("file", message)])),
    };
    match outcome {
        Ok(preview) => Ok(to_screen(&format!(
            "?upload={}#voorbeeld",
            encode_component(&preview.token)
        ))),
        Err(e) => super::redirect_with_outcome(
            &format!("{SCREEN}?soort={}", kind.code()),
            "",
            lang,
            Err(e),
        ),
    }
}

pub async fn form_upload_catalogue(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    multipart: Multipart,
) -> Result<Response> {
    form_upload(state, who, lang, ImportKind::Catalogue, multipart).await
}

pub async fn form_upload_closed_days(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    multipart: Multipart,
) -> Result<Response> {
    form_upload(state, who, lang, ImportKind::ClosedDays, multipart).await
}

/// Confirms from the screen; the screen then shows the outcome (or why not).
pub async fn form_confirm(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(token): Path<String>,
) -> Result<Response> {
    let outcome = service::confirm(&state.db, state.clock.as_ref(), &who.0, lang, &token).await;
    super::redirect_with_outcome(
        &format!("{SCREEN}?upload={}", encode_component(&token)),
        "1",
        lang,
        outcome.map(|_| ()),
    )
}
