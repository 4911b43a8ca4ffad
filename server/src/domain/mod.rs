//! Pure business rules: plain functions over plain types, no I/O.

pub mod auth;
pub mod cart;
pub mod catalogue;
pub mod clock;
pub mod csv_table;
pub mod csv_upload;
pub mod erasure;
pub mod handover;
pub mod ical;
pub mod import;
pub mod labels;
pub mod mail;
pub mod net;
pub mod policy;
pub mod privacy;
pub mod reminders;
pub mod request_handover;
pub mod reservations;
pub mod schools;
pub mod stats;
pub mod sync;
pub mod tags;
pub mod text;
pub mod text_index;
pub mod tokens;
pub mod trainings;
