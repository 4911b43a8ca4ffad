//! The OpenAPI document, generated from the handlers and the shared types.

use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Leenpunt API", version = "1", description = "Lending and reservations for the education services of West Flanders."),
    paths(
        super::catalogue::search, super::catalogue::detail, super::health::healthz, super::health::readyz,
        super::auth::create_session, super::auth::end_session, super::auth::end_all_sessions, super::auth::me,
        super::audit::list, super::signup::api_sign_up, super::signup::schools, super::signup::mailbox, super::signup::api_request_reset, super::signup::api_reset, super::signup::api_invite, super::signup::api_accept,
        super::reservations::availability, super::reservations::create, super::reservations::list, super::reservations::one,
        super::reservations::cancel, super::reservations::approve, super::reservations::reject, super::reservations::extend,
        super::feeds::list, super::feeds::create, super::feeds::regenerate, super::feeds::revoke, super::feeds::reservation_ics,
        super::closed_days::list, super::closed_days::add, super::closed_days::remove,
        super::reservations::accept, super::reservations::unit_status, super::reservations::join_waitlist, super::reservations::my_waitlist, super::reservations::leave_waitlist,
        super::trainings::list_trainings, super::trainings::create_training, super::trainings::update_training, super::trainings::delete_training,
        super::trainings::list_sessions, super::trainings::create_session, super::trainings::one_session, super::trainings::register, super::trainings::unregister,
        super::trainings::roster, super::trainings::call_off, super::trainings::attendance, super::trainings::walk_in, super::trainings::qualifications, super::trainings::grant, super::trainings::revoke,
        super::handover::scan, super::handover::hand_over, super::handover::take_back, super::handover::history, super::handover::retag, super::handover::qr_image_svg, super::handover::qr_image_png,
        super::kit_admin::api_save, super::kit_admin::api_create,
    ),
    tags((name = "catalogue", description = "The lending catalogue"), (name = "health", description = "Probes"), (name = "accounts", description = "Signing in, sessions and the audit log"), (name = "reservations", description = "Availability and reservations"), (name = "calendar", description = "Calendar feeds and .ics files"), (name = "trainings", description = "Trainings, sessions and qualifications"), (name = "hand-over", description = "Labels, scanning, hand-over and return"))
)]
pub struct ApiDoc;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async { Json(ApiDoc::openapi()) }),
    )
}
