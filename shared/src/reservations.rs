//! Reservations and availability: the DTOs of the reservations API.
//!
//! Dates travel as ISO `YYYY-MM-DD` strings (local dates in Europe/Brussels); they compare
//! correctly as strings, so the browser needs no date library.

use crate::ids::*;
use serde::{Deserialize, Serialize};

/// A reservation's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct ReservationId(pub i64);

impl std::fmt::Display for ReservationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

crate::coded_enum!(
    /// Where a reservation is in its life.
    ReservationStatus {
        /// Offered from the waiting list: units held until the offer lapses (48 hours).
        Offered = "aangeboden",
        /// Awaiting approval by the lending desk.
        Requested = "aangevraagd",
        Confirmed = "bevestigd",
        PickedUp = "afgehaald",
        Returned = "teruggebracht",
        Cancelled = "geannuleerd",
        Rejected = "geweigerd",
        NoShow = "niet-afgehaald",
    }
);

impl ReservationStatus {
    /// Whether the reservation holds units (and so counts against availability).
    pub fn holds_units(self) -> bool {
        matches!(
            self,
            ReservationStatus::Offered
                | ReservationStatus::Requested
                | ReservationStatus::Confirmed
                | ReservationStatus::PickedUp
        )
    }
}

crate::coded_enum!(
    /// Why an open day cannot be a pickup day.
    DayLimit {
        /// The day is over.
        Past = "voorbij",
        /// Too close: the partner service needs more days to prepare.
        TooSoon = "te-kort",
        /// Too far ahead: bookings for it open later.
        NotYet = "nog-niet",
    }
);

/// One day of a kit type's availability calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayAvailability {
    pub date: String,
    /// Day of the month, 1–31.
    pub day: u8,
    /// Units free that day (0 on closed days is still the real count).
    pub free: u32,
    /// Whether the pickup point is open (pickup and return only fall on open days).
    pub open: bool,
    /// Why the pickup point is closed, when it is closed for a named reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_reason: Option<String>,
    /// Whether a pickup on this day is allowed by the lead time and booking horizon.
    pub bookable: bool,
    /// Why the day cannot be a pickup day (when it is open but not bookable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<DayLimit>,
}

/// A month of availability for one kit type at one pickup point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthAvailability {
    /// `YYYY-MM`.
    pub month: String,
    pub prev_month: String,
    pub next_month: String,
    /// Weekday of the 1st, Monday = 0.
    pub first_weekday: u8,
    pub units_in_service: u32,
    pub pickup_point: PickupPointId,
    pub days: Vec<DayAvailability>,
}

/// A request to reserve units of a kit type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewReservation {
    /// The kit type's slug.
    pub kit: String,
    /// The pickup point's slug.
    pub pickup_point: String,
    pub pickup_date: String,
    pub return_date: String,
    pub quantity: u32,
    /// The school's instellingsnummer; may be left out by a teacher of one school.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A date range that would work instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DateRange {
    pub pickup_date: String,
    pub return_date: String,
}

/// A reservation as shown to its borrower and to staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reservation {
    pub id: ReservationId,
    pub status: ReservationStatus,
    pub kit_slug: String,
    pub kit_title: String,
    pub partner: String,
    pub pickup_point: String,
    pub pickup_point_address: String,
    pub school: String,
    pub borrower: String,
    pub quantity: u32,
    pub pickup_date: String,
    pub return_date: String,
    /// Last day the units are held, including the turnaround buffer.
    pub held_until: String,
    pub note: String,
    /// Why it was rejected or cancelled by staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Set when units left service and this reservation no longer fits.
    pub at_risk: bool,
    /// For an offer from the waiting list: when it lapses (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer_expires_at: Option<String>,
    pub created_at: String,
    /// A conditional reservation: the training sessions its borrower must attend first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiting_for: Vec<ReservationCondition>,
    /// Units that came back with parts missing or damage noted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub return_notes: Vec<ReturnNote>,
    /// The request (a sent cart's lines at one pickup point) this reservation is a line
    /// of; empty for a single booking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<i64>,
}

/// A unit that came back short: parts counted missing at the return, or damage noted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnNote {
    /// The unit's inventory code.
    pub unit: String,
    pub missing: Vec<MissingPart>,
    /// The desk's damage note (may be empty).
    pub damage: String,
}

/// A part counted short at a return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MissingPart {
    pub part: String,
    pub expected: u32,
    pub counted: i64,
}

/// A training session a conditional reservation waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReservationCondition {
    pub session: i64,
    pub training: String,
    /// The session's local day.
    pub day: String,
}

/// A place on a waiting list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitlistEntry {
    pub id: i64,
    /// `wachtend`, `aangeboden`, `ingetrokken` or `vervallen`.
    pub status: String,
    pub kit_slug: String,
    pub kit_title: String,
    pub pickup_point: String,
    pub quantity: u32,
    pub pickup_date: String,
    pub return_date: String,
    /// The reservation offered, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation: Option<ReservationId>,
    pub created_at: String,
}

/// Staff reasons and teacher notes for a state change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonBody {
    #[serde(default)]
    pub reason: String,
}

/// A request to move the return date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExtendBody {
    pub return_date: String,
}

/// A day or period a pickup point is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosedDay {
    pub id: i64,
    /// Pickup point slug; `None` when every pickup point is closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_point: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_point_name: Option<String>,
    pub first_day: String,
    pub last_day: String,
    pub reason: String,
    /// Whether the person asking may remove it.
    #[serde(default)]
    pub removable: bool,
}

/// A new closed day or period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewClosedDay {
    /// Pickup point slug; leave out (admins only) to close every pickup point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_point: Option<String>,
    pub first_day: String,
    /// Defaults to `first_day`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_day: Option<String>,
    pub reason: String,
}

/// The closed-days screen: upcoming closures and the pickup points one may close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosedDaysScreen {
    pub days: Vec<ClosedDay>,
    /// (slug, name) of the pickup points the person may close.
    pub points: Vec<(String, String)>,
    /// May close every pickup point at once (admins).
    pub can_close_all: bool,
}

/// A calendar feed link as its owner's page lists it (the secret URL is not kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedInfo {
    pub id: i64,
    /// `user`, `school`, `kit` or `pickup`.
    pub scope: String,
    pub label: String,
    pub created_at: String,
}

/// The calendar page: one's feed links and what else one may follow.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FeedsScreen {
    pub feeds: Vec<FeedInfo>,
    /// (instellingsnummer, name) of one's schools.
    pub schools: Vec<(String, String)>,
    /// (slug, name) of the pickup points whose desk one runs.
    pub points: Vec<(String, String)>,
    /// (slug, title) of the kit types whose desk one runs.
    #[serde(default)]
    pub kits: Vec<(String, String)>,
}

/// One hand-over in the desk agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaEntry {
    pub reservation: ReservationId,
    pub status: ReservationStatus,
    pub kit_title: String,
    pub quantity: u32,
    pub school: String,
    pub borrower: String,
}

/// A day of the desk agenda: what goes out and what comes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaDay {
    pub date: String,
    pub pickups: Vec<AgendaEntry>,
    pub returns: Vec<AgendaEntry>,
}

/// The desk agenda of a pickup point: a week or a month of hand-overs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeskAgenda {
    /// (slug, name) of the pickup points whose desk one runs.
    pub points: Vec<(String, String)>,
    pub point: String,
    /// `week` or `month`.
    pub view: String,
    pub first: String,
    pub last: String,
    pub prev: String,
    pub next: String,
    /// Hand-over hours, e.g. "09:00–12:00", when the point has them.
    pub hours: Option<String>,
    pub days: Vec<AgendaDay>,
}
