//! Reservations storage: the inputs of the booking decision, and the reservations.
//!
//! Writes run inside a transaction the caller opened with `Db::begin` (`BEGIN IMMEDIATE`
//! on SQLite: one writer at a time, so the check and the insert are one atomic step). A
//! PostgreSQL backend would take `SELECT … FOR UPDATE` on the kit type's row instead.
//!
//! Split like `service/reservations`: `booking`, `availability`, `records`, `waitlist`,
//! `closed_days`. Callers use the names re-exported here.

mod availability;
mod booking;
mod closed_days;
mod records;
mod waitlist;

pub use availability::{closed_periods, held_spans, holds, SPAN_LIMITS};
pub use booking::{
    bookable_kit, booking_context, booking_contexts, by_idempotency_key, insert, kit_points,
    BookableKit, BookablePoint, BookingContext, BookingNames, NewRow,
};
pub use closed_days::{delete_closed_period, insert_closed_period, ClosedPeriodRow};
pub(crate) use records::{fill_return_notes, record, select_record};
pub use records::{
    flag_at_risk, record_by_id, set_return, set_status, ReservationFilter, ReservationRecord,
};
pub use waitlist::{
    insert_waiting, lapsed_offers, set_waiting_status, set_waiting_status_of_offer, waiting,
    waiting_entry, WaitingRow,
};
