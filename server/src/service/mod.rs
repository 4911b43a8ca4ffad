//! Application services: glue between handlers, the pure domain and storage, for the
//! cases where a use case needs more than one storage call.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod cart;
pub mod catalogue;
pub mod closed_days;
pub mod csv_exchange;
pub mod drafts;
pub mod erasure;
pub mod feeds;
pub mod gate;
pub mod handover;
pub mod import;
pub mod jobs;
pub mod kit_admin;
pub mod mailer;
pub mod migrate_to;
pub mod overview;
pub mod passwords;
pub mod privacy;
pub mod registers;
pub mod reminders;
pub mod reservations;
pub mod restore;
pub mod school_request;
pub mod signup;
pub mod stats;
pub mod sync;
pub mod tokens;
pub mod trainings;
pub mod users;

use crate::domain::policy::{allows, Action, Actor};
use crate::error::{AppError, Result};

/// The asker may do `action`: otherwise 401 when nobody is signed in, 403 when someone is.
pub fn require(actor: &Actor, action: Action) -> Result<()> {
    if allows(actor, action) {
        Ok(())
    } else if actor.user.is_none() {
        Err(AppError::Unauthorized)
    } else {
        Err(AppError::Forbidden)
    }
}
