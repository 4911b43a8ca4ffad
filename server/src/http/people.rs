//! People and roles over the API: the user administration's list and search, disabling
//! and enabling accounts, taking a role away. The same service functions as
//! `/beheer/gebruikers` (`service::users`), so the same rules and messages.

use super::auth::Who;
use super::extract::{Json, Path, Query};
use super::lang::ReqLang;
use crate::error::Result;
use crate::service::users as service;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use leenpunt_shared::admin::UserRow;
use leenpunt_shared::{Problem, UserId};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/users", get(list))
        .route("/api/v1/users/{id}/disable", post(disable))
        .route("/api/v1/users/{id}/enable", post(enable))
        .route("/api/v1/roles/{id}", delete(remove_role))
}

/// `?q=`: part of a name or an e-mail address.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PeopleQuery {
    /// Part of a name or e-mail address; empty: everyone.
    #[serde(default)]
    pub q: String,
}

/// People by name or e-mail, with their roles (admins: everyone; partner admins: the
/// people holding a role at their partner service).
#[utoipa::path(get, operation_id = "list_users", path = "/api/v1/users", tag = "accounts", security(("session" = [])), params(PeopleQuery), responses(
    (status = 200, body = Vec<UserRow>),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
pub async fn list(
    State(state): State<AppState>,
    who: Who,
    Query(query): Query<PeopleQuery>,
) -> Result<Json<Vec<UserRow>>> {
    Ok(Json(service::list(&state.db, &who.0, &query.q).await?))
}

/// Disables an account: its sessions end and its tokens stop working (admins; never
/// one's own account).
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "accounts", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 204, description = "Disabled (also when it already was)"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "One's own account"),
))]
pub async fn disable(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    service::set_disabled(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        UserId(id),
        true,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enables a disabled account again (admins).
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", tag = "accounts", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 204, description = "Enabled (also when it already was)"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json", description = "One's own account"),
))]
pub async fn enable(
    State(state): State<AppState>,
    who: Who,
    ReqLang(lang): ReqLang,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    service::set_disabled(
        &state.db,
        state.clock.as_ref(),
        &who.0,
        lang,
        UserId(id),
        false,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes a role away (`id`: the role's id in a person's `roles`): admins any, partner
/// admins their own partner service's desk staff and trainers.
#[utoipa::path(delete, path = "/api/v1/roles/{id}", tag = "accounts", security(("session" = [])), params(("id" = i64, Path)), responses(
    (status = 204, description = "Taken away"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
pub async fn remove_role(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    service::remove_role(&state.db, state.clock.as_ref(), &who.0, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
