//! A teacher's cart: several lines (a kit type, a pickup point, dates, a quantity) checked
//! and booked together.
//!
//! Every line is decided by the single-booking rules (`reservations::decide` and its
//! alternatives, `trainings::gate`): a single booking is a cart of one line. What the cart
//! adds is that lines are decided in order against the kit type's holds *plus the holds
//! of the lines accepted before them*, so two lines of the same kit type count together
//! (also against the per-school limit: each line becomes a reservation of its own), and
//! what to do when some lines do not fit: all or nothing (the default) or, when the
//! teacher asks for it, book what fits and put the rest on the waiting list.

use super::reservations::{
    alternatives, decide, Accepted, Hold, KitSituation, Refusal, Request, ALTERNATIVES,
};
use super::trainings::{Gate, Required};
use std::collections::BTreeMap;

/// One line of a cart with everything its decision needs.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// The kit type's id: lines with the same one share its units.
    pub kit: i64,
    /// The pickup point's id: the lines of one point become one request.
    pub point: i64,
    /// The kit type's situation at this line's pickup point (rules, calendar, holds). The
    /// holds must cover 60 days either side of the line for the alternatives.
    pub situation: KitSituation<'a>,
    pub request: Request,
    /// The training gate for this borrower and this line's pickup day.
    pub training: Gate,
}

/// Why a line does not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineRefusal {
    /// The borrower lacks these trainings (and has no seat in a session in time).
    Training(Vec<Required>),
    /// The single-booking rules refuse it (loan rules, closed day, school limit, units;
    /// units short come with the nearest dates that fit).
    Rules(Refusal),
}

impl LineRefusal {
    /// Whether a place on the waiting list makes sense: only when units are short.
    pub fn may_wait(&self) -> bool {
        matches!(self, LineRefusal::Rules(Refusal::NotEnoughUnits { .. }))
    }
}

/// The verdict on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It fits: what to store, and the training sessions it waits for (conditional).
    Fits {
        accepted: Accepted,
        sessions: Vec<i64>,
    },
    Refused(LineRefusal),
}

impl Verdict {
    pub fn fits(&self) -> bool {
        matches!(self, Verdict::Fits { .. })
    }
}

/// Checks every line, in order. A line that fits holds its units for the lines after it;
/// a refused line holds nothing.
pub fn check(lines: &[Line<'_>]) -> Vec<Verdict> {
    // Holds of the lines accepted so far, per kit type (ids below zero: not stored yet).
    let mut added: BTreeMap<i64, Vec<Hold>> = BTreeMap::new();
    let mut verdicts = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let extra = added.get(&line.kit).map(Vec::as_slice).unwrap_or(&[]);
        let verdict = if extra.is_empty() {
            check_line(line, &line.situation)
        } else {
            let holds: Vec<Hold> = line.situation.holds.iter().chain(extra).copied().collect();
            let situation = KitSituation {
                holds: &holds,
                ..line.situation.clone()
            };
            check_line(line, &situation)
        };
        if let Verdict::Fits { accepted, .. } = &verdict {
            added.entry(line.kit).or_default().push(Hold {
                id: -(i as i64) - 1,
                school: line.request.school,
                first: line.request.pickup,
                last: accepted.held_until,
                quantity: line.request.quantity,
            });
        }
        verdicts.push(verdict);
    }
    verdicts
}

/// One line on its own: a single booking is a cart of one line, decided by this rule.
pub fn check_one(line: &Line<'_>) -> Verdict {
    check_line(line, &line.situation)
}

/// One line against a situation: the training gate first (without it dates do not matter
/// yet), then the booking rules, with alternatives when units are short.
fn check_line(line: &Line<'_>, s: &KitSituation<'_>) -> Verdict {
    let sessions = match &line.training {
        Gate::Qualified => Vec::new(),
        Gate::Conditional { sessions } => sessions.clone(),
        Gate::Missing(missing) => return Verdict::Refused(LineRefusal::Training(missing.clone())),
    };
    match decide(s, &line.request) {
        Ok(accepted) => Verdict::Fits { accepted, sessions },
        Err(Refusal::NotEnoughUnits { day, free, .. }) => {
            Verdict::Refused(LineRefusal::Rules(Refusal::NotEnoughUnits {
                day,
                free,
                alternatives: alternatives(s, &line.request, ALTERNATIVES),
            }))
        }
        Err(other) => Verdict::Refused(LineRefusal::Rules(other)),
    }
}

/// How a cart is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every line or none (the default).
    AllOrNothing,
    /// Book what fits, put the lines short of units on the waiting list.
    Partial,
}

/// What sending a cart does with each line (indexes into the lines).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// Lines to book now.
    pub book: Vec<usize>,
    /// Lines to put on the waiting list.
    pub wait: Vec<usize>,
    /// Lines neither booked nor waiting (they stay in the cart).
    pub refused: Vec<usize>,
}

impl Plan {
    /// Whether sending writes anything at all.
    pub fn is_empty(&self) -> bool {
        self.book.is_empty() && self.wait.is_empty()
    }
}

/// Decides what sending does. All or nothing: every line is booked when every line fits,
/// otherwise nothing is. Partial: lines that fit are booked, lines short of units wait,
/// the others are refused.
pub fn plan(verdicts: &[Verdict], mode: Mode) -> Plan {
    let mut out = Plan::default();
    let all_fit = verdicts.iter().all(Verdict::fits);
    for (i, v) in verdicts.iter().enumerate() {
        match (v, mode) {
            (Verdict::Fits { .. }, _) if all_fit || mode == Mode::Partial => out.book.push(i),
            (Verdict::Refused(r), Mode::Partial) if r.may_wait() => out.wait.push(i),
            _ => out.refused.push(i),
        }
    }
    out
}

/// The lines grouped into one request per pickup point, in the order each point first
/// appears in the cart.
pub fn by_pickup_point(points: &[i64]) -> Vec<(i64, Vec<usize>)> {
    let mut groups: Vec<(i64, Vec<usize>)> = Vec::new();
    for (i, p) in points.iter().enumerate() {
        match groups.iter_mut().find(|(point, _)| point == p) {
            Some((_, lines)) => lines.push(i),
            None => groups.push((*p, vec![i])),
        }
    }
    groups
}

pub mod mail;

#[cfg(test)]
mod tests;
