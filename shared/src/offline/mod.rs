//! The desk's offline queue: scans recorded while the network is down, checked against the
//! last known state of the day, replayed in order once it is back.
//!
//! Pure rules over plain values, so the same code runs natively in the tests and in the
//! browser's wasm. The queue is a list of [`QueuedScan`] in the order they were recorded;
//! a line is never removed by these rules (only by the person, after reading it), and a
//! line that reached a final state ([`LineState::Synced`] or [`LineState::Conflict`]) is
//! never sent again. Each line carries its own idempotency key, so a replay whose answer
//! was lost (the network dropped after the server wrote) is answered by the server with
//! its first answer instead of being applied twice.

use crate::handover::PartCountBody;
use crate::reservations::ReservationId;
use serde::{Deserialize, Serialize};

mod screen;
#[cfg(test)]
mod tests;

pub use screen::{merge_queue, merge_snapshot, QueueTexts};

/// The header that carries a queued scan's key on the JSON hand-over and return calls.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// What a queued scan asks the server to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScanAction {
    /// Hand the unit with this code over for the reservation
    /// (`POST /api/v1/reservations/{id}/handover`).
    HandOver {
        reservation: ReservationId,
        code: String,
    },
    /// Take the unit with this code back (`POST /api/v1/returns`).
    Return {
        code: String,
        #[serde(default)]
        parts: Vec<PartCountBody>,
        #[serde(default)]
        damage: String,
    },
    /// Hand the unit with this code over on a request (a sent cart): the server fills the
    /// line of its kit type (`POST /api/v1/requests/{id}/handover`).
    RequestHandOver { request: i64, code: String },
    /// Take the unit with this code back from a request
    /// (`POST /api/v1/requests/{id}/returns`).
    RequestReturn {
        request: i64,
        code: String,
        #[serde(default)]
        parts: Vec<PartCountBody>,
        #[serde(default)]
        damage: String,
    },
}

impl ScanAction {
    /// The scanned or typed code as written.
    pub fn code(&self) -> &str {
        match self {
            ScanAction::HandOver { code, .. }
            | ScanAction::Return { code, .. }
            | ScanAction::RequestHandOver { code, .. }
            | ScanAction::RequestReturn { code, .. } => code,
        }
    }

    /// A unit going out (on a reservation or a request), not coming back.
    pub fn is_hand_over(&self) -> bool {
        matches!(
            self,
            ScanAction::HandOver { .. } | ScanAction::RequestHandOver { .. }
        )
    }
}

/// Where a queued line stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineState {
    /// Recorded, not yet accepted by the server.
    Waiting,
    /// The server recorded it (or had recorded it already under this key).
    Synced {
        /// When the answer came (RFC 3339, the browser's clock).
        at: String,
    },
    /// The server refused it: nothing was written for this line.
    Conflict {
        reason: ConflictReason,
        /// The server's own sentence (its problem's `detail`, else `title`), already in
        /// the desk's language.
        #[serde(default)]
        message: String,
    },
}

impl LineState {
    /// Synced or refused: this line is never sent again.
    pub fn is_final(&self) -> bool {
        !matches!(self, LineState::Waiting)
    }
}

/// One scan in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedScan {
    /// The `Idempotency-Key` the line is sent with, every time.
    pub key: String,
    pub action: ScanAction,
    /// When the desk recorded it (RFC 3339, the browser's clock).
    pub recorded_at: String,
    pub state: LineState,
}

/// Why the server refused a queued scan, read from its problem's stable `type`; each has
/// a sentence saying what the desk should do ([`ConflictReason::code`] names it for the
/// front end's text table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConflictReason {
    /// The reservation was cancelled, rejected, returned or lapsed meanwhile
    /// (`/problems/reservation-closed`).
    ReservationClosed,
    /// The reservation awaits approval or its offer was not accepted.
    ReservationNotReady,
    /// The unit went out on another reservation (`/problems/unit-on-another-loan`).
    UnitElsewhere,
    /// The unit went into maintenance (`/problems/unit-in-maintenance`).
    UnitInMaintenance,
    /// The unit was retired.
    UnitRetired,
    /// The unit is of another kit type than the reservation.
    WrongKitType,
    /// Every booked unit was handed over already.
    AllHandedOver,
    /// Before the pickup day or after the return day.
    OutsideLoanDays,
    /// The borrower's required training is missing: the desk must give a reason.
    QualificationMissing,
    /// The code names no unit, or an old label.
    UnknownCode,
    /// A return of a unit that is not out.
    NotOnLoan,
    /// The reservation or unit is gone, or this desk may no longer handle it.
    NotFound,
    /// The key was used before for a different scan.
    KeyReused,
    /// Any other refusal; the server's message says what.
    Other,
}

impl ConflictReason {
    /// Maps a problem's `type` (`/problems/<kind>`) to a reason.
    pub fn from_problem_type(kind: &str) -> ConflictReason {
        match kind.trim_start_matches("/problems/") {
            "reservation-closed" | "reservation-expired-offer" => ConflictReason::ReservationClosed,
            "reservation-not-approved" | "offer-not-accepted" => {
                ConflictReason::ReservationNotReady
            }
            "unit-on-another-loan" => ConflictReason::UnitElsewhere,
            // The request asks for no unit of this kit type: other material.
            "unit-not-in-request" => ConflictReason::WrongKitType,
            "unit-in-maintenance" => ConflictReason::UnitInMaintenance,
            "unit-retired" => ConflictReason::UnitRetired,
            "wrong-kit-type" => ConflictReason::WrongKitType,
            "all-units-handed-over" => ConflictReason::AllHandedOver,
            "pickup-too-early" | "reservation-expired" => ConflictReason::OutsideLoanDays,
            "qualification-missing" => ConflictReason::QualificationMissing,
            "unknown-code" | "label-replaced" => ConflictReason::UnknownCode,
            "unit-not-on-loan" => ConflictReason::NotOnLoan,
            "not-found" | "forbidden" => ConflictReason::NotFound,
            "idempotency-key-reused" => ConflictReason::KeyReused,
            _ => ConflictReason::Other,
        }
    }

    /// A stable name for the front end's text table.
    pub fn code(&self) -> &'static str {
        match self {
            ConflictReason::ReservationClosed => "reservation-closed",
            ConflictReason::ReservationNotReady => "reservation-not-ready",
            ConflictReason::UnitElsewhere => "unit-elsewhere",
            ConflictReason::UnitInMaintenance => "unit-in-maintenance",
            ConflictReason::UnitRetired => "unit-retired",
            ConflictReason::WrongKitType => "wrong-kit-type",
            ConflictReason::AllHandedOver => "all-handed-over",
            ConflictReason::OutsideLoanDays => "outside-loan-days",
            ConflictReason::QualificationMissing => "qualification-missing",
            ConflictReason::UnknownCode => "unknown-code",
            ConflictReason::NotOnLoan => "not-on-loan",
            ConflictReason::NotFound => "not-found",
            ConflictReason::KeyReused => "key-reused",
            ConflictReason::Other => "other",
        }
    }
}

/// What came back when a line was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerAnswer {
    /// A 2xx answer.
    Accepted,
    /// An error answer with its status and problem `type` (empty when the body was not
    /// problem+json) and its sentence.
    Problem {
        status: u16,
        kind: String,
        message: String,
    },
    /// No answer: offline, the connection dropped, a timeout.
    NetworkError,
}

/// What an answer means for the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Synced,
    Conflict(ConflictReason, String),
    /// Not decided: keep the line waiting and stop replaying until later (network down,
    /// the server busy or failing, the session expired).
    RetryLater,
}

/// Decides what a server answer means for the line that was sent.
///
/// Only a refusal of the scan itself (409, 404, 403, 422) is a conflict; anything that may
/// succeed when sent again unchanged (no answer, 401 until the desk signs in again, 408,
/// 429, 5xx) keeps the line waiting, so a conflict is never declared for a line the server
/// did not look at.
pub fn verdict(answer: &ServerAnswer) -> Verdict {
    match answer {
        ServerAnswer::Accepted => Verdict::Synced,
        ServerAnswer::NetworkError => Verdict::RetryLater,
        ServerAnswer::Problem {
            status,
            kind,
            message,
        } => match status {
            401 | 408 | 429 => Verdict::RetryLater,
            s if *s >= 500 => Verdict::RetryLater,
            404 => Verdict::Conflict(ConflictReason::NotFound, message.clone()),
            403 => Verdict::Conflict(ConflictReason::NotFound, message.clone()),
            422 if kind.ends_with("/idempotency-key-reused") => {
                Verdict::Conflict(ConflictReason::KeyReused, message.clone())
            }
            400..=499 => {
                Verdict::Conflict(ConflictReason::from_problem_type(kind), message.clone())
            }
            _ => Verdict::RetryLater,
        },
    }
}

/// The next line to send: the first line still waiting, in recorded order. Lines are
/// sent one at a time, each after the previous one's answer, so a unit returned and
/// handed over again offline reaches the server in that order.
pub fn next_to_send(queue: &[QueuedScan]) -> Option<usize> {
    queue.iter().position(|l| l.state == LineState::Waiting)
}

/// Records the answer to the line with `key`; answers whether replaying should go on.
/// A line already final is left as it is (a late duplicate answer changes nothing).
pub fn apply_answer(queue: &mut [QueuedScan], key: &str, answer: &ServerAnswer, now: &str) -> bool {
    let Some(line) = queue.iter_mut().find(|l| l.key == key) else {
        return false;
    };
    if line.state.is_final() {
        return true;
    }
    match verdict(answer) {
        Verdict::Synced => {
            line.state = LineState::Synced { at: now.to_owned() };
            true
        }
        Verdict::Conflict(reason, message) => {
            line.state = LineState::Conflict { reason, message };
            true
        }
        Verdict::RetryLater => false,
    }
}

/// How many lines still wait.
pub fn waiting(queue: &[QueuedScan]) -> usize {
    queue.iter().filter(|l| !l.state.is_final()).count()
}

/// Drops the lines the server recorded (the desk clears them once read); waiting lines
/// and conflicts stay until someone deals with them.
pub fn clear_synced(queue: &mut Vec<QueuedScan>) {
    queue.retain(|l| !matches!(l.state, LineState::Synced { .. }));
}

/// The last known state of the desk's day, as the page had it before the network
/// dropped: what the local checks compare a scan with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskSnapshot {
    /// The day it describes (`YYYY-MM-DD`).
    pub day: String,
    pub reservations: Vec<SnapshotReservation>,
    /// Units the desk knows the codes of (those of today's kits); a code not listed is
    /// left to the server.
    pub units: Vec<SnapshotUnit>,
}

/// A reservation to hand over today, as last seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotReservation {
    pub id: ReservationId,
    pub kit_slug: String,
    pub kit_title: String,
    pub quantity: u32,
    pub handed_over: u32,
    /// Confirmed or picked up in part: units may go out on it.
    pub open: bool,
    /// The request (a sent cart) it is a line of, if any.
    #[serde(default)]
    pub request: Option<i64>,
}

/// A unit as last seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotUnit {
    /// The label's code (`K7Q-M4X-Z2R`), if it has one.
    pub label: Option<String>,
    pub inventory_code: String,
    pub kit_slug: String,
    pub kit_title: String,
    /// The reservation it is out on, if any.
    pub open_loan: Option<ReservationId>,
}

/// Why a scan is refused before it is queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalRefusal {
    /// No code was typed.
    NoCode,
    /// A count is negative.
    NegativeCount { part: String },
    /// The same unit is already in the queue for this (waiting or just synced).
    AlreadyQueued,
    /// The unit is of another kit type than the reservation (both titles).
    WrongKitType { reserved: String, scanned: String },
    /// The reservation was no longer open when last seen.
    ReservationNotOpen,
    /// Every booked unit is handed over or queued.
    AllQueued { quantity: u32 },
    /// The unit was already out on another reservation when last seen.
    UnitElsewhere,
}

/// A code as compared locally: the part after `/s/` of a scanned link, without hyphens,
/// spaces or a trailing slash, in capitals (`k7q-m4x-z2r` = `K7QM4XZ2R`).
pub fn normalise_code(input: &str) -> String {
    let trimmed = input.trim();
    let code = trimmed
        .rsplit_once("/s/")
        .map_or(trimmed, |(_, c)| c)
        .trim_end_matches('/');
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

impl DeskSnapshot {
    fn unit(&self, code: &str) -> Option<&SnapshotUnit> {
        let wanted = normalise_code(code);
        self.units.iter().find(|u| {
            normalise_code(&u.inventory_code) == wanted
                || u.label
                    .as_deref()
                    .is_some_and(|l| normalise_code(l) == wanted)
        })
    }

    fn reservation(&self, id: ReservationId) -> Option<&SnapshotReservation> {
        self.reservations.iter().find(|r| r.id == id)
    }

    /// The lines of a request the snapshot knows.
    fn request_lines(&self, request: i64) -> Vec<&SnapshotReservation> {
        self.reservations
            .iter()
            .filter(|r| r.request == Some(request))
            .collect()
    }
}

/// Whether two actions are the same kind of scan (a unit goes out once, whichever
/// reservation or request the second scan names).
fn same_kind(a: &ScanAction, b: &ScanAction) -> bool {
    a.is_hand_over() == b.is_hand_over()
}

/// Whether a queued line hands a unit over on the request or on one of its lines.
fn hands_over_on_request(line: &QueuedScan, request: i64, lines: &[&SnapshotReservation]) -> bool {
    match &line.action {
        ScanAction::RequestHandOver { request: r, .. } => *r == request,
        ScanAction::HandOver { reservation, .. } => lines.iter().any(|l| l.id == *reservation),
        _ => false,
    }
}

/// Checks a scan against the queue and the last known state before it is queued.
///
/// What cannot be known offline (a code the snapshot does not list, the borrower's
/// trainings, what other desks did meanwhile) is left to the server at replay. A unit
/// may be queued again after a queued scan of the other kind (returned, then handed out
/// again), and a line the server refused does not block a new attempt.
pub fn check_scan(
    queue: &[QueuedScan],
    snapshot: &DeskSnapshot,
    action: &ScanAction,
) -> Result<(), LocalRefusal> {
    if normalise_code(action.code()).is_empty() {
        return Err(LocalRefusal::NoCode);
    }
    if let ScanAction::Return { parts, .. } | ScanAction::RequestReturn { parts, .. } = action {
        if let Some(p) = parts.iter().find(|p| p.counted < 0) {
            return Err(LocalRefusal::NegativeCount {
                part: p.name.clone(),
            });
        }
    }
    // The latest live (not refused) scan of this unit decides: the same kind of scan
    // again is a repeat; the other kind in between (returned, then out again) is not.
    let last = queue
        .iter()
        .rev()
        .filter(|l| !matches!(l.state, LineState::Conflict { .. }))
        .find(|l| same_unit_any_kind(&l.action, action, snapshot));
    if last.is_some_and(|l| same_kind(&l.action, action)) {
        return Err(LocalRefusal::AlreadyQueued);
    }
    let (reservation, code) = match action {
        ScanAction::HandOver { reservation, code } => (reservation, code),
        ScanAction::RequestHandOver { request, code } => {
            return check_request_hand_over(queue, snapshot, *request, code, action);
        }
        ScanAction::Return { .. } | ScanAction::RequestReturn { .. } => return Ok(()),
    };
    let Some(r) = snapshot.reservation(*reservation) else {
        return Ok(());
    };
    if !r.open {
        return Err(LocalRefusal::ReservationNotOpen);
    }
    let unit = snapshot.unit(code);
    if let Some(u) = unit {
        if u.kit_slug != r.kit_slug {
            return Err(LocalRefusal::WrongKitType {
                reserved: r.kit_title.clone(),
                scanned: u.kit_title.clone(),
            });
        }
        if u.open_loan.is_some_and(|o| o != r.id) && !returned_in_queue(queue, snapshot, action) {
            return Err(LocalRefusal::UnitElsewhere);
        }
    }
    let queued = queue
        .iter()
        .filter(|l| matches!(&l.action, ScanAction::HandOver { reservation: q, .. } if q == reservation))
        .filter(|l| l.state == LineState::Waiting)
        .count();
    let queued = u32::try_from(queued).unwrap_or(u32::MAX);
    if r.handed_over.saturating_add(queued) >= r.quantity {
        return Err(LocalRefusal::AllQueued {
            quantity: r.quantity,
        });
    }
    Ok(())
}

/// Whether the unit of `action` is queued to come back (and that was not refused).
fn returned_in_queue(queue: &[QueuedScan], snapshot: &DeskSnapshot, action: &ScanAction) -> bool {
    queue.iter().any(|l| {
        !l.action.is_hand_over()
            && !matches!(l.state, LineState::Conflict { .. })
            && same_unit_any_kind(&l.action, action, snapshot)
    })
}

/// A hand-over on a request, against the request's lines as last seen: some line must
/// still be open; a unit the snapshot knows must be of a kit type the request asks for
/// and not out elsewhere; and the request must still miss units (handed over + queued).
/// A request the snapshot does not know is left to the server.
fn check_request_hand_over(
    queue: &[QueuedScan],
    snapshot: &DeskSnapshot,
    request: i64,
    code: &str,
    action: &ScanAction,
) -> Result<(), LocalRefusal> {
    let lines = snapshot.request_lines(request);
    if lines.is_empty() {
        return Ok(());
    }
    let open: Vec<&SnapshotReservation> = lines.iter().copied().filter(|l| l.open).collect();
    if open.is_empty() {
        return Err(LocalRefusal::ReservationNotOpen);
    }
    if let Some(u) = snapshot.unit(code) {
        if !open.iter().any(|l| l.kit_slug == u.kit_slug) {
            let mut titles: Vec<&str> = open.iter().map(|l| l.kit_title.as_str()).collect();
            titles.dedup();
            return Err(LocalRefusal::WrongKitType {
                reserved: titles.join(", "),
                scanned: u.kit_title.clone(),
            });
        }
        let on_request = u.open_loan.is_some_and(|o| lines.iter().any(|l| l.id == o));
        if u.open_loan.is_some() && !on_request && !returned_in_queue(queue, snapshot, action) {
            return Err(LocalRefusal::UnitElsewhere);
        }
    }
    let quantity: u32 = open.iter().map(|l| l.quantity).sum();
    let handed: u32 = open.iter().map(|l| l.handed_over).sum();
    let queued = queue
        .iter()
        .filter(|l| l.state == LineState::Waiting && hands_over_on_request(l, request, &lines))
        .count();
    let queued = u32::try_from(queued).unwrap_or(u32::MAX);
    if handed.saturating_add(queued) >= quantity {
        return Err(LocalRefusal::AllQueued { quantity });
    }
    Ok(())
}

/// Whether two actions name the same unit, whatever the kind of scan.
fn same_unit_any_kind(a: &ScanAction, b: &ScanAction, snapshot: &DeskSnapshot) -> bool {
    match (snapshot.unit(a.code()), snapshot.unit(b.code())) {
        (Some(u), Some(v)) => u.inventory_code == v.inventory_code,
        _ => normalise_code(a.code()) == normalise_code(b.code()),
    }
}

/// Adds a checked scan at the end of the queue, waiting.
pub fn enqueue(
    queue: &mut Vec<QueuedScan>,
    snapshot: &DeskSnapshot,
    key: String,
    action: ScanAction,
    recorded_at: String,
) -> Result<(), LocalRefusal> {
    check_scan(queue, snapshot, &action)?;
    queue.push(QueuedScan {
        key,
        action,
        recorded_at,
        state: LineState::Waiting,
    });
    Ok(())
}
