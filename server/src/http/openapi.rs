//! The OpenAPI document, generated from the handlers and the shared types.

use crate::state::AppState;
use axum::routing::get;
use axum::Router;
use leenpunt_shared::Problem;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(title = "Leenpunt API", version = "1", description = "Lending and reservations for the education services of West Flanders."),
    paths(
        super::catalogue::search, super::catalogue::detail, super::health::healthz, super::health::readyz,
        super::auth::create_session, super::auth::end_session, super::auth::end_all_sessions, super::auth::me, super::auth::set_lang, super::auth::set_reminders, super::privacy::mine, super::privacy::theirs, super::erasure::ask, super::erasure::pending, super::erasure::confirm, super::erasure::refuse,
        super::audit::list, super::audit::export, super::school_request::api_request, super::signup::api_sign_up, super::signup::schools, super::signup::mailbox, super::signup::api_request_reset, super::signup::api_reset, super::signup::api_invite, super::signup::api_accept,
        super::reservations::availability, super::reservations::create, super::reservations::list, super::reservations::one,
        super::reservations::cancel, super::reservations::approve, super::reservations::reject, super::reservations::extend,
        super::feeds::list, super::feeds::create, super::feeds::regenerate, super::feeds::revoke, super::feeds::reservation_ics,
        super::closed_days::list, super::closed_days::add, super::closed_days::remove,
        super::reservations::accept, super::reservations::unit_status, super::reservations::join_waitlist, super::reservations::my_waitlist, super::reservations::leave_waitlist,
        super::trainings::list_trainings, super::trainings::create_training, super::trainings::update_training, super::trainings::delete_training,
        super::trainings::list_sessions, super::trainings::create_session, super::trainings::one_session, super::trainings::register, super::trainings::unregister,
        super::trainings::roster, super::trainings::call_off, super::trainings::attendance, super::trainings::mark_attendance, super::trainings::walk_in, super::trainings::qualifications, super::trainings::grant, super::trainings::revoke,
        super::handover::scan, super::handover::hand_over, super::handover::take_back, super::handover::history, super::handover::retag, super::handover::qr_image_svg, super::handover::qr_image_png,
        super::kit_admin::api_save, super::kit_admin::api_create,
        super::csv_exchange::api_upload_catalogue, super::csv_exchange::api_upload_closed_days, super::csv_exchange::api_preview, super::csv_exchange::api_confirm, super::csv_exchange::export_catalogue, super::csv_exchange::export_closed_days,
        super::stats::report, super::stats::csv, super::stats::public,
        super::tokens::list_mine, super::tokens::create, super::tokens::revoke_mine, super::tokens::list_all, super::tokens::revoke_any,
        super::people::list, super::people::disable, super::people::enable, super::people::remove_role, super::registers::list, super::registers::one, super::registers::create, super::registers::save, super::desk::today, super::desk::agenda, super::kit_photos::upload, super::desk::overview, super::desk::unit, super::desk::back_in_service, super::desk::labels, super::desk::sheet,
        super::sync::reservations, super::sync::units, super::sync::schools, super::sync::people, super::sync::kit_types,
        super::cart::get_cart, super::cart::set_dates, super::cart::clear, super::cart::add_line, super::cart::update_line, super::cart::remove_line, super::cart::check, super::cart::submit,
        super::handover::request_screen, super::handover::hand_over_request, super::handover::take_back_request,
    ),
    modifiers(&CommonResponses),
    tags((name = "catalogue", description = "The lending catalogue"), (name = "health", description = "Probes"), (name = "accounts", description = "Signing in, sessions and the audit log"), (name = "reservations", description = "Availability and reservations"), (name = "calendar", description = "Calendar feeds and .ics files"), (name = "trainings", description = "Trainings, sessions and qualifications"), (name = "hand-over", description = "Labels, scanning, hand-over and return"), (name = "stats", description = "In cijfers: the service's figures"), (name = "cart", description = "A teacher's cart: several kit types in one request"))
)]
pub struct ApiDoc;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async { super::extract::Json(ApiDoc::openapi()) }),
    )
}

/// The body `{ "slug": … }` of the kit type API's answers (described here only: the
/// handlers answer with `serde_json::json!`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SlugBody {
    slug: String,
}

/// The body `{ "label": … }`: a unit's new label code.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct LabelBody {
    label: String,
}

/// The body `{ "id": … }`: the id of what was created.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct IdBody {
    id: i64,
}

/// The session cookie, as the security scheme operations that need a signed-in user name.
pub const SESSION_SCHEME: &str = "session";
/// A personal access token (`Authorization: Bearer lp_…`): every operation that takes a
/// session takes a token too, except signing in and making tokens.
pub const BEARER_SCHEME: &str = "bearer";

/// Adds the token as an alternative to the session where a token may be used.
fn allow_tokens(path: &str, item: &mut utoipa::openapi::PathItem) {
    use utoipa::openapi::security::SecurityRequirement;
    let ops = [
        (axum::http::Method::GET, &mut item.get),
        (axum::http::Method::POST, &mut item.post),
        (axum::http::Method::PUT, &mut item.put),
        (axum::http::Method::PATCH, &mut item.patch),
        (axum::http::Method::DELETE, &mut item.delete),
    ];
    for (method, op) in ops {
        let Some(op) = op.as_mut() else { continue };
        if super::tokens::session_only(&method, path) {
            continue;
        }
        let Some(security) = op.security.as_mut() else {
            continue;
        };
        let names = |r: &SecurityRequirement| {
            serde_json::to_value(r)
                .ok()
                .and_then(|v| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()))
                .unwrap_or_default()
        };
        let has = |name: &str| security.iter().any(|r| names(r).iter().any(|n| n == name));
        if has(SESSION_SCHEME) && !has(BEARER_SCHEME) {
            security.push(SecurityRequirement::new::<_, _, &str>(BEARER_SCHEME, []));
        }
    }
}

/// Adds the answers that follow from what an operation takes, not from what it does, so no
/// operation's list can forget them:
/// - 400 when it has path or query parameters or a body (the extractors' refusals),
/// - 413 and 422 when it has a body (too large; well-formed but the wrong shape),
/// - 401 when it names the session security scheme,
/// - 403 for writes (a cross-site request is refused, see `auth::csrf`),
/// - 404 when it has path parameters (nothing with that id or slug),
/// - 503 for every operation (the request timed out or the server sheds load).
///
/// All as problem+json, each with the `Problem` schema.
struct CommonResponses;

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            SESSION_SCHEME,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::service::accounts::SESSION_COOKIE,
            ))),
        );
        components.add_security_scheme(
            BEARER_SCHEME,
            SecurityScheme::Http(
                utoipa::openapi::security::HttpBuilder::new()
                    .scheme(utoipa::openapi::security::HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal access token (`lp_…`), made on Mijn account",
                    ))
                    .build(),
            ),
        );
        components
            .schemas
            .entry(Problem::name().into_owned())
            .or_insert_with(Problem::schema);
        for (path, item) in openapi.paths.paths.iter_mut() {
            allow_tokens(path, item);
            let writes = [
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for op in writes.into_iter().flatten() {
                add(op, 403, "Refused: not allowed, or sent from another site");
            }
            let all = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for op in all.into_iter().flatten() {
                add_common(op);
            }
        }
    }
}

fn add_common(op: &mut Operation) {
    let takes = |place: ParameterIn| {
        op.parameters
            .iter()
            .flatten()
            .any(|p| p.parameter_in == place)
    };
    let (path, query, body) = (
        takes(ParameterIn::Path),
        takes(ParameterIn::Query),
        op.request_body.is_some(),
    );
    let signed_in = op.security.as_ref().is_some_and(|s| !s.is_empty());
    if path || query || body {
        add(
            op,
            400,
            "The request could not be read (malformed JSON, a value of the wrong type)",
        );
    }
    if body {
        add(op, 413, "The request body is too large");
        add(
            op,
            422,
            "Some fields are missing or not valid; `errors` says which",
        );
    }
    if signed_in {
        add(op, 401, "Not signed in");
    }
    if path {
        add(op, 404, "Not found");
    }
    add(
        op,
        500,
        "Something failed on the server's side (never a mistake in the request); nothing was written",
    );
    add(
        op,
        503,
        "Temporarily unavailable (timed out or busy); try again later",
    );
}

/// Documents a problem+json answer, unless the operation already describes that status.
fn add(op: &mut Operation, status: u16, description: &str) {
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/problem+json",
                        ContentBuilder::new()
                            .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                                Problem::name(),
                            ))))
                            .build(),
                    )
                    .build(),
            )
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Client generators name their methods after the operation ids: each must be unique.
    /// A handler named like another (`list`, `create`) needs `operation_id = "…"`.
    #[test]
    fn every_operation_id_is_unique() {
        let doc = ApiDoc::openapi();
        let mut seen = std::collections::BTreeMap::new();
        for (path, item) in &doc.paths.paths {
            let ops = [
                ("GET", &item.get),
                ("PUT", &item.put),
                ("POST", &item.post),
                ("DELETE", &item.delete),
                ("PATCH", &item.patch),
            ];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                let id = op.operation_id.clone().expect("an operation id");
                if let Some(other) = seen.insert(id.clone(), format!("{method} {path}")) {
                    panic!("operation id {id} is used by {other} and {method} {path}");
                }
            }
        }
        assert!(seen.len() > 100, "{} operations", seen.len());
    }
}
