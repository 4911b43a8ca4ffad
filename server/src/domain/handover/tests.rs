use super::*;
use leenpunt_shared::Lang;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const KIT: KitTypeId = KitTypeId(7);
const RES: ReservationId = ReservationId(100);

fn pickup() -> NaiveDate {
    date(2026, 12, 1)
}

fn return_day() -> NaiveDate {
    date(2026, 12, 11)
}

/// A confirmed reservation of `quantity` units from 1 to 11 December 2026.
fn loan(quantity: u32, lines: &[(i64, bool)]) -> LoanView {
    LoanView {
        id: RES,
        kit_type: KIT,
        status: ReservationStatus::Confirmed,
        quantity,
        pickup_date: pickup(),
        return_date: return_day(),
        lines: lines
            .iter()
            .map(|&(u, returned)| Line {
                unit: UnitId(u),
                returned,
            })
            .collect(),
    }
}

fn picked_up(quantity: u32, lines: &[(i64, bool)]) -> LoanView {
    LoanView {
        status: ReservationStatus::PickedUp,
        ..loan(quantity, lines)
    }
}

fn unit(id: i64) -> UnitView {
    UnitView {
        id: UnitId(id),
        kit_type: KIT,
        status: UnitStatus::InService,
        open_loan: None,
    }
}

fn part(name: &str, expected: u32, counted: i64) -> PartCount {
    PartCount {
        name: name.into(),
        expected,
        counted,
    }
}

fn returned(outcome: Result<CheckInOutcome, CheckInRefusal>) -> CheckIn {
    match outcome {
        Ok(CheckInOutcome::Returned(c)) => c,
        other => panic!("expected a return, got {other:?}"),
    }
}

// --- check-out -------------------------------------------------------------------------

#[test]
fn first_unit_of_three_leaves_two_and_marks_picked_up() {
    assert_eq!(
        check_out(&loan(3, &[]), &unit(1), pickup()),
        Ok(CheckOut::HandedOver {
            remaining: 2,
            status_after: ReservationStatus::PickedUp,
        })
    );
}

#[test]
fn partial_hand_over_three_booked_two_handed_leaves_one() {
    // The second of three booked units goes out: one is left to hand over.
    let r = picked_up(3, &[(1, false)]);
    assert_eq!(
        check_out(&r, &unit(2), pickup()),
        Ok(CheckOut::HandedOver {
            remaining: 1,
            status_after: ReservationStatus::PickedUp,
        })
    );
}

#[test]
fn last_unit_leaves_none() {
    let r = picked_up(3, &[(1, false), (2, false)]);
    assert!(matches!(
        check_out(&r, &unit(3), pickup()),
        Ok(CheckOut::HandedOver { remaining: 0, .. })
    ));
}

#[test]
fn pickup_day_itself_is_allowed_and_the_day_before_is_not() {
    let r = loan(1, &[]);
    assert!(check_out(&r, &unit(1), pickup()).is_ok());
    assert_eq!(
        check_out(&r, &unit(1), pickup() - Duration::days(1)),
        Err(CheckOutRefusal::TooEarly {
            pickup_date: pickup()
        })
    );
}

#[test]
fn return_day_itself_is_allowed_and_the_day_after_is_expired() {
    let r = loan(1, &[]);
    assert!(check_out(&r, &unit(1), return_day()).is_ok());
    assert_eq!(
        check_out(&r, &unit(1), return_day() + Duration::days(1)),
        Err(CheckOutRefusal::Expired {
            return_date: return_day()
        })
    );
}

#[test]
fn only_confirmed_or_picked_up_reservations_hand_out() {
    let with = |status| LoanView {
        status,
        ..loan(1, &[])
    };
    use ReservationStatus as S;
    assert!(check_out(&with(S::Confirmed), &unit(1), pickup()).is_ok());
    assert!(check_out(&with(S::PickedUp), &unit(1), pickup()).is_ok());
    assert_eq!(
        check_out(&with(S::Requested), &unit(1), pickup()),
        Err(CheckOutRefusal::NotApproved)
    );
    assert_eq!(
        check_out(&with(S::Offered), &unit(1), pickup()),
        Err(CheckOutRefusal::NotAccepted)
    );
    for status in [S::Returned, S::Cancelled, S::Rejected, S::NoShow] {
        assert_eq!(
            check_out(&with(status), &unit(1), pickup()),
            Err(CheckOutRefusal::Closed { status })
        );
    }
}

#[test]
fn a_unit_of_another_kit_type_is_refused() {
    let other = UnitView {
        kit_type: KitTypeId(8),
        ..unit(1)
    };
    assert_eq!(
        check_out(&loan(1, &[]), &other, pickup()),
        Err(CheckOutRefusal::WrongKitType {
            unit: UnitId(1),
            expected: KIT,
            actual: KitTypeId(8),
        })
    );
}

#[test]
fn units_out_of_service_are_refused() {
    let r = loan(1, &[]);
    let maintenance = UnitView {
        status: UnitStatus::Maintenance,
        ..unit(1)
    };
    let retired = UnitView {
        status: UnitStatus::Retired,
        ..unit(1)
    };
    assert_eq!(
        check_out(&r, &maintenance, pickup()),
        Err(CheckOutRefusal::InMaintenance { unit: UnitId(1) })
    );
    assert_eq!(
        check_out(&r, &retired, pickup()),
        Err(CheckOutRefusal::Retired { unit: UnitId(1) })
    );
}

#[test]
fn a_unit_on_another_open_loan_is_refused_with_that_reservation() {
    let busy = UnitView {
        open_loan: Some(ReservationId(42)),
        ..unit(1)
    };
    assert_eq!(
        check_out(&loan(1, &[]), &busy, pickup()),
        Err(CheckOutRefusal::OnAnotherLoan {
            unit: UnitId(1),
            reservation: ReservationId(42),
        })
    );
}

#[test]
fn repeat_scan_of_a_unit_out_on_this_reservation_is_idempotent() {
    let r = picked_up(1, &[(1, false)]);
    let out = UnitView {
        open_loan: Some(RES),
        ..unit(1)
    };
    assert_eq!(
        check_out(&r, &out, pickup()),
        Ok(CheckOut::AlreadyHandedOver)
    );
    // Even when the reservation is full, past its return day, or the unit's status
    // changed meanwhile: nothing is written, so nothing is refused.
    let late = return_day() + Duration::days(3);
    assert_eq!(check_out(&r, &out, late), Ok(CheckOut::AlreadyHandedOver));
    let in_maintenance = UnitView {
        status: UnitStatus::Maintenance,
        ..out
    };
    assert_eq!(
        check_out(&r, &in_maintenance, pickup()),
        Ok(CheckOut::AlreadyHandedOver)
    );
}

#[test]
fn an_open_line_on_this_reservation_is_a_repeat_scan_even_if_the_unit_does_not_say_so() {
    // The reservation's lines and the unit's open loan are read separately; either one
    // showing the unit out on this reservation makes the scan a repeat.
    let r = picked_up(2, &[(1, false)]);
    assert_eq!(
        check_out(&r, &unit(1), pickup()),
        Ok(CheckOut::AlreadyHandedOver)
    );
}

#[test]
fn more_units_than_booked_are_refused() {
    let r = picked_up(2, &[(1, false), (2, false)]);
    assert_eq!(
        check_out(&r, &unit(3), pickup()),
        Err(CheckOutRefusal::AllHandedOver { quantity: 2 })
    );
    // Returned lines still count as handed out.
    let r = picked_up(2, &[(1, true), (2, false)]);
    assert_eq!(
        check_out(&r, &unit(3), pickup()),
        Err(CheckOutRefusal::AllHandedOver { quantity: 2 })
    );
}

#[test]
fn a_unit_returned_earlier_may_go_out_again_while_the_count_allows() {
    let r = picked_up(3, &[(1, true), (2, false)]);
    assert_eq!(
        check_out(&r, &unit(1), pickup()),
        Ok(CheckOut::HandedOver {
            remaining: 0,
            status_after: ReservationStatus::PickedUp,
        })
    );
}

// --- check-in --------------------------------------------------------------------------

#[test]
fn returning_the_only_unit_on_the_return_day_completes_the_loan_on_time() {
    let r = picked_up(1, &[(1, false)]);
    let c = returned(check_in(
        &r,
        UnitId(1),
        &[part("Robot", 6, 6)],
        "",
        return_day(),
    ));
    assert_eq!(
        c,
        CheckIn {
            shortfall: vec![],
            damaged: false,
            to_maintenance: false,
            late: false,
            loan_complete: true,
            status_after: ReservationStatus::Returned,
        }
    );
}

#[test]
fn the_day_after_the_return_day_is_late() {
    let r = picked_up(1, &[(1, false)]);
    let c = returned(check_in(
        &r,
        UnitId(1),
        &[],
        "",
        return_day() + Duration::days(1),
    ));
    assert!(c.late);
    assert!(c.loan_complete);
}

#[test]
fn partial_return_keeps_the_loan_open() {
    let r = picked_up(2, &[(1, false), (2, false)]);
    let c = returned(check_in(&r, UnitId(1), &[], "", return_day()));
    assert!(!c.loan_complete);
    assert_eq!(c.status_after, ReservationStatus::PickedUp);
    // The second one closes it.
    let r = picked_up(2, &[(1, true), (2, false)]);
    let c = returned(check_in(&r, UnitId(2), &[], "", return_day()));
    assert!(c.loan_complete);
    assert_eq!(c.status_after, ReservationStatus::Returned);
}

#[test]
fn units_never_taken_do_not_keep_the_loan_open() {
    // Three booked, two handed out: when both are back the loan is complete.
    let r = picked_up(3, &[(1, true), (2, false)]);
    let c = returned(check_in(&r, UnitId(2), &[], "", return_day()));
    assert!(c.loan_complete);
    assert_eq!(c.status_after, ReservationStatus::Returned);
}

#[test]
fn a_missing_part_sends_the_unit_to_maintenance_and_is_listed() {
    let r = picked_up(1, &[(1, false)]);
    let parts = [
        part("Robot", 6, 6),
        part("Oplaadkabel", 2, 1),
        part("Kaarten", 30, 27),
    ];
    let c = returned(check_in(&r, UnitId(1), &parts, "", return_day()));
    assert_eq!(
        c.shortfall,
        vec![("Oplaadkabel".to_owned(), 1), ("Kaarten".to_owned(), 3)]
    );
    assert!(c.to_maintenance);
    assert!(!c.damaged);
}

#[test]
fn a_damage_note_sends_the_unit_to_maintenance_but_blank_is_no_damage() {
    let r = picked_up(1, &[(1, false)]);
    let c = returned(check_in(
        &r,
        UnitId(1),
        &[],
        "Scherm gebarsten",
        return_day(),
    ));
    assert!(c.damaged);
    assert!(c.to_maintenance);
    assert!(c.shortfall.is_empty());
    let c = returned(check_in(&r, UnitId(1), &[], "  \n\t ", return_day()));
    assert!(!c.damaged);
    assert!(!c.to_maintenance);
}

#[test]
fn zero_counted_is_all_missing() {
    let r = picked_up(1, &[(1, false)]);
    let c = returned(check_in(
        &r,
        UnitId(1),
        &[part("Robot", 6, 0)],
        "",
        pickup(),
    ));
    assert_eq!(c.shortfall, vec![("Robot".to_owned(), 6)]);
}

#[test]
fn negative_and_over_counts_are_refused_with_the_part() {
    let r = picked_up(1, &[(1, false)]);
    assert_eq!(
        check_in(&r, UnitId(1), &[part("Robot", 6, -1)], "", pickup()),
        Err(CheckInRefusal::NegativeCount {
            part: "Robot".into()
        })
    );
    assert_eq!(
        check_in(&r, UnitId(1), &[part("Robot", 6, 7)], "", pickup()),
        Err(CheckInRefusal::OverCount {
            part: "Robot".into(),
            expected: 6,
        })
    );
    // Exactly the expected number is fine; the first wrong part is the one named.
    assert!(check_in(&r, UnitId(1), &[part("Robot", 6, 6)], "", pickup()).is_ok());
    assert_eq!(
        check_in(
            &r,
            UnitId(1),
            &[part("Robot", 6, 5), part("Kabel", 1, 9), part("Mat", 1, -3)],
            "",
            pickup()
        ),
        Err(CheckInRefusal::OverCount {
            part: "Kabel".into(),
            expected: 1,
        })
    );
}

#[test]
fn a_unit_never_on_this_reservation_is_refused() {
    let r = picked_up(1, &[(1, false)]);
    assert_eq!(
        check_in(&r, UnitId(9), &[], "", pickup()),
        Err(CheckInRefusal::NotOnLoan {
            unit: UnitId(9),
            reservation: RES,
        })
    );
}

#[test]
fn repeat_return_scan_is_idempotent_whatever_was_typed() {
    let r = picked_up(2, &[(1, true), (2, false)]);
    assert_eq!(
        check_in(&r, UnitId(1), &[], "", pickup()),
        Ok(CheckInOutcome::AlreadyReturned)
    );
    assert_eq!(
        check_in(&r, UnitId(1), &[part("Robot", 6, -4)], "kapot", pickup()),
        Ok(CheckInOutcome::AlreadyReturned)
    );
}

#[test]
fn an_open_line_wins_over_an_earlier_returned_one() {
    // Unit 1 went out, came back, and went out again on the same reservation.
    let r = picked_up(2, &[(1, true), (1, false)]);
    let c = returned(check_in(&r, UnitId(1), &[], "", pickup()));
    assert!(c.loan_complete);
}

// --- overdue and no-show ---------------------------------------------------------------

#[test]
fn overdue_from_the_day_after_the_return_day_while_units_are_out() {
    let r = picked_up(2, &[(1, true), (2, false)]);
    assert!(!overdue(&r, return_day()));
    assert!(overdue(&r, return_day() + Duration::days(1)));
    let all_back = picked_up(2, &[(1, true), (2, true)]);
    assert!(!overdue(&all_back, return_day() + Duration::days(1)));
    let never_picked_up = loan(2, &[]);
    assert!(!overdue(&never_picked_up, return_day() + Duration::days(1)));
}

#[test]
fn no_show_after_the_grace_days_when_nothing_was_handed_out() {
    let p = pickup();
    let last_grace_day = p + Duration::days(NO_SHOW_GRACE_DAYS);
    let s = ReservationStatus::Confirmed;
    assert!(!no_show(s, p, p, true));
    assert!(!no_show(s, p, last_grace_day, true));
    assert!(no_show(s, p, last_grace_day + Duration::days(1), true));
    assert!(!no_show(s, p, last_grace_day + Duration::days(1), false));
    for other in [
        ReservationStatus::PickedUp,
        ReservationStatus::Requested,
        ReservationStatus::Cancelled,
        ReservationStatus::NoShow,
    ] {
        assert!(!no_show(other, p, last_grace_day + Duration::days(1), true));
    }
}

// --- texts -----------------------------------------------------------------------------

fn all_check_out_refusals() -> Vec<CheckOutRefusal> {
    vec![
        CheckOutRefusal::NotApproved,
        CheckOutRefusal::NotAccepted,
        CheckOutRefusal::Closed {
            status: ReservationStatus::Cancelled,
        },
        CheckOutRefusal::WrongKitType {
            unit: UnitId(31),
            expected: KitTypeId(7),
            actual: KitTypeId(8),
        },
        CheckOutRefusal::InMaintenance { unit: UnitId(31) },
        CheckOutRefusal::Retired { unit: UnitId(31) },
        CheckOutRefusal::OnAnotherLoan {
            unit: UnitId(31),
            reservation: ReservationId(42),
        },
        CheckOutRefusal::AllHandedOver { quantity: 3 },
        CheckOutRefusal::TooEarly {
            pickup_date: pickup(),
        },
        CheckOutRefusal::Expired {
            return_date: return_day(),
        },
    ]
}

fn all_check_in_refusals() -> Vec<CheckInRefusal> {
    vec![
        CheckInRefusal::NotOnLoan {
            unit: UnitId(31),
            reservation: RES,
        },
        CheckInRefusal::NegativeCount {
            part: "Oplaadkabel".into(),
        },
        CheckInRefusal::OverCount {
            part: "Oplaadkabel".into(),
            expected: 2,
        },
    ]
}

const NAMES: Names<'static> = Names {
    unit: "BB-K-01 (Bee-Bot set)",
    reserved_kit: "Ozobot klasset",
    borrower: "Els Peeters, Basisschool De Linde",
    other_borrower: "Jan Claes, Sint-Jozef",
};

fn all_texts(lang: Lang) -> Vec<(&'static str, String, String)> {
    let out = all_check_out_refusals()
        .into_iter()
        .map(|r| r.texts(lang, &NAMES));
    let ins = all_check_in_refusals()
        .into_iter()
        .map(|r| r.texts(lang, &NAMES));
    out.chain(ins).collect()
}

#[test]
fn every_refusal_has_a_distinct_kind_and_a_text_in_each_language() {
    let nl = all_texts(Lang::Nl);
    let en = all_texts(Lang::En);
    let kinds: BTreeSet<&str> = nl.iter().map(|t| t.0).collect();
    assert_eq!(kinds.len(), nl.len(), "kinds must be distinct");
    for ((kind_nl, title_nl, detail_nl), (kind_en, title_en, detail_en)) in nl.iter().zip(&en) {
        assert_eq!(kind_nl, kind_en);
        assert!(!title_nl.is_empty() && !detail_nl.is_empty(), "{kind_nl}");
        assert!(!title_en.is_empty() && !detail_en.is_empty(), "{kind_en}");
        assert_ne!(title_nl, title_en, "{kind_nl}");
        assert_ne!(detail_nl, detail_en, "{kind_nl}");
    }
}

#[test]
fn details_name_kits_units_and_people_never_ids() {
    for (kind, _, detail) in all_texts(Lang::Nl).into_iter().chain(all_texts(Lang::En)) {
        for id in ["31", "42", "materiaal 7", "material 8"] {
            assert!(!detail.contains(id), "{kind}: {detail}");
        }
    }
    let detail = |r: CheckOutRefusal, lang| r.texts(lang, &NAMES).2;
    let another = CheckOutRefusal::OnAnotherLoan {
        unit: UnitId(31),
        reservation: ReservationId(42),
    };
    for lang in [Lang::Nl, Lang::En] {
        let d = detail(another, lang);
        assert!(
            d.contains("BB-K-01 (Bee-Bot set)") && d.contains("Jan Claes"),
            "{d}"
        );
    }
    let early = CheckOutRefusal::TooEarly {
        pickup_date: pickup(),
    };
    assert!(detail(early, Lang::Nl).contains("1 december 2026"));
    assert!(detail(early, Lang::En).contains("1 December 2026"));
    let closed = CheckOutRefusal::Closed {
        status: ReservationStatus::NoShow,
    };
    assert!(detail(closed, Lang::Nl).contains("Niet afgehaald"));
    let wrong = CheckOutRefusal::WrongKitType {
        unit: UnitId(31),
        expected: KitTypeId(7),
        actual: KitTypeId(8),
    };
    assert_eq!(
        wrong.texts(Lang::Nl, &NAMES).1,
        "Dit exemplaar hoort bij ander materiaal"
    );
    assert_eq!(
        wrong.texts(Lang::En, &NAMES).1,
        "This unit belongs to other material"
    );
    for lang in [Lang::Nl, Lang::En] {
        let d = detail(wrong, lang);
        assert!(
            d.contains("BB-K-01 (Bee-Bot set)") && d.contains("Ozobot klasset"),
            "{d}"
        );
    }
    let not_on = CheckInRefusal::NotOnLoan {
        unit: UnitId(31),
        reservation: ReservationId(42),
    };
    let (_, _, d) = not_on.texts(Lang::Nl, &NAMES);
    assert!(
        d.contains("BB-K-01 (Bee-Bot set)") && d.contains("Els Peeters"),
        "{d}"
    );
    let over = CheckInRefusal::OverCount {
        part: "Oplaadkabel".into(),
        expected: 2,
    };
    let (_, _, d) = over.texts(Lang::Nl, &NAMES);
    assert!(d.contains("Oplaadkabel") && d.contains('2'), "{d}");
    let one = CheckOutRefusal::AllHandedOver { quantity: 1 };
    assert!(detail(one, Lang::Nl).contains("1 exemplaar "));
}

#[test]
fn a_reservation_picked_up_in_part_stays_to_hand_over_until_its_return_day() {
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    let (confirmed, picked) = (ReservationStatus::Confirmed, ReservationStatus::PickedUp);
    assert_eq!(desk_lists(confirmed, 0, 2, day(8), day(2)), (true, None));
    assert_eq!(desk_lists(picked, 1, 2, day(8), day(2)), (true, None));
    assert_eq!(desk_lists(picked, 2, 2, day(8), day(2)), (false, None));
    assert_eq!(
        desk_lists(picked, 1, 2, day(8), day(8)),
        (true, Some(Due::Today))
    );
    assert_eq!(
        desk_lists(picked, 2, 2, day(8), day(8)),
        (false, Some(Due::Today))
    );
    assert_eq!(
        desk_lists(picked, 1, 2, day(8), day(9)),
        (false, Some(Due::Overdue))
    );
    assert_eq!(
        desk_lists(ReservationStatus::Returned, 1, 2, day(8), day(2)),
        (false, None)
    );
}

// --- property: random desk sessions ----------------------------------------------------

const UNITS: i64 = 6;
const RESERVATIONS: usize = 4;
const PARTS_EXPECTED: u32 = 2;

/// One scan at the desk. Units and days are chosen relative to the reservation so that
/// most scans are plausible: a unit of its kit type (or, for a check-in, one of its
/// lines), a day around its loan period.
#[derive(Debug, Clone)]
enum Op {
    Out {
        res: usize,
        /// Which of the three units of the reservation's kit type.
        pick: i64,
        /// Scan a unit of the other kit type instead.
        other_kit: bool,
        /// Days after the pickup day.
        day: i64,
    },
    In {
        res: usize,
        /// Which of the reservation's lines (or which unit, for a stranger).
        pick: usize,
        /// Scan any unit rather than one of the reservation's lines.
        stranger: bool,
        day: i64,
        counted: i64,
        damage: bool,
    },
    /// Maintenance done: the unit goes back in service (unless retired).
    Repair { unit: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    let res = 0..RESERVATIONS;
    let rare = || proptest::bool::weighted(0.1);
    prop_oneof![
        8 => (res.clone(), 0..UNITS / 2, rare(), -1i64..6)
            .prop_map(|(res, pick, other_kit, day)| Op::Out { res, pick, other_kit, day }),
        3 => (res, 0..UNITS as usize, rare(), 0i64..10, counted(), rare())
            .prop_map(|(res, pick, stranger, day, counted, damage)| Op::In { res, pick, stranger, day, counted, damage }),
        1 => (0..UNITS).prop_map(|unit| Op::Repair { unit }),
    ]
}

/// Mostly the full count, sometimes short, sometimes impossible.
fn counted() -> impl Strategy<Value = i64> {
    prop_oneof![
        6 => Just(i64::from(PARTS_EXPECTED)),
        2 => -1i64..=i64::from(PARTS_EXPECTED) + 1,
    ]
}

fn status() -> impl Strategy<Value = ReservationStatus> {
    use ReservationStatus as S;
    prop_oneof![
        16 => Just(S::Confirmed),
        1 => Just(S::Requested),
        1 => Just(S::Offered),
        1 => Just(S::Cancelled),
    ]
}

fn unit_status() -> impl Strategy<Value = UnitStatus> {
    prop_oneof![
        8 => Just(UnitStatus::InService),
        1 => Just(UnitStatus::Maintenance),
        1 => Just(UnitStatus::Retired),
    ]
}

/// A reservation: kit type 0 or 1, quantity, status, pickup offset and length in days.
fn reservation() -> impl Strategy<Value = (i64, u32, ReservationStatus, i64, i64)> {
    (
        0i64..2,
        prop_oneof![1 => Just(0u32), 8 => 1u32..5],
        status(),
        0i64..4,
        0i64..5,
    )
}

/// The desk's world as the database would hold it after applying accepted scans.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Model {
    loans: Vec<LoanView>,
    units: Vec<UnitView>,
}

impl Model {
    fn new(
        base: NaiveDate,
        reservations: &[(i64, u32, ReservationStatus, i64, i64)],
        statuses: &[UnitStatus],
    ) -> Model {
        let loans = reservations
            .iter()
            .enumerate()
            .map(|(i, &(kit, quantity, status, start, len))| LoanView {
                id: ReservationId(i as i64 + 1),
                kit_type: KitTypeId(kit),
                status,
                quantity,
                pickup_date: base + Duration::days(start),
                return_date: base + Duration::days(start + len),
                lines: Vec::new(),
            })
            .collect();
        let units = (0..UNITS)
            .map(|u| UnitView {
                id: UnitId(u),
                kit_type: KitTypeId(u % 2),
                status: statuses[u as usize],
                open_loan: None,
            })
            .collect();
        Model { loans, units }
    }

    /// Open lines of `unit` over all reservations, counted from the lines themselves (not
    /// from the units' `open_loan`, which the model keeps for the rules to read).
    fn open_lines_of(&self, unit: UnitId) -> usize {
        self.loans
            .iter()
            .flat_map(|l| &l.lines)
            .filter(|l| l.unit == unit && !l.returned)
            .count()
    }

    fn check_invariants(&self) -> Result<(), TestCaseError> {
        for u in &self.units {
            prop_assert!(
                self.open_lines_of(u.id) <= 1,
                "unit {} on two open loans: {:?}",
                u.id,
                self.loans
            );
        }
        for l in &self.loans {
            prop_assert!(
                l.lines.len() as u32 <= l.quantity,
                "reservation {} has {} lines for {} booked",
                l.id,
                l.lines.len(),
                l.quantity
            );
            if l.status == ReservationStatus::Returned {
                prop_assert!(!l.any_open(), "returned with units out: {:?}", l);
            }
            if l.any_open() {
                prop_assert_eq!(l.status, ReservationStatus::PickedUp);
            }
        }
        Ok(())
    }
}

fn scan_out(m: &mut Model, res: usize, unit: i64, today: NaiveDate) -> Result<(), TestCaseError> {
    let u = unit as usize;
    let got = check_out(&m.loans[res], &m.units[u], today);
    let id = m.loans[res].id;
    match got {
        Ok(CheckOut::HandedOver {
            remaining,
            status_after,
        }) => {
            let loan = &mut m.loans[res];
            loan.lines.push(Line {
                unit: UnitId(unit),
                returned: false,
            });
            loan.status = status_after;
            prop_assert_eq!(
                remaining as usize + loan.lines.len(),
                loan.quantity as usize
            );
            m.units[u].open_loan = Some(id);
            // Scanning it again at once changes nothing.
            let again = check_out(&m.loans[res], &m.units[u], today);
            prop_assert_eq!(again, Ok(CheckOut::AlreadyHandedOver));
        }
        Ok(CheckOut::AlreadyHandedOver) => {
            prop_assert!(m.loans[res].has_open_line(UnitId(unit)));
            prop_assert_eq!(m.units[u].open_loan, Some(id));
        }
        Err(CheckOutRefusal::OnAnotherLoan { reservation, .. }) => {
            prop_assert_ne!(reservation, id);
            let other = m.loans.iter().find(|l| l.id == reservation).unwrap();
            prop_assert!(other.has_open_line(UnitId(unit)));
        }
        Err(CheckOutRefusal::AllHandedOver { quantity }) => {
            prop_assert!(m.loans[res].lines.len() as u32 >= quantity);
        }
        Err(_) => {}
    }
    Ok(())
}

fn scan_in(
    m: &mut Model,
    res: usize,
    unit: i64,
    today: NaiveDate,
    counted: i64,
    damage: bool,
) -> Result<(), TestCaseError> {
    let u = unit as usize;
    let parts = [part("Stuk", PARTS_EXPECTED, counted)];
    let note = if damage { "kras" } else { "" };
    let got = check_in(&m.loans[res], UnitId(unit), &parts, note, today);
    match got {
        Ok(CheckInOutcome::Returned(c)) => {
            prop_assert!((0..=i64::from(PARTS_EXPECTED)).contains(&counted));
            prop_assert_eq!(
                c.to_maintenance,
                damage || counted < i64::from(PARTS_EXPECTED)
            );
            let loan = &mut m.loans[res];
            let line = loan
                .lines
                .iter_mut()
                .find(|l| l.unit == UnitId(unit) && !l.returned);
            prop_assert!(line.is_some(), "returned a unit that was not out");
            line.unwrap().returned = true;
            loan.status = c.status_after;
            prop_assert_eq!(c.loan_complete, !loan.any_open());
            m.units[u].open_loan = None;
            if c.to_maintenance {
                m.units[u].status = UnitStatus::Maintenance;
            }
            let again = check_in(&m.loans[res], UnitId(unit), &parts, note, today);
            prop_assert_eq!(again, Ok(CheckInOutcome::AlreadyReturned));
        }
        Ok(CheckInOutcome::AlreadyReturned) => {
            let loan = &m.loans[res];
            prop_assert!(!loan.has_open_line(UnitId(unit)));
            prop_assert!(loan.lines.iter().any(|l| l.unit == UnitId(unit)));
        }
        Err(CheckInRefusal::NotOnLoan { .. }) => {
            prop_assert!(!m.loans[res].lines.iter().any(|l| l.unit == UnitId(unit)));
        }
        Err(_) => prop_assert!(!(0..=i64::from(PARTS_EXPECTED)).contains(&counted)),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn desk_sessions_keep_units_and_counts_consistent(
        reservations in proptest::collection::vec(reservation(), RESERVATIONS),
        statuses in proptest::collection::vec(unit_status(), UNITS as usize),
        ops in proptest::collection::vec(op(), 1..80),
    ) {
        let base = date(2026, 12, 1);
        let mut m = Model::new(base, &reservations, &statuses);
        for op in ops {
            match op {
                Op::Out { res, pick, other_kit, day } => {
                    let kit = m.loans[res].kit_type.0 ^ i64::from(other_kit);
                    let today = m.loans[res].pickup_date + Duration::days(day);
                    scan_out(&mut m, res, pick * 2 + kit, today)?
                }
                Op::In { res, pick, stranger, day, counted, damage } => {
                    let lines = &m.loans[res].lines;
                    let unit = if stranger {
                        pick as i64 % UNITS
                    } else if lines.is_empty() {
                        continue;
                    } else {
                        lines[pick % lines.len()].unit.0
                    };
                    let today = m.loans[res].pickup_date + Duration::days(day);
                    scan_in(&mut m, res, unit, today, counted, damage)?
                }
                Op::Repair { unit } => {
                    let u = &mut m.units[unit as usize];
                    if u.status == UnitStatus::Maintenance {
                        u.status = UnitStatus::InService;
                    }
                }
            }
            m.check_invariants()?;
        }
    }

    #[test]
    fn a_unit_out_on_another_reservation_is_always_refused(
        quantity in 1u32..4,
        other in 1i64..1000,
        day in 0i64..12,
    ) {
        let r = loan(quantity, &[]);
        prop_assume!(ReservationId(other) != r.id);
        let busy = UnitView { open_loan: Some(ReservationId(other)), ..unit(1) };
        let got = check_out(&r, &busy, pickup() + Duration::days(day));
        prop_assert_eq!(got, Err(CheckOutRefusal::OnAnotherLoan { unit: UnitId(1), reservation: ReservationId(other) }));
    }
}

#[test]
fn a_return_note_says_what_came_back_short() {
    use super::return_note;
    let parts = r#"[["Bee-Bot robot",6,5],["Mat",1,1]]"#;
    let note = return_note("BB-K-01".into(), parts, "  ".into()).expect("a part is missing");
    assert_eq!(note.missing.len(), 1);
    assert_eq!((note.missing[0].expected, note.missing[0].counted), (6, 5));
    assert_eq!(note.damage, "");
    assert_eq!(
        return_note("BB-K-01".into(), r#"[["Mat",1,1]]"#, String::new()),
        None,
        "whole and undamaged: nothing to say"
    );
    let damaged = return_note("BB-K-01".into(), "not json", "wiel los".into()).unwrap();
    assert!(damaged.missing.is_empty());
    assert_eq!(damaged.damage, "wiel los");
}
