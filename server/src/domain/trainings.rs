//! Trainings unlock kits: the qualification gate, session seats and attendance.
//!
//! Pure rules over plain values. Days are local dates in Brussels; instants (session start,
//! registration window) are compared as UTC.

use crate::texts::Text;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use leenpunt_shared::{Lang, TrainingTypeId};

/// A training a kit type requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    pub training: TrainingTypeId,
    pub slug: String,
    pub title: String,
}

/// A qualification someone holds for a training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub training: TrainingTypeId,
    pub granted_on: NaiveDate,
    /// Last valid day; `None`: it never expires.
    pub valid_until: Option<NaiveDate>,
    pub revoked: bool,
}

impl Held {
    /// Whether it is valid on `day`.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        !self.revoked && self.granted_on <= day && self.valid_until.is_none_or(|last| day <= last)
    }
}

/// A seat someone holds in an upcoming session of a training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registered {
    pub training: TrainingTypeId,
    pub session: i64,
    /// The session's (local) day.
    pub day: NaiveDate,
}

/// What the gate says about a borrower and a pickup day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Every required training is held and valid on the pickup day.
    Qualified,
    /// Some are missing, but the borrower has a seat in a session of each of them before
    /// the pickup day: the units may be held on the condition these are attended.
    Conditional { sessions: Vec<i64> },
    /// These trainings are missing (and not all covered by a seat in time).
    Missing(Vec<Required>),
}

/// The qualification gate: every required training must be held and valid on the pickup
/// day. Missing ones may be covered by a seat in a session from today until the day
/// before pickup, which makes the reservation conditional.
pub fn gate(
    required: &[Required],
    held: &[Held],
    registered: &[Registered],
    today: NaiveDate,
    pickup: NaiveDate,
) -> Gate {
    let missing: Vec<&Required> = required
        .iter()
        .filter(|r| {
            !held
                .iter()
                .any(|h| h.training == r.training && h.valid_on(pickup))
        })
        .collect();
    if missing.is_empty() {
        return Gate::Qualified;
    }
    let mut sessions = Vec::new();
    for m in &missing {
        // The earliest seat in time counts.
        let seat = registered
            .iter()
            .filter(|s| s.training == m.training && s.day >= today && s.day < pickup)
            .min_by_key(|s| (s.day, s.session));
        match seat {
            Some(s) => sessions.push(s.session),
            None => return Gate::Missing(missing.into_iter().cloned().collect()),
        }
    }
    sessions.sort_unstable();
    sessions.dedup();
    Gate::Conditional { sessions }
}

/// The last day a qualification granted on `granted_on` is valid: the day before the same
/// date `months` later (clamped to the month's end), or never expiring for `None`.
pub fn valid_until(granted_on: NaiveDate, months: Option<u32>) -> Option<NaiveDate> {
    let months = months?;
    let total = granted_on.year() * 12 + granted_on.month0() as i32 + months as i32;
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let mut day = granted_on.day();
    let same_date = loop {
        if let Some(d) = NaiveDate::from_ymd_opt(year, month, day) {
            break d;
        }
        day -= 1;
    };
    Some(same_date - Duration::days(1))
}

/// A session's seats as a registration sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seats {
    pub capacity: u32,
    /// Registrations holding a seat.
    pub taken: u32,
    pub opens: DateTime<Utc>,
    pub closes: DateTime<Utc>,
    pub cancelled: bool,
}

/// Where a new registration lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    Seat,
    WaitingList,
}

/// Why a registration is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationRefusal {
    NotOpenYet,
    Closed,
    Cancelled,
    AlreadyRegistered,
}

/// Decides a registration: within the window, once per person, a seat while there is
/// one and the waiting list after that.
pub fn register(
    seats: &Seats,
    now: DateTime<Utc>,
    already: bool,
) -> Result<Placed, RegistrationRefusal> {
    if seats.cancelled {
        return Err(RegistrationRefusal::Cancelled);
    }
    if already {
        return Err(RegistrationRefusal::AlreadyRegistered);
    }
    if now < seats.opens {
        return Err(RegistrationRefusal::NotOpenYet);
    }
    if now >= seats.closes {
        return Err(RegistrationRefusal::Closed);
    }
    Ok(if seats.taken < seats.capacity {
        Placed::Seat
    } else {
        Placed::WaitingList
    })
}

/// Who moves up when a seat frees: the first on the waiting list, if seats allow.
pub fn moves_up(capacity: u32, taken_after: u32, waiting_in_order: &[i64]) -> Option<i64> {
    (taken_after < capacity)
        .then(|| waiting_in_order.first().copied())
        .flatten()
}

/// Why attendance cannot be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttendanceRefusal {
    NotStarted,
    Cancelled,
}

/// Attendance is recorded once the session has started (and for as long as needed after).
pub fn may_record_attendance(
    starts_at: DateTime<Utc>,
    cancelled: bool,
    now: DateTime<Utc>,
) -> Result<(), AttendanceRefusal> {
    if cancelled {
        Err(AttendanceRefusal::Cancelled)
    } else if now < starts_at {
        Err(AttendanceRefusal::NotStarted)
    } else {
        Ok(())
    }
}

/// A conditional reservation waits for these sessions; what happens to it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionOutcome {
    /// Every session was attended: confirm it.
    Met,
    /// A session ended without attendance recorded (or was called off): release it.
    Failed,
    /// Still waiting.
    Pending,
}

/// One condition of a reservation: a session, whether it is over, and whether the
/// borrower's attendance is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Condition {
    pub attended: bool,
    /// Over: the grace period after the session's end has passed, or it was called off.
    pub over: bool,
}

/// Settles a conditional reservation: met when all are attended, failed when one is over
/// without attendance, pending otherwise.
pub fn settle(conditions: &[Condition]) -> ConditionOutcome {
    if conditions.iter().all(|c| c.attended) {
        ConditionOutcome::Met
    } else if conditions.iter().any(|c| c.over && !c.attended) {
        ConditionOutcome::Failed
    } else {
        ConditionOutcome::Pending
    }
}

/// How long after a session's end trainers may still record attendance before the
/// conditional reservations waiting for it are released.
pub const ATTENDANCE_GRACE: Duration = Duration::hours(24);

/// A training type's fields as an admin enters them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub duration_minutes: &'a str,
    /// Months; empty means "never expires".
    pub validity_months: &'a str,
}

/// A checked training type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingFields {
    pub title: String,
    pub description: String,
    pub duration_minutes: u32,
    pub validity_months: Option<u32>,
}

/// Checks a training type's fields; errors per field, in the asker's language.
pub fn check_training(
    input: &TrainingInput<'_>,
    lang: Lang,
) -> Result<TrainingFields, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(("title", Text::EnterATitleOf1To.get(lang)));
    }
    if input.description.chars().count() > 5000 {
        errors.push(("description", Text::TheDescriptionIsTooLong5000.get(lang)));
    }
    let duration = input.duration_minutes.trim().parse::<i64>().ok();
    let duration = match duration {
        Some(d) if (1..=24 * 60).contains(&d) => d as u32,
        _ => {
            errors.push((
                "duration_minutes",
                Text::EnterTheDurationInMinutes1.get(lang),
            ));
            0
        }
    };
    let validity = input.validity_months.trim();
    let validity = if validity.is_empty() {
        None
    } else {
        match validity.parse::<i64>() {
            Ok(m) if (1..=240).contains(&m) => Some(m as u32),
            _ => {
                errors.push(("validity_months", Text::ValidityIsANumberOfMonths.get(lang)));
                None
            }
        }
    };
    if errors.is_empty() {
        Ok(TrainingFields {
            title: title.to_owned(),
            description: input.description.trim().to_owned(),
            duration_minutes: duration,
            validity_months: validity,
        })
    } else {
        Err(errors)
    }
}

impl RegistrationRefusal {
    /// Kind, title and detail as the API and the pages show them.
    pub fn texts(self, lang: Lang) -> (&'static str, String, String) {
        match self {
            RegistrationRefusal::NotOpenYet => (
                "registration-not-open",
                Text::RegistrationIsNotOpenYet.get(lang),
                Text::RegistrationForThisSessionHasNot.get(lang),
            ),
            RegistrationRefusal::Closed => (
                "registration-closed",
                Text::RegistrationHasClosed.get(lang),
                Text::RegistrationForThisSessionHasClosed.get(lang),
            ),
            RegistrationRefusal::Cancelled => (
                "session-cancelled",
                Text::SessionCalledOff.get(lang),
                Text::ThisSessionWasCalledOffPlease.get(lang),
            ),
            RegistrationRefusal::AlreadyRegistered => (
                "already-registered",
                Text::YouAreAlreadyRegistered.get(lang),
                Text::YouAreAlreadyOnThisSession.get(lang),
            ),
        }
    }
}

impl AttendanceRefusal {
    pub fn texts(self, lang: Lang) -> (&'static str, String, String) {
        match self {
            AttendanceRefusal::NotStarted => (
                "session-not-started",
                Text::TheSessionHasNotStarted.get(lang),
                Text::AttendanceCanBeRecordedFromThe.get(lang),
            ),
            AttendanceRefusal::Cancelled => (
                "session-cancelled",
                Text::SessionCalledOff.get(lang),
                Text::ACalledOffSessionHasNo.get(lang),
            ),
        }
    }
}

#[cfg(test)]
mod tests;
