use super::*;
use crate::domain::reservations::{Field, Invalid, OpenCalendar};
use chrono::{Duration, NaiveDate};
use leenpunt_shared::{LoanRules, ReservationStatus, SchoolId, TrainingTypeId};
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    date(2026, 11, 27)
}

fn rules(max_per_school: u32, buffer_days: u32) -> LoanRules {
    LoanRules {
        lead_days: 0,
        horizon_days: 365,
        min_loan_days: 1,
        max_loan_days: 30,
        buffer_days,
        max_per_school,
        needs_approval: false,
    }
}

fn situation<'a>(calendar: &'a OpenCalendar, holds: &'a [Hold], units: u32) -> KitSituation<'a> {
    KitSituation {
        today: today(),
        rules: rules(5, 0),
        calendar,
        in_service: units,
        owned: units,
        holds,
    }
}

fn line<'a>(
    kit: i64,
    point: i64,
    s: KitSituation<'a>,
    start: i64,
    len: i64,
    quantity: u32,
) -> Line<'a> {
    let pickup = today() + Duration::days(start);
    Line {
        kit,
        point,
        situation: s,
        request: Request {
            school: SchoolId(1),
            pickup,
            return_date: pickup + Duration::days(len - 1),
            quantity,
        },
        training: Gate::Qualified,
    }
}

#[test]
fn a_cart_of_one_line_decides_like_a_single_booking() {
    let calendar = OpenCalendar::always_open();
    let holds = [Hold {
        id: 1,
        school: SchoolId(2),
        first: today() + Duration::days(3),
        last: today() + Duration::days(6),
        quantity: 2,
    }];
    for (start, quantity) in [(1, 1), (3, 1), (7, 2), (4, 3), (-1, 1)] {
        let l = line(1, 1, situation(&calendar, &holds, 2), start, 2, quantity);
        let single =
            crate::domain::reservations::decide_with_alternatives(&l.situation, &l.request);
        let verdict = check(std::slice::from_ref(&l)).remove(0);
        // The single booking's own entry (`check_one`) is the same rule.
        assert_eq!(check_one(&l), verdict);
        match single {
            Ok(accepted) => assert_eq!(
                verdict,
                Verdict::Fits {
                    accepted,
                    sessions: vec![]
                }
            ),
            Err(refusal) => assert_eq!(verdict, Verdict::Refused(LineRefusal::Rules(refusal))),
        }
    }
}

#[test]
fn two_lines_of_one_kit_type_count_together() {
    let calendar = OpenCalendar::always_open();
    let s = situation(&calendar, &[], 3);
    let lines = [
        line(7, 1, s.clone(), 2, 3, 2),
        line(7, 2, s.clone(), 3, 3, 2),
    ];
    let verdicts = check(&lines);
    assert!(verdicts[0].fits());
    let Verdict::Refused(LineRefusal::Rules(Refusal::NotEnoughUnits {
        day,
        free,
        alternatives,
    })) = &verdicts[1]
    else {
        panic!("the second line must be short of units: {verdicts:?}")
    };
    assert_eq!((*day, *free), (today() + Duration::days(3), 1));
    // The nearest dates that fit come after the first line's loan.
    assert_eq!(
        alternatives[0].0,
        today() + Duration::days(5),
        "{alternatives:?}"
    );
    // Another kit type with the same dates is not affected.
    let other = [line(7, 1, s.clone(), 2, 3, 2), line(8, 1, s, 3, 3, 2)];
    assert!(check(&other).iter().all(Verdict::fits));
}

#[test]
fn a_missing_training_refuses_its_line_only() {
    let calendar = OpenCalendar::always_open();
    let s = situation(&calendar, &[], 3);
    let missing = Required {
        training: TrainingTypeId(4),
        slug: "creatool".into(),
        title: "Creatool".into(),
    };
    let mut refused = line(2, 1, s.clone(), 2, 3, 1);
    refused.training = Gate::Missing(vec![missing.clone()]);
    let mut conditional = line(3, 1, s.clone(), 2, 3, 1);
    conditional.training = Gate::Conditional { sessions: vec![9] };
    let verdicts = check(&[line(1, 1, s, 2, 3, 1), refused, conditional]);
    assert!(verdicts[0].fits());
    assert_eq!(
        verdicts[1],
        Verdict::Refused(LineRefusal::Training(vec![missing]))
    );
    assert!(
        matches!(&verdicts[2], Verdict::Fits { sessions, .. } if sessions == &vec![9]),
        "{verdicts:?}"
    );
    assert_eq!(
        plan(&verdicts, Mode::AllOrNothing),
        Plan {
            book: vec![],
            wait: vec![],
            refused: vec![0, 1, 2]
        }
    );
    // A missing training cannot wait: partial books the rest and leaves it in the cart.
    assert_eq!(
        plan(&verdicts, Mode::Partial),
        Plan {
            book: vec![0, 2],
            wait: vec![],
            refused: vec![1]
        }
    );
}

#[test]
fn a_closed_day_and_the_school_limit_are_the_single_rules() {
    let calendar = OpenCalendar::new(OpenCalendar::WORKDAYS, &[]);
    let mut s = situation(&calendar, &[], 3);
    s.rules.max_per_school = 1;
    // Saturday 28 November.
    let closed = line(1, 1, s.clone(), 1, 3, 1);
    let verdicts = check(&[closed]);
    assert!(matches!(
        &verdicts[0],
        Verdict::Refused(LineRefusal::Rules(Refusal::Invalid(fields)))
            if fields.iter().any(|(f, why)| *f == Field::PickupDate && matches!(why, Invalid::Closed { .. }))
    ));
    // Two overlapping lines of one kit type for one school with a limit of one.
    let verdicts = check(&[line(1, 1, s.clone(), 4, 2, 1), line(1, 1, s, 5, 2, 1)]);
    assert!(verdicts[0].fits());
    assert_eq!(
        verdicts[1],
        Verdict::Refused(LineRefusal::Rules(Refusal::SchoolLimit { max: 1 }))
    );
}

#[test]
fn partial_books_what_fits_and_wait_lists_units_short() {
    let calendar = OpenCalendar::always_open();
    let s = situation(&calendar, &[], 1);
    let verdicts = check(&[
        line(1, 1, s.clone(), 2, 3, 1),
        line(1, 1, s.clone(), 3, 1, 1),
        line(2, 2, s, 2, 3, 1),
    ]);
    assert_eq!(
        plan(&verdicts, Mode::Partial),
        Plan {
            book: vec![0, 2],
            wait: vec![1],
            refused: vec![]
        }
    );
    assert!(plan(&verdicts, Mode::AllOrNothing).is_empty());
    let status = match &verdicts[0] {
        Verdict::Fits { accepted, .. } => accepted.status,
        other => panic!("{other:?}"),
    };
    assert_eq!(status, ReservationStatus::Confirmed);
}

#[test]
fn lines_become_one_request_per_pickup_point() {
    assert_eq!(
        by_pickup_point(&[5, 3, 5, 9, 3]),
        vec![(5, vec![0, 2]), (3, vec![1, 4]), (9, vec![3])]
    );
    assert!(by_pickup_point(&[]).is_empty());
}

/// A random cart line: kit type (of three), start, length, quantity, school.
fn cart_line() -> impl Strategy<Value = (i64, i64, i64, u32, i64)> {
    (0i64..3, 0i64..15, 1i64..6, 1u32..4, 0i64..2)
}

/// The oracle: count every day by brute force.
fn oracle_fits(holds: &[Hold], in_service: u32, first: NaiveDate, last: NaiveDate, q: u32) -> bool {
    let mut d = first;
    while d <= last {
        let held: u32 = holds
            .iter()
            .filter(|h| h.first <= d && d <= h.last)
            .map(|h| h.quantity)
            .sum();
        if held + q > in_service {
            return false;
        }
        d += Duration::days(1);
    }
    true
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Carts of up to six lines over three kit types with random existing holds: each
    /// verdict is what brute-force counting says (given the lines accepted before it),
    /// no kit type is ever overbooked by what would be booked, and a refused
    /// all-or-nothing cart books nothing.
    #[test]
    fn carts_match_the_brute_force_oracle(
        units in proptest::collection::vec(1u32..4, 3),
        buffer in 0u32..3,
        max_per_school in 1u32..4,
        existing in proptest::collection::vec(cart_line(), 0..8),
        cart in proptest::collection::vec(cart_line(), 1..7),
        partial in any::<bool>(),
    ) {
        let calendar = OpenCalendar::always_open();
        let rules = rules(max_per_school, buffer);
        let to_hold = |(kit, start, len, q, school): (i64, i64, i64, u32, i64), id: i64| {
            let first = today() + Duration::days(start);
            (kit, Hold { id, school: SchoolId(school), first, last: first + Duration::days(len - 1 + i64::from(buffer)), quantity: q })
        };
        // Existing holds, kept only where they fit (as the database would hold them).
        let mut holds: Vec<Vec<Hold>> = vec![Vec::new(); 3];
        for (i, l) in existing.iter().enumerate() {
            let (kit, h) = to_hold(*l, i as i64 + 1);
            if oracle_fits(&holds[kit as usize], units[kit as usize], h.first, h.last, h.quantity) {
                holds[kit as usize].push(h);
            }
        }
        let lines: Vec<Line> = cart.iter().map(|(kit, start, len, q, school)| {
            let pickup = today() + Duration::days(*start);
            Line {
                kit: *kit,
                point: kit % 2,
                situation: KitSituation { today: today(), rules, calendar: &calendar, in_service: units[*kit as usize], owned: units[*kit as usize], holds: &holds[*kit as usize] },
                request: Request { school: SchoolId(*school), pickup, return_date: pickup + Duration::days(len - 1), quantity: *q },
                training: Gate::Qualified,
            }
        }).collect();
        let verdicts = check(&lines);
        prop_assert_eq!(verdicts.len(), lines.len());
        // Replay with the oracle: a line fits exactly when counting says so.
        let mut after: Vec<Vec<Hold>> = holds.clone();
        for (i, (l, v)) in lines.iter().zip(&verdicts).enumerate() {
            let k = l.kit as usize;
            let last = l.request.return_date + Duration::days(i64::from(buffer));
            let school_count = after[k].iter().filter(|h| h.school == l.request.school && h.first <= last && h.last >= l.request.pickup).count() as u32;
            let expected = l.request.quantity <= units[k]
                && school_count < max_per_school
                && oracle_fits(&after[k], units[k], l.request.pickup, last, l.request.quantity);
            prop_assert_eq!(v.fits(), expected, "line {} {:?}: {:?}", i, l.request, v);
            match v {
                Verdict::Fits { accepted, .. } => {
                    prop_assert_eq!(accepted.held_until, last);
                    after[k].push(Hold { id: -(i as i64) - 1, school: l.request.school, first: l.request.pickup, last, quantity: l.request.quantity });
                }
                Verdict::Refused(LineRefusal::Rules(Refusal::NotEnoughUnits { alternatives, .. })) => {
                    for (p, r) in alternatives {
                        prop_assert!(oracle_fits(&after[k], units[k], *p, *r + Duration::days(i64::from(buffer)), l.request.quantity));
                    }
                }
                Verdict::Refused(_) => {}
            }
        }
        // What the plan books never overbooks any kit type on any day.
        let mode = if partial { Mode::Partial } else { Mode::AllOrNothing };
        let p = plan(&verdicts, mode);
        let mut booked: Vec<Vec<Hold>> = holds.clone();
        for &i in &p.book {
            let l = &lines[i];
            let last = l.request.return_date + Duration::days(i64::from(buffer));
            booked[l.kit as usize].push(Hold { id: -1, school: l.request.school, first: l.request.pickup, last, quantity: l.request.quantity });
        }
        for (k, kit_holds) in booked.iter().enumerate() {
            let mut d = today();
            while d <= today() + Duration::days(30) {
                let held: u32 = kit_holds.iter().filter(|h| h.first <= d && d <= h.last).map(|h| h.quantity).sum();
                prop_assert!(held <= units[k], "kit {} day {} holds {} of {}", k, d, held, units[k]);
                d += Duration::days(1);
            }
        }
        // Every line lands in exactly one place.
        let mut all: Vec<usize> = p.book.iter().chain(&p.wait).chain(&p.refused).copied().collect();
        all.sort_unstable();
        prop_assert_eq!(all, (0..lines.len()).collect::<Vec<_>>());
        let all_fit = verdicts.iter().all(Verdict::fits);
        if !partial {
            // All or nothing: a refused cart holds nothing, an accepted one everything.
            prop_assert_eq!(p.book.len(), if all_fit { lines.len() } else { 0 });
            prop_assert!(p.wait.is_empty());
        } else {
            let fitting: Vec<usize> = (0..lines.len()).filter(|i| verdicts[*i].fits()).collect();
            prop_assert_eq!(&p.book, &fitting);
        }
    }
}
