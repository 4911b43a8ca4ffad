//! The catalogue API.

use super::extract::{Json, Path};
use super::lang::ReqLang;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::texts::Text;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use axum::Router;
use leenpunt_shared::{CatalogueQuery, FieldError, KitDetail, Lang, SearchResults};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/catalogue", get(search))
        .route("/api/v1/catalogue/{slug}", get(detail))
}

/// Documentation of the search parameters (repeat a facet parameter to choose several values).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// Free text; every word must match (as a prefix), accents and case ignored.
    q: Option<String>,
    /// Theme code, repeatable.
    theme: Option<Vec<String>>,
    /// Education level code, repeatable.
    level: Option<Vec<String>>,
    /// Kind code (`uitleen`, `lespakket`, `bezoek`), repeatable.
    kind: Option<Vec<String>>,
    /// Partner slug, repeatable.
    partner: Option<Vec<String>>,
    /// Pickup point slug, repeatable.
    pickup: Option<Vec<String>>,
    /// `relevance` (default), `title` or `newest`.
    sort: Option<String>,
    /// 1-based page number.
    page: Option<u32>,
    /// Only loan material with a unit free every day from this date (`YYYY-MM-DD`)…
    from: Option<String>,
    /// …up to and including this date (at most 366 days later; defaults to `from`).
    to: Option<String>,
}

/// Parses a query string into the catalogue query, or per-parameter messages.
pub fn parse_query(raw: Option<&str>, lang: Lang) -> Result<CatalogueQuery> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or_default())
        .map_err(|_| {
            AppError::Validation(vec![FieldError::new(
                "query",
                Text::TheQueryStringCouldNotBe.get(lang),
            )])
        })?;
    let (query, bad) =
        CatalogueQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if bad.is_empty() {
        return Ok(query);
    }
    Err(AppError::Validation(
        bad.into_iter()
            .map(|b| {
                let msg = Text::UnknownValueFor {
                    value: &b.value,
                    name: &b.name,
                }
                .get(lang);
                FieldError::new(b.name, msg)
            })
            .collect(),
    ))
}

/// Searches the catalogue, with facet counts.
#[utoipa::path(get, path = "/api/v1/catalogue", tag = "catalogue", params(SearchParams), responses(
    (status = 200, body = SearchResults),
    (status = 422, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
))]
#[tracing::instrument(skip(state))]
pub async fn search(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchResults>> {
    let query = parse_query(raw.as_deref(), lang)?;
    Ok(Json(state.catalogue.search(&query).await?))
}

/// One catalogue entry with its contents, pickup points, trainings and loan rules.
#[utoipa::path(get, path = "/api/v1/catalogue/{slug}", tag = "catalogue",
    params(("slug" = String, Path, description = "The entry's slug")),
    responses(
        (status = 200, body = KitDetail),
        (status = 404, body = leenpunt_shared::Problem, content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip(state))]
pub async fn detail(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<KitDetail>> {
    state
        .catalogue
        .detail(&slug)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}
