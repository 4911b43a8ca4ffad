//! Application services: glue between handlers, the pure domain and storage, for the
//! cases where a use case needs more than one storage call.

pub mod accounts;
pub mod backup;
pub mod catalogue;
pub mod closed_days;
pub mod feeds;
pub mod handover;
pub mod import;
pub mod jobs;
pub mod kit_admin;
pub mod mailer;
pub mod overview;
pub mod passwords;
pub mod registers;
pub mod reservations;
pub mod restore;
pub mod signup;
pub mod stats;
pub mod trainings;
pub mod users;
