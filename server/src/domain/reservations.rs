//! Reservations: the open-day calendar, availability, the booking decision and the life
//! cycle. Plain functions over plain types; the database layer loads the inputs and the
//! service persists the decision inside the same transaction.
//!
//! The model is count-based: a reservation holds `quantity` interchangeable units of a kit
//! type from its pickup day up to and including `held_until` (the return day plus the
//! turnaround buffer, counted in open days of the pickup point). A request is accepted
//! exactly when, on every one of those days, the units already held plus the request do not
//! exceed the units in service.

use crate::texts::{day, Text};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use leenpunt_shared::{Lang, LoanRules, ReservationStatus, SchoolId};
use std::collections::BTreeMap;

/// How far the calendar looks for open days before giving up (a point closed for ever).
const SEARCH_LIMIT_DAYS: i64 = 3 * 366;

/// When a pickup point is open: its weekdays, minus closed periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCalendar {
    /// Bit `n` set: open on weekday `n` (Monday = 0).
    weekdays: u8,
    /// Closed days with their reason (holidays, the point's own closures).
    closed: BTreeMap<NaiveDate, String>,
}

/// A closed period, both ends included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedPeriod {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub reason: String,
}

impl OpenCalendar {
    /// Monday to Friday.
    pub const WORKDAYS: u8 = 0b001_1111;

    pub fn new(weekdays: u8, periods: &[ClosedPeriod]) -> OpenCalendar {
        let mut closed = BTreeMap::new();
        for p in periods {
            let mut d = p.first;
            while d <= p.last {
                closed.entry(d).or_insert_with(|| p.reason.clone());
                d += Duration::days(1);
            }
        }
        OpenCalendar {
            weekdays: weekdays & 0b111_1111,
            closed,
        }
    }

    /// Open every day of the week, never closed.
    pub fn always_open() -> OpenCalendar {
        OpenCalendar::new(0b111_1111, &[])
    }

    pub fn is_open(&self, d: NaiveDate) -> bool {
        self.weekdays & (1 << d.weekday().num_days_from_monday()) != 0
            && !self.closed.contains_key(&d)
    }

    /// The named reason a day is closed, if it is a closed period (not just a weekday off).
    pub fn closed_reason(&self, d: NaiveDate) -> Option<&str> {
        self.closed.get(&d).map(String::as_str)
    }

    /// The `n`-th open day after `d` (`d` itself for 0). `None` if there is none in reach.
    pub fn nth_open_day_after(&self, d: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut left = n;
        let mut day = d;
        let mut steps = 0;
        while left > 0 {
            day += Duration::days(1);
            steps += 1;
            if steps > SEARCH_LIMIT_DAYS {
                return None;
            }
            if self.is_open(day) {
                left -= 1;
            }
        }
        Some(day)
    }

    /// The last day units are held for a loan returned on `return_date`: the
    /// `buffer`-th open day after it.
    pub fn held_until(&self, return_date: NaiveDate, buffer: u32) -> NaiveDate {
        self.nth_open_day_after(return_date, buffer)
            .unwrap_or(return_date + Duration::days(i64::from(buffer).max(1) * 7))
    }
}

/// A reservation that holds units, as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hold {
    pub id: i64,
    pub school: SchoolId,
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub quantity: u32,
}

/// Units held from `first` to `last` (both included), without saying by whom: all the
/// availability calendar needs of a hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub quantity: u32,
}

impl From<&Hold> for Held {
    fn from(h: &Hold) -> Held {
        Held {
            first: h.first,
            last: h.last,
            quantity: h.quantity,
        }
    }
}

/// Units held per day over `[from, to]`, by a difference array: O(holds + days).
pub fn held_per_day(holds: &[Hold], from: NaiveDate, to: NaiveDate) -> Vec<u32> {
    held_per_day_of(holds.iter().map(Held::from), from, to)
}

/// `held_per_day` over anonymous holds.
pub fn held_per_day_of(
    holds: impl IntoIterator<Item = Held>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<u32> {
    if to < from {
        return Vec::new();
    }
    let len = (to - from).num_days() as usize + 1;
    let mut delta = vec![0i64; len + 1];
    for h in holds {
        if h.last < from || h.first > to {
            continue;
        }
        let start = (h.first.max(from) - from).num_days() as usize;
        let end = (h.last.min(to) - from).num_days() as usize;
        delta[start] += i64::from(h.quantity);
        delta[end + 1] -= i64::from(h.quantity);
    }
    let mut running = 0i64;
    delta[..len]
        .iter()
        .map(|d| {
            running += d;
            running.max(0) as u32
        })
        .collect()
}

/// Everything the booking decision needs about one kit type.
#[derive(Debug, Clone)]
pub struct KitSituation<'a> {
    pub today: NaiveDate,
    pub rules: LoanRules,
    pub calendar: &'a OpenCalendar,
    /// Units that can be lent now (in service).
    pub in_service: u32,
    /// Units owned and not retired (in service or in maintenance): the most one may ask for.
    pub owned: u32,
    /// Reservations of this kit type that hold units.
    pub holds: &'a [Hold],
}

/// What a teacher asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub school: SchoolId,
    pub pickup: NaiveDate,
    pub return_date: NaiveDate,
    pub quantity: u32,
}

/// The fields a request can be wrong in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    PickupDate,
    ReturnDate,
    Quantity,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::PickupDate => "pickup_date",
            Field::ReturnDate => "return_date",
            Field::Quantity => "quantity",
        }
    }
}

/// Why one field is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    QuantityZero,
    QuantityAboveOwned { owned: u32 },
    ReturnBeforePickup,
    InThePast,
    TooSoon { earliest: NaiveDate },
    BeyondHorizon { latest: NaiveDate },
    Closed { reason: Option<String> },
    TooShort { min: u32 },
    TooLong { max: u32 },
}

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Input that breaks the loan rules, per field.
    Invalid(Vec<(Field, Invalid)>),
    /// Not enough units on some day; `alternatives` are the nearest ranges that fit.
    NotEnoughUnits {
        day: NaiveDate,
        free: u32,
        alternatives: Vec<(NaiveDate, NaiveDate)>,
    },
    /// The school already has the most concurrent reservations of this kit type.
    SchoolLimit { max: u32 },
}

/// An accepted request: what to store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    pub held_until: NaiveDate,
    pub status: ReservationStatus,
}

/// Loan length in calendar days, both ends included.
fn loan_days(pickup: NaiveDate, return_date: NaiveDate) -> i64 {
    (return_date - pickup).num_days() + 1
}

/// The earliest pickup day: `lead_days` open days after today (today itself if 0 and open).
pub fn earliest_pickup(s: &KitSituation<'_>) -> NaiveDate {
    s.calendar
        .nth_open_day_after(s.today, s.rules.lead_days)
        .unwrap_or(s.today)
}

/// The latest pickup day the booking horizon allows.
pub fn latest_pickup(s: &KitSituation<'_>) -> NaiveDate {
    s.today + Duration::days(i64::from(s.rules.horizon_days))
}

/// Checks the loan rules that do not depend on other reservations.
pub fn validate(s: &KitSituation<'_>, r: &Request) -> Vec<(Field, Invalid)> {
    let mut errors = Vec::new();
    if r.quantity == 0 {
        errors.push((Field::Quantity, Invalid::QuantityZero));
    } else if r.quantity > s.owned {
        errors.push((
            Field::Quantity,
            Invalid::QuantityAboveOwned { owned: s.owned },
        ));
    }
    let earliest = earliest_pickup(s);
    let latest = latest_pickup(s);
    if r.pickup < s.today {
        errors.push((Field::PickupDate, Invalid::InThePast));
    } else if r.pickup < earliest {
        errors.push((Field::PickupDate, Invalid::TooSoon { earliest }));
    } else if r.pickup > latest {
        errors.push((Field::PickupDate, Invalid::BeyondHorizon { latest }));
    } else if !s.calendar.is_open(r.pickup) {
        errors.push((
            Field::PickupDate,
            Invalid::Closed {
                reason: s.calendar.closed_reason(r.pickup).map(str::to_owned),
            },
        ));
    }
    if r.return_date < r.pickup {
        errors.push((Field::ReturnDate, Invalid::ReturnBeforePickup));
    } else {
        let days = loan_days(r.pickup, r.return_date);
        if days < i64::from(s.rules.min_loan_days) {
            errors.push((
                Field::ReturnDate,
                Invalid::TooShort {
                    min: s.rules.min_loan_days,
                },
            ));
        } else if days > i64::from(s.rules.max_loan_days) {
            errors.push((
                Field::ReturnDate,
                Invalid::TooLong {
                    max: s.rules.max_loan_days,
                },
            ));
        } else if !s.calendar.is_open(r.return_date) {
            errors.push((
                Field::ReturnDate,
                Invalid::Closed {
                    reason: s.calendar.closed_reason(r.return_date).map(str::to_owned),
                },
            ));
        }
    }
    errors
}

/// The first day in `[first, last]` with fewer than `quantity` units free, and how many
/// were free then; `None` when the whole range fits.
pub fn first_shortage(
    s: &KitSituation<'_>,
    first: NaiveDate,
    last: NaiveDate,
    quantity: u32,
    ignore: Option<i64>,
) -> Option<(NaiveDate, u32)> {
    let holds: Vec<Hold> = s
        .holds
        .iter()
        .filter(|h| Some(h.id) != ignore)
        .copied()
        .collect();
    held_per_day(&holds, first, last)
        .into_iter()
        .enumerate()
        .find_map(|(i, held)| {
            let free = s.in_service.saturating_sub(held);
            (free < quantity).then(|| (first + Duration::days(i as i64), free))
        })
}

/// Whether a school may hold one more reservation of this kit type over the range.
fn within_school_limit(
    s: &KitSituation<'_>,
    school: SchoolId,
    first: NaiveDate,
    last: NaiveDate,
    ignore: Option<i64>,
) -> bool {
    let concurrent = s
        .holds
        .iter()
        .filter(|h| {
            Some(h.id) != ignore && h.school == school && h.first <= last && h.last >= first
        })
        .count();
    (concurrent as u32) < s.rules.max_per_school
}

/// Whether a request fits completely: rules, school limit and units.
fn fits(s: &KitSituation<'_>, r: &Request, ignore: Option<i64>) -> bool {
    if !validate(s, r).is_empty() {
        return false;
    }
    let held_until = s.calendar.held_until(r.return_date, s.rules.buffer_days);
    within_school_limit(s, r.school, r.pickup, held_until, ignore)
        && first_shortage(s, r.pickup, held_until, r.quantity, ignore).is_none()
}

/// The nearest ranges of the same length that would work, nearest first (up to `max`,
/// looking up to 60 days either way).
pub fn alternatives(s: &KitSituation<'_>, r: &Request, max: usize) -> Vec<(NaiveDate, NaiveDate)> {
    let mut found = Vec::new();
    for shift in 1..=60i64 {
        for signed in [shift, -shift] {
            let candidate = Request {
                pickup: r.pickup + Duration::days(signed),
                return_date: r.return_date + Duration::days(signed),
                ..*r
            };
            if fits(s, &candidate, None) {
                found.push((candidate.pickup, candidate.return_date));
                if found.len() == max {
                    return found;
                }
            }
        }
    }
    found
}

/// How many alternatives a refusal offers.
pub const ALTERNATIVES: usize = 3;

/// `decide`, with the nearest alternatives filled in when units are short. `s` must hold
/// the reservations up to 60 days either side of the request.
pub fn decide_with_alternatives(s: &KitSituation<'_>, r: &Request) -> Result<Accepted, Refusal> {
    decide(s, r).map_err(|refusal| match refusal {
        Refusal::NotEnoughUnits { day, free, .. } => Refusal::NotEnoughUnits {
            day,
            free,
            alternatives: alternatives(s, r, ALTERNATIVES),
        },
        other => other,
    })
}

/// Decides a new reservation: accepted (with what to store) or refused (with why, without
/// alternatives: only the request's own days need to be in `s`).
pub fn decide(s: &KitSituation<'_>, r: &Request) -> Result<Accepted, Refusal> {
    let invalid = validate(s, r);
    if !invalid.is_empty() {
        return Err(Refusal::Invalid(invalid));
    }
    let held_until = s.calendar.held_until(r.return_date, s.rules.buffer_days);
    if !within_school_limit(s, r.school, r.pickup, held_until, None) {
        return Err(Refusal::SchoolLimit {
            max: s.rules.max_per_school,
        });
    }
    if let Some((day, free)) = first_shortage(s, r.pickup, held_until, r.quantity, None) {
        return Err(Refusal::NotEnoughUnits {
            day,
            free,
            alternatives: Vec::new(),
        });
    }
    Ok(Accepted {
        held_until,
        status: if s.rules.needs_approval {
            ReservationStatus::Requested
        } else {
            ReservationStatus::Confirmed
        },
    })
}

/// Decides moving the return date of an existing reservation (`hold.id`). Only the days
/// it does not hold yet need free units.
pub fn decide_extension(
    s: &KitSituation<'_>,
    hold: &Hold,
    pickup: NaiveDate,
    new_return: NaiveDate,
) -> Result<NaiveDate, Refusal> {
    let mut invalid = Vec::new();
    if new_return < pickup {
        invalid.push((Field::ReturnDate, Invalid::ReturnBeforePickup));
    } else if new_return < s.today {
        invalid.push((Field::ReturnDate, Invalid::InThePast));
    } else if loan_days(pickup, new_return) > i64::from(s.rules.max_loan_days) {
        invalid.push((
            Field::ReturnDate,
            Invalid::TooLong {
                max: s.rules.max_loan_days,
            },
        ));
    } else if !s.calendar.is_open(new_return) {
        invalid.push((
            Field::ReturnDate,
            Invalid::Closed {
                reason: s.calendar.closed_reason(new_return).map(str::to_owned),
            },
        ));
    }
    if !invalid.is_empty() {
        return Err(Refusal::Invalid(invalid));
    }
    let held_until = s.calendar.held_until(new_return, s.rules.buffer_days);
    if let Some((day, free)) = first_shortage(s, pickup, held_until, hold.quantity, Some(hold.id)) {
        return Err(Refusal::NotEnoughUnits {
            day,
            free,
            alternatives: Vec::new(),
        });
    }
    Ok(held_until)
}

/// Reservations that no longer fit after units left service: walking them in booking
/// order (oldest first keep their units), those that would push a day over capacity.
pub fn at_risk(holds: &[Hold], in_service: u32, from: NaiveDate) -> Vec<i64> {
    let mut sorted: Vec<Hold> = holds.iter().filter(|h| h.last >= from).copied().collect();
    sorted.sort_by_key(|h| h.id);
    let mut kept: Vec<Hold> = Vec::new();
    let mut risky = Vec::new();
    for h in sorted {
        let first = h.first.max(from);
        let over = held_per_day(&kept, first, h.last)
            .into_iter()
            .any(|held| held + h.quantity > in_service);
        if over {
            risky.push(h.id);
        } else {
            kept.push(h);
        }
    }
    risky
}

/// Whether at least one unit is free on every day of `[from, to]`.
pub fn free_throughout(in_service: u32, holds: &[Hold], from: NaiveDate, to: NaiveDate) -> bool {
    in_service > 0
        && held_per_day(holds, from, to)
            .into_iter()
            .all(|held| held < in_service)
}

/// Units free on each day of `[from, to]`.
pub fn free_per_day(s: &KitSituation<'_>, from: NaiveDate, to: NaiveDate) -> Vec<u32> {
    free_per_day_of(s.in_service, s.holds.iter().map(Held::from), from, to)
}

/// Units free on each day of `[from, to]`, from anonymous holds (the availability
/// calendar reads them without ids or schools: less to read for a year).
pub fn free_per_day_of(
    in_service: u32,
    holds: impl IntoIterator<Item = Held>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<u32> {
    held_per_day_of(holds, from, to)
        .into_iter()
        .map(|held| in_service.saturating_sub(held))
        .collect()
}

/// What happens to a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Approve,
    Reject,
    /// The borrower cancels; allowed until the pickup day.
    CancelByBorrower,
    /// Staff cancel, with a reason.
    CancelByStaff,
    PickUp,
    Return,
    NoShow,
    /// The borrower takes an offer from the waiting list.
    Accept {
        needs_approval: bool,
    },
    /// An offer from the waiting list lapses unanswered.
    Lapse,
}

/// Why a state change is not possible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionError {
    /// Not from this state.
    NotNow(ReservationStatus),
    /// The borrower can no longer cancel: the pickup day has come.
    TooLateToCancel,
}

/// The life cycle: requested → confirmed → picked up → returned; cancelled, rejected and
/// no-show on the side.
pub fn transition(
    from: ReservationStatus,
    event: Event,
    today: NaiveDate,
    pickup: NaiveDate,
) -> Result<ReservationStatus, TransitionError> {
    use ReservationStatus as S;
    match (from, event) {
        (S::Offered, Event::Accept { needs_approval }) => Ok(if needs_approval {
            S::Requested
        } else {
            S::Confirmed
        }),
        (S::Offered, Event::Lapse) => Ok(S::Cancelled),
        (S::Offered, Event::CancelByBorrower | Event::CancelByStaff) => Ok(S::Cancelled),
        (S::Requested, Event::Approve) => Ok(S::Confirmed),
        (S::Requested, Event::Reject) => Ok(S::Rejected),
        (S::Requested | S::Confirmed, Event::CancelByBorrower) => {
            if today < pickup {
                Ok(S::Cancelled)
            } else {
                Err(TransitionError::TooLateToCancel)
            }
        }
        (S::Requested | S::Confirmed, Event::CancelByStaff) => Ok(S::Cancelled),
        (S::Confirmed, Event::PickUp) => Ok(S::PickedUp),
        (S::PickedUp, Event::Return) => Ok(S::Returned),
        (S::Confirmed, Event::NoShow) if today > pickup => Ok(S::NoShow),
        (other, _) => Err(TransitionError::NotNow(other)),
    }
}

/// Someone waiting for a kit type over a date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub id: i64,
    pub request: Request,
}

/// What freed capacity does to a waiting list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Offers {
    /// Entries that now fit, in waiting order, with what to hold for them.
    pub offered: Vec<(i64, Accepted)>,
    /// Entries whose pickup day can no longer be met (lead time passed): they lapse.
    pub lapsed: Vec<i64>,
}

/// Walks a waiting list first come, first served: each entry that now fits (every rule,
/// and the units of the offers made before it) is offered; entries whose pickup day is
/// too close or past lapse; the rest keep waiting.
pub fn offers(s: &KitSituation<'_>, waiting: &[Waiting]) -> Offers {
    let mut result = Offers::default();
    let mut holds: Vec<Hold> = s.holds.to_vec();
    let earliest = earliest_pickup(s);
    let mut sorted = waiting.to_vec();
    sorted.sort_by_key(|w| w.id);
    for w in sorted {
        if w.request.pickup < earliest {
            result.lapsed.push(w.id);
            continue;
        }
        let now = KitSituation {
            holds: &holds,
            ..s.clone()
        };
        if let Ok(accepted) = decide(&now, &w.request) {
            holds.push(Hold {
                id: -w.id,
                school: w.request.school,
                first: w.request.pickup,
                last: accepted.held_until,
                quantity: w.request.quantity,
            });
            // An offer always needs the borrower's answer first.
            result.offered.push((
                w.id,
                Accepted {
                    status: ReservationStatus::Offered,
                    ..accepted
                },
            ));
        }
    }
    result
}

/// How long an offer from the waiting list is held.
pub const OFFER_HOURS: i64 = 48;

/// The Belgian public holidays of a year (the ten legal holidays).
pub fn public_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let d = |m, day| NaiveDate::from_ymd_opt(year, m, day).expect("valid date");
    let easter = easter_sunday(year);
    vec![
        (d(1, 1), "Nieuwjaar"),
        (easter + Duration::days(1), "Paasmaandag"),
        (d(5, 1), "Dag van de Arbeid"),
        (easter + Duration::days(39), "O.-L.-H.-Hemelvaart"),
        (easter + Duration::days(50), "Pinkstermaandag"),
        (d(7, 21), "Nationale feestdag"),
        (d(8, 15), "O.-L.-V.-Hemelvaart"),
        (d(11, 1), "Allerheiligen"),
        (d(11, 11), "Wapenstilstand"),
        (d(12, 25), "Kerstmis"),
    ]
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("valid Easter date")
}

/// Weekdays as a bit set, from a list like `ma,di,wo,do,vr` (Dutch two-letter names).
pub fn parse_weekdays(list: &str) -> Option<u8> {
    let mut bits = 0u8;
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let day = match part {
            "ma" => Weekday::Mon,
            "di" => Weekday::Tue,
            "wo" => Weekday::Wed,
            "do" => Weekday::Thu,
            "vr" => Weekday::Fri,
            "za" => Weekday::Sat,
            "zo" => Weekday::Sun,
            _ => return None,
        };
        bits |= 1 << day.num_days_from_monday();
    }
    Some(bits)
}

impl Invalid {
    /// The message a teacher reads next to the field.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Invalid::QuantityZero => Text::ChooseAtLeast1Unit.get(lang),
            Invalid::QuantityAboveOwned { owned } => Text::OnlyUnitsOwned { owned }.get(lang),
            Invalid::ReturnBeforePickup => Text::TheReturnDayIsBeforeThe.get(lang),
            Invalid::InThePast => Text::ThatDayHasPassed.get(lang),
            Invalid::TooSoon { earliest } => Text::TooSoon {
                earliest: &day(*earliest, lang),
            }
            .get(lang),
            Invalid::BeyondHorizon { latest } => Text::BeyondHorizon {
                latest: &day(*latest, lang),
            }
            .get(lang),
            Invalid::Closed {
                reason: Some(reason),
            } => Text::ClosedBecause { reason }.get(lang),
            Invalid::Closed { reason: None } => Text::ClosedThatDay.get(lang),
            Invalid::TooShort { min } => Text::LoanTooShort { min }.get(lang),
            Invalid::TooLong { max } => Text::LoanTooLong { max }.get(lang),
        }
    }
}

impl Refusal {
    /// A short title and the explanation, in a language.
    pub fn texts(&self, lang: Lang, quantity: u32) -> (String, String) {
        match self {
            Refusal::Invalid(_) => (Text::ProblemValidation.get(lang), String::new()),
            Refusal::NotEnoughUnits {
                day: when,
                free,
                alternatives,
            } => {
                let tail = if alternatives.is_empty() {
                    Text::NotEnoughTryOther
                } else {
                    Text::NotEnoughTheseWork
                };
                (
                    Text::NotEnoughUnits.get(lang),
                    Text::NotEnoughUnitsDetail {
                        when: &day(*when, lang),
                        free,
                        quantity: &quantity,
                        tail: &tail.get(lang),
                    }
                    .get(lang),
                )
            }
            Refusal::SchoolLimit { max } => (
                Text::SchoolLimit.get(lang),
                Text::SchoolLimitDetail { max }.get(lang),
            ),
        }
    }
}

#[cfg(test)]
mod tests;
