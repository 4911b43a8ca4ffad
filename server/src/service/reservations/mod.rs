//! Reservations: availability, booking, the life cycle and the at-risk check.
//!
//! Every write is one `BEGIN IMMEDIATE` transaction: load the kit type's situation, let
//! the pure domain decide, store the result, audit it and queue the mail. Two people
//! clicking at once are serialised by the database, so neither can overbook.
//!
//! One room per use case: `booking` (and the shared pieces), `availability`, `lifecycle`,
//! `waitlist`, `units`. Callers use the names re-exported here.

mod availability;
mod booking;
mod lifecycle;
mod units;
mod waitlist;

pub use availability::{availability, seed_closed_days};
pub(crate) use booking::{bookable, bookables, booking_school, parse_day, tell, Bookable};
pub use booking::{create, offer_freed, refusal_error};
pub use lifecycle::{change, get, list, Change, Scope};
pub use units::{recheck_kit, set_unit_status, UnitStatusOutcome};
pub use waitlist::{join_waitlist, lapse_offers, leave_waitlist, my_waitlist};
