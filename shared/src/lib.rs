//! The contract between the Leenpunt server and its front end.
//!
//! Everything here compiles for both the server and `wasm32-unknown-unknown`:
//! identifiers, enums with stable wire codes, validated value types and the
//! request/response types of the JSON API.

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod cart;
pub mod catalogue;
pub mod csv_import;
pub mod handover;
pub mod html;
pub mod ids;
pub mod labels;
pub mod lang;
pub mod offline;
pub mod privacy;
pub mod problem;
pub mod query;
pub mod reservations;
pub mod stats;
pub mod sync;
pub mod time;
pub mod tokens;
pub mod trainings;
pub mod values;

pub use accounts::{Grant, LoginRequest, Me, Role, UserId};
pub use catalogue::*;
pub use ids::*;
pub use lang::Lang;
pub use problem::{FieldError, Problem};
pub use query::{CatalogueQuery, Sort, PAGE_SIZE};
pub use reservations::{
    DateRange, DayAvailability, DayLimit, MissingPart, MonthAvailability, NewReservation,
    Reservation, ReservationCondition, ReservationId, ReservationStatus, ReturnNote, WaitlistEntry,
};
pub use trainings::{
    AttendanceBody, AttendanceMark, AttendanceMarks, GrantBody, MissingTraining, MyTrainingsScreen,
    NewSession, Qualification, RosterEntry, SessionBrief, SessionScreen, SessionsScreen, Training,
    TrainingForm, TrainingSession, TrainingsAdminScreen, WalkInBody,
};
pub use values::{Email, InventoryCode, SchoolNumber, Slug, ValueError};
