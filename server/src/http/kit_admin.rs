//! Catalogue management over HTTP: the kit type form posts, the JSON API, photo uploads and
//! serving the uploaded photos.

use super::auth::Who;
use super::extract::{Json, Path};
use super::lang::ReqLang;
use crate::error::{AppError, Result};
use crate::service::kit_admin as service;
use crate::state::AppState;
use crate::texts::Text;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post, put};
use axum::Router;
use leenpunt_shared::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/admin/kits/{slug}", put(api_save))
        .route("/api/v1/admin/kits", post(api_create))
        .route("/beheer/materiaal", post(form_create))
        .route("/beheer/materiaal/{slug}", post(form_save))
        .route(
            "/beheer/materiaal/{slug}/foto",
            post(form_photo).layer(DefaultBodyLimit::max(12 * 1024 * 1024)),
        )
        .route("/fotos/{file}", get(photo))
        .route("/beheer/register/{kind}", post(form_register_create))
        .route("/beheer/gebruikers/{id}/uitschakelen", post(form_disable))
        .route("/beheer/gebruikers/{id}/inschakelen", post(form_enable))
        .route("/beheer/rollen/{id}/intrekken", post(form_remove_role))
        .route("/beheer/register/{kind}/{key}", post(form_register_save))
}

/// A kit type's fields, named as the catalogue CSV's columns.
type Fields = std::collections::BTreeMap<String, String>;

fn pairs(fields: Fields) -> Vec<(String, String)> {
    fields.into_iter().collect()
}

/// Changes a kit type (partner admins of its partner, admins); the fields, rules and
/// messages are the catalogue CSV's (one parser: `domain::import`).
#[utoipa::path(put, path = "/api/v1/admin/kits/{slug}", tag = "catalogue", security(("session" = [])), params(("slug" = String, Path)),
    request_body(content = std::collections::BTreeMap<String, String>, description = "The kit type's fields, named as the catalogue CSV's columns (lists `;`-separated). The kit editor's row fields may replace the list cells: `parts.<i>.name`, `parts.<i>.count`, `parts.<i>.pos`, `parts.<i>.remove`; `units.<i>.code`, `units.<i>.status`; `photos.<i>.url`, `photos.<i>.alt`, `photos.<i>.remove`; `add_units` with `unit_prefix`. A 422 names each field at fault the same way (`units.3.code`)."),
    responses(
    (status = 200, body = super::openapi::SlugBody, description = "Saved"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn api_save(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(slug): Path<String>,
    Json(fields): Json<Fields>,
) -> Result<Json<serde_json::Value>> {
    let slug = service::save(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        Some(&slug),
        &pairs(fields),
    )
    .await?;
    Ok(Json(serde_json::json!({ "slug": slug })))
}

/// Creates a kit type.
#[utoipa::path(post, path = "/api/v1/admin/kits", tag = "catalogue", security(("session" = [])),
    request_body(content = std::collections::BTreeMap<String, String>, description = "The kit type's fields, named as the catalogue CSV's columns (lists `;`-separated). The kit editor's row fields may replace the list cells: `parts.<i>.name`, `parts.<i>.count`, `parts.<i>.pos`, `parts.<i>.remove`; `units.<i>.code`, `units.<i>.status`; `photos.<i>.url`, `photos.<i>.alt`, `photos.<i>.remove`; `add_units` with `unit_prefix`. A 422 names each field at fault the same way (`units.3.code`)."),
    responses(
    (status = 201, body = super::openapi::SlugBody, description = "Created"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn api_create(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Json(fields): Json<Fields>,
) -> Result<(StatusCode, Json<serde_json::Value>)> {
    let slug = service::save(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        None,
        &pairs(fields),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "slug": slug })),
    ))
}

pub async fn form_save(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(slug): Path<String>,
    body: String,
) -> Result<Response> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let outcome = service::save(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        Some(&slug),
        &fields,
    )
    .await
    .map(|_| ());
    let target = format!("/beheer/materiaal/{slug}");
    super::drafts::back(&state, &who, &target, "opgeslagen", lang, fields, outcome).await
}

pub async fn form_create(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    body: String,
) -> Result<Response> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    match service::save(&state.db, state.clock.as_ref(), &who.0, lang, None, &fields).await {
        Ok(slug) => {
            Ok(Redirect::to(&format!("/beheer/materiaal/{slug}?ok=aangemaakt")).into_response())
        }
        Err(e) => {
            super::drafts::back(
                &state,
                &who,
                "/beheer/materiaal/nieuw",
                "",
                lang,
                fields,
                Err(e),
            )
            .await
        }
    }
}

/// A photo upload (multipart: `photo`, `alt`).
pub async fn form_photo(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(slug): Path<String>,
    mut multipart: Multipart,
) -> Result<Response> {
    let too_large = || {
        AppError::Validation(vec![FieldError::new(
            "photo",
            Text::PhotoTooLarge.get(lang),
        )])
    };
    let mut bytes = Vec::new();
    let mut alt = String::new();
    let mut failure = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(data) if name == "photo" => bytes = data.to_vec(),
                    Ok(data) if name == "alt" => alt = String::from_utf8_lossy(&data).into_owned(),
                    Ok(_) => {}
                    Err(_) => {
                        failure = Some(too_large());
                        break;
                    }
                }
            }
            Ok(None) => break,
            Err(_) => {
                failure = Some(too_large());
                break;
            }
        }
    }
    let target = format!("/beheer/materiaal/{slug}");
    let outcome = match failure {
        Some(e) => Err(e),
        None => service::add_photo(
            &state.db,
            state.clock.as_ref(),
            &who.0,
            lang,
            &state.config.data_dir,
            &slug,
            &service::Upload {
                bytes: &bytes,
                alt: &alt,
            },
        )
        .await
        .map(|_| ()),
    };
    super::redirect_with_outcome(&target, "foto", lang, outcome)
}

/// An uploaded photo (content-addressed, so cached for a year).
pub async fn photo(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response> {
    let valid = file.len() <= 40
        && file.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && !file.starts_with('.');
    let content_type = match file.rsplit_once('.').map(|(_, e)| e) {
        Some("png") => "image/png",
        Some("jpg") => "image/jpeg",
        Some("webp") => "image/webp",
        _ => return Err(AppError::NotFound),
    };
    if !valid {
        return Err(AppError::NotFound);
    }
    let bytes = tokio::fs::read(state.config.data_dir.join("photos").join(&file))
        .await
        .map_err(|_| AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        bytes,
    )
        .into_response())
}

/// A new record of a register (schools, partner services, pickup points).
pub async fn form_register_create(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(kind): Path<String>,
    body: String,
) -> Result<Response> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let outcome = crate::service::registers::save(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        &kind,
        None,
        &fields,
    )
    .await;
    match outcome {
        Ok(key) => Ok(Redirect::to(&format!(
            "/beheer/register/{kind}/{}?ok=aangemaakt",
            leenpunt_shared::query::encode_component(&key)
        ))
        .into_response()),
        Err(e) => {
            super::drafts::back(
                &state,
                &who,
                &format!("/beheer/register/{kind}/nieuw"),
                "",
                lang,
                fields,
                Err(e),
            )
            .await
        }
    }
}

/// A changed record of a register.
pub async fn form_register_save(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path((kind, key)): Path<(String, String)>,
    body: String,
) -> Result<Response> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let outcome = crate::service::registers::save(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        &kind,
        Some(&key),
        &fields,
    )
    .await
    .map(|_| ());
    let target = format!(
        "/beheer/register/{kind}/{}",
        leenpunt_shared::query::encode_component(&key)
    );
    super::drafts::back(&state, &who, &target, "opgeslagen", lang, fields, outcome).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct BackTo {
    #[serde(default)]
    next: String,
}

fn users_page(next: &str) -> String {
    if next.starts_with("/beheer/gebruikers") {
        super::lang::safe_next(Some(next.to_owned()))
    } else {
        "/beheer/gebruikers".to_owned()
    }
}

pub async fn form_disable(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    super::extract::Form(back): super::extract::Form<BackTo>,
) -> Result<Response> {
    let outcome = crate::service::users::set_disabled(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        UserId(id),
        true,
    )
    .await;
    super::redirect_with_outcome(&users_page(&back.next), "uitgeschakeld", lang, outcome)
}

pub async fn form_enable(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    super::extract::Form(back): super::extract::Form<BackTo>,
) -> Result<Response> {
    let outcome = crate::service::users::set_disabled(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        UserId(id),
        false,
    )
    .await;
    super::redirect_with_outcome(&users_page(&back.next), "ingeschakeld", lang, outcome)
}

pub async fn form_remove_role(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
    super::extract::Form(back): super::extract::Form<BackTo>,
) -> Result<Response> {
    let outcome =
        crate::service::users::remove_role(&state.db, state.clock.as_ref(), &who.0, id).await;
    super::redirect_with_outcome(&users_page(&back.next), "rol", lang, outcome)
}
