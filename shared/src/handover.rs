//! QR labels and hand-over: the DTOs of the desk's scan, hand-over and return API.

use crate::ids::*;
use crate::reservations::{Reservation, ReservationId};
use serde::{Deserialize, Serialize};

/// A unit as the desk sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitInfo {
    pub id: UnitId,
    /// The inventory code written on the kit (e.g. `BB-K-01`).
    pub inventory_code: String,
    /// The current label's code as printed (`K7Q-M4X-Z2R`), if it has one.
    pub label: Option<String>,
    pub kit_slug: String,
    pub kit_title: String,
    pub partner: String,
    /// `in-dienst`, `onderhoud` or `afgevoerd`.
    pub status: String,
    /// The reservation it is out on, if any.
    pub open_loan: Option<ReservationId>,
}

/// What a scanned code is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScanResult {
    pub unit: UnitInfo,
    /// The code is an old label: the unit has a newer one.
    pub replaced: bool,
}

/// Hand a unit over for a reservation, by the code on its label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverBody {
    pub code: String,
    /// When the borrower's qualification expired or was revoked since booking: why the
    /// desk hands over anyway (audited).
    #[serde(default)]
    pub override_reason: String,
}

/// What a hand-over scan did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverOutcome {
    pub reservation: ReservationId,
    /// The unit's inventory code.
    pub unit: String,
    /// The unit's kit type.
    #[serde(default)]
    pub kit_title: String,
    /// Units still to hand over.
    pub remaining: u32,
    /// The unit was already handed over for this reservation: nothing changed.
    pub already: bool,
}

/// A part as counted at the return.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartCountBody {
    pub name: String,
    pub counted: i64,
}

/// Take a unit back, by the code on its label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnBody {
    pub code: String,
    /// Counted parts; parts left out count as complete.
    #[serde(default)]
    pub parts: Vec<PartCountBody>,
    #[serde(default)]
    pub damage: String,
}

/// What a return scan did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnOutcome {
    pub reservation: ReservationId,
    /// The unit's inventory code.
    pub unit: String,
    /// The unit's kit type.
    #[serde(default)]
    pub kit_title: String,
    /// Missing parts: (part, how many).
    pub shortfall: Vec<(String, u32)>,
    /// The unit went to maintenance (missing parts or damage), with a ticket.
    pub to_maintenance: bool,
    pub late: bool,
    /// Every unit of the loan is back.
    pub loan_complete: bool,
    /// The unit was already returned: nothing changed.
    pub already: bool,
}

/// One unit's hand-over and return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanLine {
    pub reservation: ReservationId,
    pub unit: String,
    pub kit_title: String,
    pub borrower: String,
    pub school: String,
    pub handed_out_at: String,
    pub handed_out_by: Option<String>,
    pub returned_at: Option<String>,
    pub returned_by: Option<String>,
    pub late: bool,
    pub damage_note: String,
    /// Missing parts at the return: (part, expected, counted).
    pub parts_counted: Vec<(String, u32, i64)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
}

/// The hand-over screen of one reservation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverScreen {
    pub reservation: Reservation,
    /// The contents list: (part, expected count).
    pub parts: Vec<(String, u32)>,
    pub lines: Vec<LoanLine>,
    pub remaining: u32,
    /// Trainings the borrower should hold but does not (any more) on this day.
    pub missing_trainings: Vec<String>,
}

/// A unit's return screen: its open loan and the contents to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnScreen {
    pub unit: UnitInfo,
    pub reservation: Reservation,
    pub parts: Vec<(String, u32)>,
    /// Past the return day.
    pub late: bool,
}

/// A reservation with units still to hand over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeskPickup {
    pub reservation: Reservation,
    /// Units handed over already (of `reservation.quantity`).
    pub handed_over: u32,
}

/// The desk's day: pickups, returns due and overdue loans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TodayScreen {
    pub day: String,
    /// Confirmed reservations and reservations picked up in part.
    pub pickups: Vec<DeskPickup>,
    pub returns: Vec<Reservation>,
    pub overdue: Vec<Reservation>,
    /// The listed reservations that are lines of a request (a sent cart): the desk shows
    /// each request as one entry with its lines.
    #[serde(default)]
    pub requests: Vec<RequestLineRef>,
}

/// Units to print labels for: the partner's kit types and their units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LabelsScreen {
    /// (kit slug, kit title, units)
    pub kits: Vec<(String, String, Vec<UnitInfo>)>,
    /// Units whose current label was never put on a printed sheet.
    #[serde(default)]
    pub unprinted: Vec<UnitId>,
}

/// A unit's page for desk staff: the unit and its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitScreen {
    pub unit: UnitInfo,
    pub history: Vec<LoanLine>,
    /// Reservations of this kit type picking up today or earlier, still to hand over.
    pub pickups: Vec<DeskPickup>,
    /// Open maintenance tickets.
    pub tickets: Vec<Ticket>,
}

/// A maintenance ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ticket {
    pub id: i64,
    pub opened_at: String,
    pub opened_by: Option<String>,
    /// Missing parts: (part, how many).
    pub shortfall: Vec<(String, u32)>,
    pub note: String,
}

// --- cart desk (issue 20): one request is one hand-over ---

/// What a hand-over scan on a request did: which line it filled and how far the request is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestHandoverOutcome {
    pub request: i64,
    /// The line (reservation) the unit went out on.
    pub reservation: ReservationId,
    /// The unit's inventory code.
    pub unit: String,
    pub kit_title: String,
    /// Units still to hand over on that line.
    pub line_remaining: u32,
    /// Units still to hand over on the whole request.
    pub remaining: u32,
    /// Every line is handed over ("meegegeven"): the receipt was mailed.
    pub handed_over: bool,
    /// The unit was already handed over on this request: nothing changed.
    pub already: bool,
}

/// What a return scan on a request did, and what of the request is still out (now).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestReturnOutcome {
    pub request: i64,
    /// What the return scan did, as `POST /api/v1/returns` answers it.
    pub outcome: ReturnOutcome,
    /// Units of the request still out.
    pub still_out: u32,
    /// Everything that went out is back.
    pub all_back: bool,
}

/// One line of a request at the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestDeskLine {
    pub reservation: Reservation,
    /// Units still to hand over.
    pub missing: u32,
    /// Units out now.
    pub out: u32,
    /// Units back.
    pub back: u32,
}

/// A request (a sent cart) at the desk: its lines, what is missing or out, and the
/// receipt (every unit handed over on it, by line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestDeskScreen {
    pub request: i64,
    pub borrower: String,
    pub school: String,
    pub pickup_point: String,
    pub lines: Vec<RequestDeskLine>,
    /// Units still to hand over, over all lines.
    pub missing: u32,
    /// Units out now, over all lines.
    pub out: u32,
    /// Every line is handed over ("meegegeven").
    pub handed_over: bool,
    /// Something went out and all of it is back.
    pub all_back: bool,
    /// Trainings the borrower should hold for some line but does not (any more).
    pub missing_trainings: Vec<String>,
    /// The receipt: every unit handed over on the request, line by line.
    pub receipt: Vec<LoanLine>,
}

/// Which reservations on the desk's day are lines of which request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestLineRef {
    pub reservation: ReservationId,
    pub request: i64,
}
