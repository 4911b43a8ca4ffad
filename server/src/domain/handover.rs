//! Hand-over at the desk: staff scan a unit's label to hand it out on a reservation
//! (check-out) and scan it again when it comes back (check-in).
//!
//! Pure rules over plain values; the database layer loads a [`LoanView`] and a
//! [`UnitView`] and persists the decision in the same transaction. Each unit handed out is
//! bound to the reservation by a loan line; a line is open until the unit is returned.
//!
//! Repeat scans are harmless: scanning a unit that is already out on the reservation, or
//! already back, answers with an outcome that asks for nothing to be written.
//!
//! A reservation books `quantity` units but need not take them all: once every unit that
//! was handed out is back, the loan is complete and the units never taken are released
//! with it.

use chrono::{Duration, NaiveDate};
use leenpunt_shared::{KitTypeId, ReservationId, ReservationStatus, UnitId, UnitStatus};

mod texts;
pub use texts::Names;

/// Calendar days after the pickup day before a confirmed reservation from which nothing
/// was handed out counts as not picked up.
pub const NO_SHOW_GRACE_DAYS: i64 = 2;

/// One unit bound to a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub unit: UnitId,
    pub returned: bool,
}

/// A reservation as the desk sees it: what was booked and what was handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanView {
    pub id: ReservationId,
    pub kit_type: KitTypeId,
    pub status: ReservationStatus,
    /// Units booked.
    pub quantity: u32,
    pub pickup_date: NaiveDate,
    pub return_date: NaiveDate,
    /// Every unit handed out on it, returned or not.
    pub lines: Vec<Line>,
}

impl LoanView {
    /// Whether `unit` is out on this reservation and not yet back.
    pub fn has_open_line(&self, unit: UnitId) -> bool {
        self.lines.iter().any(|l| l.unit == unit && !l.returned)
    }

    /// Whether some unit is out on this reservation and not yet back.
    pub fn any_open(&self) -> bool {
        self.lines.iter().any(|l| !l.returned)
    }
}

/// A scanned unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitView {
    pub id: UnitId,
    pub kit_type: KitTypeId,
    pub status: UnitStatus,
    /// The reservation it is out on (bound and not returned), if any.
    pub open_loan: Option<ReservationId>,
}

/// What a check-out scan does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckOut {
    /// Bind the unit to the reservation and set the reservation's status.
    HandedOver {
        /// Units still to hand out after this one.
        remaining: u32,
        /// Always [`ReservationStatus::PickedUp`].
        status_after: ReservationStatus,
    },
    /// The unit is already out on this reservation: a repeat scan, nothing to write.
    AlreadyHandedOver,
}

/// Why a unit cannot be handed out on a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckOutRefusal {
    /// The reservation still awaits approval.
    NotApproved,
    /// An offer from the waiting list the borrower has not accepted yet.
    NotAccepted,
    /// Returned, cancelled, rejected or not picked up.
    Closed {
        status: ReservationStatus,
    },
    WrongKitType {
        unit: UnitId,
        expected: KitTypeId,
        actual: KitTypeId,
    },
    InMaintenance {
        unit: UnitId,
    },
    Retired {
        unit: UnitId,
    },
    /// The unit is out on another reservation and was never checked in.
    OnAnotherLoan {
        unit: UnitId,
        reservation: ReservationId,
    },
    /// As many units as booked were handed out already.
    AllHandedOver {
        quantity: u32,
    },
    TooEarly {
        pickup_date: NaiveDate,
    },
    /// The return day has passed.
    Expired {
        return_date: NaiveDate,
    },
}

/// Decides a check-out scan of `unit` on reservation `r` today.
///
/// A repeat scan of a unit already out on `r` is accepted as [`CheckOut::AlreadyHandedOver`]
/// before the unit's status, the count and the dates are looked at: it changes nothing.
/// A unit returned earlier on `r` may go out again as a new line if the count allows.
pub fn check_out(
    r: &LoanView,
    unit: &UnitView,
    today: NaiveDate,
) -> Result<CheckOut, CheckOutRefusal> {
    match r.status {
        ReservationStatus::Confirmed | ReservationStatus::PickedUp => {}
        ReservationStatus::Requested => return Err(CheckOutRefusal::NotApproved),
        ReservationStatus::Offered => return Err(CheckOutRefusal::NotAccepted),
        status => return Err(CheckOutRefusal::Closed { status }),
    }
    if unit.kit_type != r.kit_type {
        return Err(CheckOutRefusal::WrongKitType {
            unit: unit.id,
            expected: r.kit_type,
            actual: unit.kit_type,
        });
    }
    if let Some(other) = unit.open_loan.filter(|&o| o != r.id) {
        return Err(CheckOutRefusal::OnAnotherLoan {
            unit: unit.id,
            reservation: other,
        });
    }
    if unit.open_loan == Some(r.id) || r.has_open_line(unit.id) {
        return Ok(CheckOut::AlreadyHandedOver);
    }
    match unit.status {
        UnitStatus::InService => {}
        UnitStatus::Maintenance => return Err(CheckOutRefusal::InMaintenance { unit: unit.id }),
        UnitStatus::Retired => return Err(CheckOutRefusal::Retired { unit: unit.id }),
    }
    let handed = u32::try_from(r.lines.len()).unwrap_or(u32::MAX);
    if handed >= r.quantity {
        return Err(CheckOutRefusal::AllHandedOver {
            quantity: r.quantity,
        });
    }
    if today < r.pickup_date {
        return Err(CheckOutRefusal::TooEarly {
            pickup_date: r.pickup_date,
        });
    }
    if today > r.return_date {
        return Err(CheckOutRefusal::Expired {
            return_date: r.return_date,
        });
    }
    Ok(CheckOut::HandedOver {
        remaining: r.quantity - handed - 1,
        status_after: ReservationStatus::PickedUp,
    })
}

/// One part of a kit as counted at the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartCount {
    pub name: String,
    pub expected: u32,
    /// As typed; signed so that a negative entry can be refused rather than wrapped.
    pub counted: i64,
}

/// A unit taken back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    /// Parts short, with how many are missing, in the order given.
    pub shortfall: Vec<(String, u32)>,
    /// A damage note was written.
    pub damaged: bool,
    /// The unit goes to maintenance: parts are missing or it is damaged.
    pub to_maintenance: bool,
    /// Returned after the return day.
    pub late: bool,
    /// Every unit handed out on the reservation is back now.
    pub loan_complete: bool,
    /// [`ReservationStatus::Returned`] when complete, [`ReservationStatus::PickedUp`] otherwise.
    pub status_after: ReservationStatus,
}

/// What a check-in scan does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckInOutcome {
    /// Close the unit's line and record the counts.
    Returned(CheckIn),
    /// The unit was already taken back on this reservation: a repeat scan, nothing to write.
    AlreadyReturned,
}

/// Why a unit cannot be taken back on a reservation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckInRefusal {
    /// The unit was never handed out on this reservation. Which reservation a scanned unit
    /// is out on is for the caller to look up first.
    NotOnLoan {
        unit: UnitId,
        reservation: ReservationId,
    },
    NegativeCount {
        part: String,
    },
    OverCount {
        part: String,
        expected: u32,
    },
}

/// Decides a check-in scan of `unit` on reservation `r` today, with the parts counted and
/// the damage note written at the desk.
///
/// Material that is out must always be taken back, so the reservation's status is not
/// checked: an open line for the unit is what counts. A repeat scan is
/// [`CheckInOutcome::AlreadyReturned`] whatever the counts say.
pub fn check_in(
    r: &LoanView,
    unit: UnitId,
    parts: &[PartCount],
    damage: &str,
    today: NaiveDate,
) -> Result<CheckInOutcome, CheckInRefusal> {
    if !r.has_open_line(unit) {
        return if r.lines.iter().any(|l| l.unit == unit) {
            Ok(CheckInOutcome::AlreadyReturned)
        } else {
            Err(CheckInRefusal::NotOnLoan {
                unit,
                reservation: r.id,
            })
        };
    }
    let shortfall = shortfall(parts)?;
    let damaged = !damage.trim().is_empty();
    let loan_complete = r.lines.iter().all(|l| l.returned || l.unit == unit);
    Ok(CheckInOutcome::Returned(CheckIn {
        to_maintenance: damaged || !shortfall.is_empty(),
        shortfall,
        damaged,
        late: today > r.return_date,
        loan_complete,
        status_after: if loan_complete {
            ReservationStatus::Returned
        } else {
            ReservationStatus::PickedUp
        },
    }))
}

/// The parts short, or the first count that cannot be right.
fn shortfall(parts: &[PartCount]) -> Result<Vec<(String, u32)>, CheckInRefusal> {
    let mut short = Vec::new();
    for p in parts {
        if p.counted < 0 {
            return Err(CheckInRefusal::NegativeCount {
                part: p.name.clone(),
            });
        }
        if p.counted > i64::from(p.expected) {
            return Err(CheckInRefusal::OverCount {
                part: p.name.clone(),
                expected: p.expected,
            });
        }
        // In range 0..=expected, so it fits in u32.
        let missing = p.expected - p.counted as u32;
        if missing > 0 {
            short.push((p.name.clone(), missing));
        }
    }
    Ok(short)
}

/// Whether a loan is overdue: picked up, some unit still out, and the return day passed.
pub fn overdue(r: &LoanView, today: NaiveDate) -> bool {
    r.status == ReservationStatus::PickedUp && r.any_open() && today > r.return_date
}

/// Whether a reservation was not picked up: confirmed, nothing handed out, and more than
/// [`NO_SHOW_GRACE_DAYS`] calendar days past the pickup day. (Check-out stays possible up
/// to the return day until the caller marks it as not picked up.)
pub fn no_show(
    status: ReservationStatus,
    pickup_date: NaiveDate,
    today: NaiveDate,
    lines_empty: bool,
) -> bool {
    status == ReservationStatus::Confirmed
        && lines_empty
        && today > pickup_date + Duration::days(NO_SHOW_GRACE_DAYS)
}

/// When a loan is due back, as the desk's day lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Today,
    Overdue,
}

/// Where the desk's day lists a reservation: whether units are still to be handed over
/// (confirmed, or picked up in part and not past its return day: the next unit can still
/// go out), and whether it is due back. A reservation picked up in part on its return
/// day is on both lists.
pub fn desk_lists(
    status: ReservationStatus,
    handed: u32,
    quantity: u32,
    return_date: NaiveDate,
    today: NaiveDate,
) -> (bool, Option<Due>) {
    let picked_up = status == ReservationStatus::PickedUp;
    let pickup = status == ReservationStatus::Confirmed
        || (picked_up && handed < quantity && today <= return_date);
    let due = match return_date.cmp(&today) {
        _ if !picked_up => None,
        std::cmp::Ordering::Less => Some(Due::Overdue),
        std::cmp::Ordering::Equal => Some(Due::Today),
        std::cmp::Ordering::Greater => None,
    };
    (pickup, due)
}

/// What a returned loan line tells its borrower: the parts counted short (from the stored
/// JSON `[[part, expected, counted], …]`) and the damage note; `None` when it came back whole.
pub fn return_note(
    unit: String,
    parts_json: &str,
    damage: String,
) -> Option<leenpunt_shared::ReturnNote> {
    let parts: Vec<(String, u32, i64)> = serde_json::from_str(parts_json).unwrap_or_default();
    let missing: Vec<leenpunt_shared::MissingPart> = parts
        .into_iter()
        .filter(|(_, expected, counted)| *counted < i64::from(*expected))
        .map(|(part, expected, counted)| leenpunt_shared::MissingPart {
            part,
            expected,
            counted,
        })
        .collect();
    let damage = damage.trim().to_owned();
    (!missing.is_empty() || !damage.is_empty()).then_some(leenpunt_shared::ReturnNote {
        unit,
        missing,
        damage,
    })
}

#[cfg(test)]
mod tests;
