//! What the desk's queue shows: its texts (rendered by the server in the desk's language,
//! read by the queue's own wasm, `frontend/deskqueue`), the status line, a line's words,
//! and what the page knows merged with what earlier pages stored. Pure, so the browser
//! and the tests share it.

use super::{ConflictReason, DeskSnapshot, LineState, LocalRefusal, QueuedScan, ScanAction};
use serde::{Deserialize, Serialize};

/// Every sentence the queue shows, in one language. The server fills it from the front
/// end's text table; the queue's wasm carries no texts of its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueTexts {
    pub online: String,
    pub offline: String,
    pub waiting: String,
    pub last_sync: String,
    pub never_synced: String,
    pub hand_over: String,
    pub return_scan: String,
    pub reservation: String,
    /// "aanvraag": a queued scan on a request names it.
    #[serde(default)]
    pub request: String,
    pub line_waiting: String,
    pub line_synced: String,
    pub line_conflict: String,
    pub kept: String,
    pub sending: String,
    pub no_code: String,
    pub negative: String,
    pub already: String,
    pub wrong_kit: String,
    pub not_open: String,
    pub all_queued: String,
    pub elsewhere: String,
    pub why_closed: String,
    pub why_not_ready: String,
    pub why_elsewhere: String,
    pub why_maintenance: String,
    pub why_retired: String,
    pub why_wrong_kit: String,
    pub why_all_out: String,
    pub why_days: String,
    pub why_qualification: String,
    pub why_unknown_code: String,
    pub why_not_out: String,
    pub why_gone: String,
    pub why_other: String,
}

impl QueueTexts {
    /// Why a scan was not queued, for the desk.
    pub fn refusal(&self, refusal: &LocalRefusal) -> String {
        match refusal {
            LocalRefusal::NoCode => self.no_code.clone(),
            LocalRefusal::NegativeCount { part } => format!("{} {part}", self.negative),
            LocalRefusal::AlreadyQueued => self.already.clone(),
            LocalRefusal::WrongKitType { reserved, scanned } => {
                format!("{} {scanned} ≠ {reserved}", self.wrong_kit)
            }
            LocalRefusal::ReservationNotOpen => self.not_open.clone(),
            LocalRefusal::AllQueued { quantity } => format!("{} ({quantity})", self.all_queued),
            LocalRefusal::UnitElsewhere => self.elsewhere.clone(),
        }
    }

    /// What a refusal by the server means and what to do.
    pub fn reason(&self, reason: &ConflictReason) -> &str {
        match reason {
            ConflictReason::ReservationClosed => &self.why_closed,
            ConflictReason::ReservationNotReady => &self.why_not_ready,
            ConflictReason::UnitElsewhere => &self.why_elsewhere,
            ConflictReason::UnitInMaintenance => &self.why_maintenance,
            ConflictReason::UnitRetired => &self.why_retired,
            ConflictReason::WrongKitType => &self.why_wrong_kit,
            ConflictReason::AllHandedOver => &self.why_all_out,
            ConflictReason::OutsideLoanDays => &self.why_days,
            ConflictReason::QualificationMissing => &self.why_qualification,
            ConflictReason::UnknownCode => &self.why_unknown_code,
            ConflictReason::NotOnLoan => &self.why_not_out,
            ConflictReason::NotFound => &self.why_gone,
            ConflictReason::KeyReused | ConflictReason::Other => &self.why_other,
        }
    }

    /// "Offline · 3 waiting to sync · last sync: 09:14" (`last` is the local time of the
    /// last accepted line, `None` before the first).
    pub fn status(&self, online: bool, waiting: usize, last: Option<&str>) -> String {
        format!(
            "{} · {waiting} {} · {} {}",
            if online { &self.online } else { &self.offline },
            self.waiting,
            self.last_sync,
            last.unwrap_or(&self.never_synced),
        )
    }

    /// What a line asks ("Hand-over K7Q-M4X → reservation 12").
    pub fn what(&self, action: &ScanAction) -> String {
        match action {
            ScanAction::HandOver { reservation, code } => {
                format!(
                    "{} {code} → {} {reservation}",
                    self.hand_over, self.reservation
                )
            }
            ScanAction::Return { code, .. } => format!("{} {code}", self.return_scan),
            ScanAction::RequestHandOver { request, code } => {
                format!("{} {code} → {} {request}", self.hand_over, self.request)
            }
            ScanAction::RequestReturn { request, code, .. } => {
                format!("{} {code} ({} {request})", self.return_scan, self.request)
            }
        }
    }

    /// The line's state as a class name (`waiting`, `synced`, `conflict`) and its words:
    /// for a refused line, that nothing was written, why, what to do, and the server's
    /// own sentence.
    pub fn state(&self, line: &QueuedScan) -> (&'static str, String) {
        match &line.state {
            LineState::Waiting => ("waiting", self.line_waiting.clone()),
            LineState::Synced { .. } => ("synced", self.line_synced.clone()),
            LineState::Conflict { reason, message } => (
                "conflict",
                format!("{} {} {message}", self.line_conflict, self.reason(reason))
                    .trim_end()
                    .to_owned(),
            ),
        }
    }
}

/// What the page knows now wins over what earlier pages stored for the same reservation
/// or unit; the rest of the stored day stays (the hand-over page knows one reservation).
pub fn merge_snapshot(mut stored: DeskSnapshot, page: DeskSnapshot) -> DeskSnapshot {
    if !page.day.is_empty() && !stored.day.is_empty() && page.day != stored.day {
        // Another day: yesterday's state says nothing about today.
        return page;
    }
    stored
        .reservations
        .retain(|r| !page.reservations.iter().any(|p| p.id == r.id));
    stored.reservations.extend(page.reservations);
    stored.units.retain(|u| {
        !page
            .units
            .iter()
            .any(|p| p.inventory_code == u.inventory_code)
    });
    stored.units.extend(page.units);
    if !page.day.is_empty() {
        stored.day = page.day;
    }
    stored
}

/// Lines the page had in memory before the stored queue was read (a scan made in the
/// first instant after loading) go after the stored ones, each key once.
pub fn merge_queue(mut stored: Vec<QueuedScan>, fresh: Vec<QueuedScan>) -> Vec<QueuedScan> {
    for line in fresh {
        if !stored.iter().any(|l| l.key == line.key) {
            stored.push(line);
        }
    }
    stored
}
