//! Hand-over of a request (a sent cart, issue 20) at the desk: one request is one
//! hand-over. Each line of a request is an ordinary reservation, so every line keeps the
//! single reservation's state machine ([`super::handover::check_out`] /
//! [`super::handover::check_in`]); this rule only decides **which line** a scanned unit
//! fills and what the request as a whole looks like.
//!
//! - A scanned unit fills the first line of its kit type that is still short (in the
//!   request's order), preferring lines that may go out now (confirmed or picked up in
//!   part) over lines still awaiting approval or an accepted offer.
//! - A unit already out on one of the request's lines is a repeat scan of that line.
//! - A unit of a kit type the request does not hold is refused; so is a unit when every
//!   line of its kit type is full, and whatever the line's own rule refuses (a unit in
//!   maintenance, retired, out on another loan, too early, …).
//! - A request is handed over ("meegegeven") when every line that still counts is; a
//!   return may come back in parts: [`progress`] tells per line what is still out.

use super::handover::{check_out, CheckOut, CheckOutRefusal, LoanView, UnitView};
use crate::texts::Text;
use leenpunt_shared::{KitTypeId, Lang, ReservationStatus, UnitId};

/// Which line a check-out scan fills, and what the line's own rule says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fill {
    /// Index of the line in the request.
    pub line: usize,
    pub outcome: CheckOut,
}

/// Why a scanned unit cannot go out on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestRefusal {
    /// The request has no line of the unit's kit type.
    NotInRequest { unit: UnitId, kit_type: KitTypeId },
    /// The line's own rule refuses (every line of the kit type full, the unit in
    /// maintenance, retired, on another loan, the line not approved, too early, …).
    Line {
        line: usize,
        refusal: CheckOutRefusal,
    },
}

/// Whether a line may have units go out now (as opposed to awaiting approval, an offer
/// not yet accepted, or a closed line).
fn may_go_out(status: ReservationStatus) -> bool {
    matches!(
        status,
        ReservationStatus::Confirmed | ReservationStatus::PickedUp
    )
}

fn handed(line: &LoanView) -> u32 {
    u32::try_from(line.lines.len()).unwrap_or(u32::MAX)
}

/// Decides a check-out scan of `unit` on a request made of `lines` (its reservations,
/// in the request's order) today.
pub fn check_out_request(
    lines: &[LoanView],
    unit: &UnitView,
    today: chrono::NaiveDate,
) -> Result<Fill, RequestRefusal> {
    // A repeat scan: the unit is out on one of the request's lines.
    if let Some(line) = lines
        .iter()
        .position(|l| unit.open_loan == Some(l.id) || l.has_open_line(unit.id))
    {
        return check_out(&lines[line], unit, today)
            .map(|outcome| Fill { line, outcome })
            .map_err(|refusal| RequestRefusal::Line { line, refusal });
    }
    let of_kit: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].kit_type == unit.kit_type)
        .collect();
    let short = |i: &&usize| handed(&lines[**i]) < lines[**i].quantity;
    let line = of_kit
        .iter()
        .filter(short)
        .find(|&&i| may_go_out(lines[i].status))
        .or_else(|| of_kit.iter().find(short))
        .or_else(|| of_kit.first())
        .copied()
        .ok_or(RequestRefusal::NotInRequest {
            unit: unit.id,
            kit_type: unit.kit_type,
        })?;
    check_out(&lines[line], unit, today)
        .map(|outcome| Fill { line, outcome })
        .map_err(|refusal| RequestRefusal::Line { line, refusal })
}

/// Where one line of a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineProgress {
    /// Units still to hand over (0 for a line that no longer counts: cancelled, rejected,
    /// not picked up, or returned with units never taken).
    pub missing: u32,
    /// Units out now (handed over, not back).
    pub out: u32,
    /// Units handed over and back.
    pub back: u32,
}

/// Where a request stands at the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestProgress {
    pub lines: Vec<LineProgress>,
    /// Every line is handed over ("meegegeven") and at least one unit went out.
    pub handed_over: bool,
    /// Units out now, over all lines.
    pub out: u32,
    /// Units still to hand over, over all lines.
    pub missing: u32,
    /// Something went out and everything that went out is back.
    pub all_back: bool,
}

/// Where each line and the request stand.
pub fn progress(lines: &[LoanView]) -> RequestProgress {
    let per_line: Vec<LineProgress> = lines
        .iter()
        .map(|l| {
            let handed = handed(l);
            let out =
                u32::try_from(l.lines.iter().filter(|x| !x.returned).count()).unwrap_or(u32::MAX);
            let counts = matches!(
                l.status,
                ReservationStatus::Confirmed
                    | ReservationStatus::PickedUp
                    | ReservationStatus::Requested
                    | ReservationStatus::Offered
            );
            LineProgress {
                missing: if counts {
                    l.quantity.saturating_sub(handed)
                } else {
                    0
                },
                out,
                back: handed - out,
            }
        })
        .collect();
    let missing: u32 = per_line.iter().map(|l| l.missing).sum();
    let out: u32 = per_line.iter().map(|l| l.out).sum();
    let any_went = per_line.iter().any(|l| l.out + l.back > 0);
    RequestProgress {
        handed_over: any_went && missing == 0,
        all_back: any_went && out == 0,
        out,
        missing,
        lines: per_line,
    }
}

impl RequestRefusal {
    /// Kind, title and detail as the API and the pages show them, for a refusal that is
    /// not a line's own (those are worded by [`CheckOutRefusal::texts`]).
    pub fn not_in_request_texts(
        lang: Lang,
        unit: &str,
        kits: &str,
    ) -> (&'static str, String, String) {
        (
            "unit-not-in-request",
            Text::UnitNotInRequest.get(lang),
            Text::UnitNotInRequestDetail {
                unit: &unit,
                kits: &kits,
            }
            .get(lang),
        )
    }
}

/// One line of a request's receipt: what was booked and which units went out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptLine {
    pub kit_title: String,
    pub quantity: u32,
    /// Inventory codes of the units handed over on the line.
    pub units: Vec<String>,
}

/// The borrower's receipt of a request handed over as a whole: **one mail** listing every
/// line and its units (instead of one receipt per line). `r` is any line of the request
/// (they share borrower, pickup point and days); `now` (RFC 3339) is when it went out.
pub fn receipt_mail(
    lang: Lang,
    to: &leenpunt_shared::Email,
    r: &leenpunt_shared::Reservation,
    lines: &[ReceiptLine],
    link: &str,
    now: &str,
) -> super::mail::Mail {
    use crate::texts;
    let headline = Text::NewsRequestPickedUp.get(lang);
    let mut facts: Vec<String> = lines
        .iter()
        .map(|l| {
            let units = if l.units.is_empty() {
                "—".to_owned()
            } else {
                l.units.join(", ")
            };
            format!("{} × {}: {units}", l.quantity, l.kit_title)
        })
        .collect();
    facts.push(
        Text::MailPickup {
            day: &texts::iso_day(&r.pickup_date, lang),
            point: &r.pickup_point,
            address: &r.pickup_point_address,
        }
        .get(lang),
    );
    facts.push(
        Text::MailReturn {
            day: &texts::iso_day(&r.return_date, lang),
        }
        .get(lang),
    );
    facts.push(
        Text::MailHandedOutAt {
            when: &texts::instant(now, lang),
        }
        .get(lang),
    );
    super::mail::compose(
        lang,
        to,
        headline.clone(),
        Text::MailHelloName { name: &r.borrower },
        &[
            format!("{headline}."),
            facts.join("\n"),
            Text::MailSeeReservations { link: &link }.get(lang),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::handover::Line;
    use chrono::NaiveDate;
    use leenpunt_shared::{ReservationId, UnitStatus};
    use proptest::prelude::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    fn line(id: i64, kit: i64, quantity: u32) -> LoanView {
        LoanView {
            id: ReservationId(id),
            kit_type: KitTypeId(kit),
            status: ReservationStatus::Confirmed,
            quantity,
            pickup_date: d(2),
            return_date: d(9),
            lines: Vec::new(),
        }
    }

    fn unit(id: i64, kit: i64) -> UnitView {
        UnitView {
            id: UnitId(id),
            kit_type: KitTypeId(kit),
            status: UnitStatus::InService,
            open_loan: None,
        }
    }

    /// Binds the unit as the storage would after a `HandedOver`.
    fn bind(lines: &mut [LoanView], units: &mut [UnitView], fill: Fill, u: usize) {
        if let CheckOut::HandedOver { .. } = fill.outcome {
            lines[fill.line].lines.push(Line {
                unit: units[u].id,
                returned: false,
            });
            lines[fill.line].status = ReservationStatus::PickedUp;
            units[u].open_loan = Some(lines[fill.line].id);
        }
    }

    #[test]
    fn a_unit_fills_the_line_of_its_kit_type() {
        let mut lines = vec![line(1, 10, 2), line(2, 20, 1)];
        let mut units = vec![unit(100, 20), unit(101, 10), unit(102, 10)];
        let f = check_out_request(&lines, &units[0], d(2)).unwrap();
        assert_eq!(f.line, 1);
        assert_eq!(
            f.outcome,
            CheckOut::HandedOver {
                remaining: 0,
                status_after: ReservationStatus::PickedUp
            }
        );
        bind(&mut lines, &mut units, f, 0);
        assert!(!progress(&lines).handed_over);
        for u in [1, 2] {
            let f = check_out_request(&lines, &units[u], d(2)).unwrap();
            assert_eq!(f.line, 0);
            bind(&mut lines, &mut units, f, u);
        }
        let p = progress(&lines);
        assert!(p.handed_over);
        assert_eq!((p.out, p.missing, p.all_back), (3, 0, false));
        // A repeat scan names its line and writes nothing.
        let f = check_out_request(&lines, &units[0], d(2)).unwrap();
        assert_eq!((f.line, f.outcome), (1, CheckOut::AlreadyHandedOver));
    }

    #[test]
    fn refusals() {
        let mut lines = vec![line(1, 10, 1), line(2, 10, 1)];
        // A kit type the request does not hold.
        assert_eq!(
            check_out_request(&lines, &unit(100, 30), d(2)),
            Err(RequestRefusal::NotInRequest {
                unit: UnitId(100),
                kit_type: KitTypeId(30)
            })
        );
        // Every line of the kit type full.
        lines[0].lines.push(Line {
            unit: UnitId(1),
            returned: false,
        });
        lines[1].lines.push(Line {
            unit: UnitId(2),
            returned: false,
        });
        assert_eq!(
            check_out_request(&lines, &unit(100, 10), d(2)),
            Err(RequestRefusal::Line {
                line: 0,
                refusal: CheckOutRefusal::AllHandedOver { quantity: 1 }
            })
        );
        // A unit in maintenance, retired, or out elsewhere: the line's rule.
        let lines = vec![line(1, 10, 1)];
        let mut u = unit(100, 10);
        u.status = UnitStatus::Retired;
        assert!(matches!(
            check_out_request(&lines, &u, d(2)),
            Err(RequestRefusal::Line {
                refusal: CheckOutRefusal::Retired { .. },
                ..
            })
        ));
        u.status = UnitStatus::Maintenance;
        assert!(matches!(
            check_out_request(&lines, &u, d(2)),
            Err(RequestRefusal::Line {
                refusal: CheckOutRefusal::InMaintenance { .. },
                ..
            })
        ));
        let mut u = unit(100, 10);
        u.open_loan = Some(ReservationId(99));
        assert!(matches!(
            check_out_request(&lines, &u, d(2)),
            Err(RequestRefusal::Line {
                refusal: CheckOutRefusal::OnAnotherLoan { .. },
                ..
            })
        ));
        assert!(matches!(
            check_out_request(&lines, &unit(100, 10), d(1)),
            Err(RequestRefusal::Line {
                refusal: CheckOutRefusal::TooEarly { .. },
                ..
            })
        ));
    }

    #[test]
    fn a_line_that_may_go_out_wins_over_one_awaiting_approval() {
        let mut lines = vec![line(1, 10, 1), line(2, 10, 1)];
        lines[0].status = ReservationStatus::Requested;
        let f = check_out_request(&lines, &unit(100, 10), d(2)).unwrap();
        assert_eq!(f.line, 1);
        // Only the line awaiting approval left: its own refusal.
        lines[1].lines.push(Line {
            unit: UnitId(100),
            returned: false,
        });
        assert_eq!(
            check_out_request(&lines, &unit(101, 10), d(2)),
            Err(RequestRefusal::Line {
                line: 0,
                refusal: CheckOutRefusal::NotApproved
            })
        );
    }

    #[test]
    fn a_return_in_parts() {
        let mut lines = vec![line(1, 10, 2), line(2, 20, 1)];
        for (l, u) in [(0, 1), (0, 2), (1, 3)] {
            lines[l].lines.push(Line {
                unit: UnitId(u),
                returned: false,
            });
            lines[l].status = ReservationStatus::PickedUp;
        }
        lines[0].lines[1].returned = true;
        lines[1].lines[0].returned = true;
        lines[1].status = ReservationStatus::Returned;
        let p = progress(&lines);
        assert!(p.handed_over && !p.all_back);
        assert_eq!(p.out, 1);
        assert_eq!(
            p.lines[0],
            LineProgress {
                missing: 0,
                out: 1,
                back: 1
            }
        );
        lines[0].lines[0].returned = true;
        lines[0].status = ReservationStatus::Returned;
        let p = progress(&lines);
        assert!(p.all_back);
        assert_eq!(p.out, 0);
        // Nothing went out yet: neither handed over nor back.
        let p = progress(&[line(1, 10, 1)]);
        assert!(!p.handed_over && !p.all_back);
        assert_eq!(p.missing, 1);
    }

    proptest! {
        /// Scanning a pool of units in any order (with repeats): each unit is bound at
        /// most once, only to a line of its kit type, no line gets more than it booked,
        /// each kit type gets min(booked, units of it), and the request is handed over
        /// exactly when there were enough units of every kit type.
        #[test]
        fn scans_fill_lines_like_counting_says(
            quantities in prop::collection::vec((0i64..3, 1u32..4), 1..6),
            pool in prop::collection::vec(0i64..4, 0..14),
            order in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
        ) {
            let mut lines: Vec<LoanView> = quantities
                .iter()
                .enumerate()
                .map(|(i, (kit, q))| line(i as i64 + 1, *kit, *q))
                .collect();
            let mut units: Vec<UnitView> = pool
                .iter()
                .enumerate()
                .map(|(i, kit)| unit(100 + i as i64, *kit))
                .collect();
            // Every unit once in order, then random repeats.
            let mut sequence: Vec<usize> = (0..units.len()).collect();
            if !units.is_empty() {
                sequence.extend(order.iter().map(|i| i.index(units.len())));
            }
            for u in sequence {
                match check_out_request(&lines, &units[u], d(3)) {
                    Ok(fill) => {
                        prop_assert_eq!(lines[fill.line].kit_type, units[u].kit_type);
                        if fill.outcome == CheckOut::AlreadyHandedOver {
                            prop_assert_eq!(units[u].open_loan, Some(lines[fill.line].id));
                        } else {
                            prop_assert!(units[u].open_loan.is_none());
                        }
                        bind(&mut lines, &mut units, fill, u);
                    }
                    Err(RequestRefusal::NotInRequest { kit_type, .. }) => {
                        prop_assert!(lines.iter().all(|l| l.kit_type != kit_type));
                    }
                    Err(RequestRefusal::Line { line, refusal }) => {
                        prop_assert_eq!(lines[line].kit_type, units[u].kit_type);
                        let full = lines
                            .iter()
                            .filter(|l| l.kit_type == units[u].kit_type)
                            .all(|l| handed(l) >= l.quantity);
                        prop_assert!(full, "refused {:?} with room left", refusal);
                    }
                }
            }
            let mut enough = true;
            for kit in 0..4 {
                let booked: u32 = lines.iter().filter(|l| l.kit_type.0 == kit).map(|l| l.quantity).sum();
                let have = units.iter().filter(|u| u.kit_type.0 == kit).count() as u32;
                let bound: u32 = lines.iter().filter(|l| l.kit_type.0 == kit).map(handed).sum();
                prop_assert_eq!(bound, booked.min(have));
                enough &= have >= booked;
            }
            for l in &lines {
                prop_assert!(handed(l) <= l.quantity);
                let seen: std::collections::BTreeSet<UnitId> = l.lines.iter().map(|x| x.unit).collect();
                prop_assert_eq!(seen.len(), l.lines.len());
            }
            prop_assert_eq!(progress(&lines).handed_over, enough);
        }
    }
}
