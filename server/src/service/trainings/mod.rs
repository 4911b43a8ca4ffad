//! Trainings: training types, sessions, registrations with a waiting list, attendance
//! that grants qualifications, qualifications by hand, and conditional reservations.
//!
//! Writes are one `BEGIN IMMEDIATE` transaction each: two teachers taking the last seat
//! at once are serialised by the database, so exactly `capacity` get a seat.
//!
//! One room per use case (the training gate bookings pass is `service::gate`): `types`, `sessions`, `registrations`,
//! `attendance`, `conditions` (conditional reservations; calls `reservations`),
//! `qualifications`, `screens`. Callers use the names re-exported here.

mod attendance;
mod conditions;
mod qualifications;
mod registrations;
mod screens;
mod sessions;
mod types;

pub use attendance::{record_attendance, roster, walk_in, AttendanceChange};
pub use conditions::settle_past_sessions;

pub use qualifications::{grant_by_hand, qualifications, revoke};
pub use registrations::{register, unregister};
pub use screens::{admin_screen, held_trainings, my_trainings, session_screen, sessions_screen};
pub use sessions::{
    call_off, create_session, load_demo_trainings, session, sessions, SessionQuery,
};
pub use types::{delete_training, save_training, trainings};

/// A rule's refusal (kind, title, detail) as the API answers it.
fn refusal((kind, title, detail): (&'static str, String, String)) -> crate::error::AppError {
    crate::error::AppError::refused(kind, title, detail)
}
