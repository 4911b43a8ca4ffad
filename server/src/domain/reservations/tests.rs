use super::*;
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn rules() -> LoanRules {
    LoanRules {
        lead_days: 2,
        horizon_days: 180,
        min_loan_days: 1,
        max_loan_days: 21,
        buffer_days: 1,
        max_per_school: 1,
        needs_approval: false,
    }
}

fn situation<'a>(
    calendar: &'a OpenCalendar,
    holds: &'a [Hold],
    in_service: u32,
) -> KitSituation<'a> {
    KitSituation {
        today: date(2026, 11, 27), // a Friday
        rules: rules(),
        calendar,
        in_service,
        owned: in_service,
        holds,
    }
}

fn request(pickup: NaiveDate, return_date: NaiveDate, quantity: u32) -> Request {
    Request {
        school: SchoolId(1),
        pickup,
        return_date,
        quantity,
    }
}

#[test]
fn buffer_counts_open_days_of_the_pickup_point() {
    let calendar = OpenCalendar::new(OpenCalendar::WORKDAYS, &[]);
    // Returned on Friday 4 December: one open day of buffer is Monday 7 December.
    assert_eq!(calendar.held_until(date(2026, 12, 4), 1), date(2026, 12, 7));
    assert_eq!(calendar.held_until(date(2026, 12, 4), 0), date(2026, 12, 4));
    assert_eq!(calendar.held_until(date(2026, 12, 2), 2), date(2026, 12, 4));
}

#[test]
fn lead_time_is_counted_in_open_days() {
    let calendar = OpenCalendar::new(OpenCalendar::WORKDAYS, &[]);
    let s = situation(&calendar, &[], 2);
    // Friday + 2 open days = Tuesday 1 December.
    assert_eq!(earliest_pickup(&s), date(2026, 12, 1));
    let errors = validate(&s, &request(date(2026, 11, 30), date(2026, 12, 4), 1));
    assert_eq!(
        errors,
        vec![(
            Field::PickupDate,
            Invalid::TooSoon {
                earliest: date(2026, 12, 1)
            }
        )]
    );
    assert!(validate(&s, &request(date(2026, 12, 1), date(2026, 12, 4), 1)).is_empty());
}

#[test]
fn every_bad_field_is_reported() {
    let closed = [ClosedPeriod {
        first: date(2026, 12, 21),
        last: date(2027, 1, 3),
        reason: "Kerstvakantie".into(),
    }];
    let calendar = OpenCalendar::new(OpenCalendar::WORKDAYS, &closed);
    let s = situation(&calendar, &[], 2);
    let errors = validate(&s, &request(date(2026, 12, 22), date(2026, 12, 21), 0));
    assert_eq!(
        errors,
        vec![
            (Field::Quantity, Invalid::QuantityZero),
            (
                Field::PickupDate,
                Invalid::Closed {
                    reason: Some("Kerstvakantie".into())
                }
            ),
            (Field::ReturnDate, Invalid::ReturnBeforePickup),
        ]
    );
    let errors = validate(&s, &request(date(2026, 11, 20), date(2027, 6, 1), 3));
    assert_eq!(
        errors,
        vec![
            (Field::Quantity, Invalid::QuantityAboveOwned { owned: 2 }),
            (Field::PickupDate, Invalid::InThePast),
            (Field::ReturnDate, Invalid::TooLong { max: 21 }),
        ]
    );
    let errors = validate(&s, &request(date(2027, 6, 1), date(2027, 6, 2), 1));
    assert_eq!(
        errors,
        vec![(
            Field::PickupDate,
            Invalid::BeyondHorizon {
                latest: date(2027, 5, 26)
            }
        )]
    );
    // Saturday return.
    let errors = validate(&s, &request(date(2026, 12, 1), date(2026, 12, 5), 1));
    assert_eq!(
        errors,
        vec![(Field::ReturnDate, Invalid::Closed { reason: None })]
    );
}

#[test]
fn the_last_unit_goes_once_and_alternatives_follow_the_buffer() {
    let calendar = OpenCalendar::new(OpenCalendar::WORKDAYS, &[]);
    let holds = [Hold {
        id: 1,
        school: SchoolId(9),
        first: date(2026, 12, 1),
        last: date(2026, 12, 7), // returned Fri 4th, buffer to Mon 7th
        quantity: 1,
    }];
    let s = situation(&calendar, &holds, 1);
    let refused = decide_with_alternatives(&s, &request(date(2026, 12, 3), date(2026, 12, 4), 1))
        .unwrap_err();
    let Refusal::NotEnoughUnits {
        day,
        free,
        alternatives,
    } = refused
    else {
        panic!("expected not enough units, got {refused:?}")
    };
    assert_eq!((day, free), (date(2026, 12, 3), 0));
    // The nearest two-day loans on open days that avoid 1–7 December.
    assert_eq!(alternatives[0], (date(2026, 12, 8), date(2026, 12, 9)));
    assert!(alternatives.iter().all(|(p, _)| *p >= date(2026, 12, 8)));
    let accepted = decide(&s, &request(date(2026, 12, 8), date(2026, 12, 9), 1)).unwrap();
    assert_eq!(accepted.held_until, date(2026, 12, 10));
    assert_eq!(accepted.status, ReservationStatus::Confirmed);
}

#[test]
fn a_school_limit_counts_overlapping_reservations_only() {
    let calendar = OpenCalendar::always_open();
    let holds = [Hold {
        id: 1,
        school: SchoolId(1),
        first: date(2026, 12, 1),
        last: date(2026, 12, 5),
        quantity: 1,
    }];
    let s = situation(&calendar, &holds, 5);
    assert_eq!(
        decide(&s, &request(date(2026, 12, 3), date(2026, 12, 8), 1)),
        Err(Refusal::SchoolLimit { max: 1 })
    );
    assert!(decide(&s, &request(date(2026, 12, 6), date(2026, 12, 8), 1)).is_ok());
}

#[test]
fn approval_makes_a_request() {
    let calendar = OpenCalendar::always_open();
    let mut s = situation(&calendar, &[], 1);
    s.rules.needs_approval = true;
    let accepted = decide(&s, &request(date(2026, 12, 3), date(2026, 12, 4), 1)).unwrap();
    assert_eq!(accepted.status, ReservationStatus::Requested);
}

#[test]
fn an_extension_needs_only_the_new_days_free() {
    let calendar = OpenCalendar::always_open();
    let mine = Hold {
        id: 1,
        school: SchoolId(1),
        first: date(2026, 12, 1),
        last: date(2026, 12, 5),
        quantity: 1,
    };
    let other = Hold {
        id: 2,
        school: SchoolId(2),
        first: date(2026, 12, 9),
        last: date(2026, 12, 12),
        quantity: 1,
    };
    let holds = [mine, other];
    let s = situation(&calendar, &holds, 1);
    // Return the 7th instead of the 4th: held until the 8th, free.
    assert_eq!(
        decide_extension(&s, &mine, date(2026, 12, 1), date(2026, 12, 7)),
        Ok(date(2026, 12, 8))
    );
    // Return the 9th: the other loan starts then.
    assert!(matches!(
        decide_extension(&s, &mine, date(2026, 12, 1), date(2026, 12, 9)),
        Err(Refusal::NotEnoughUnits { day, .. }) if day == date(2026, 12, 9)
    ));
}

#[test]
fn units_leaving_service_put_the_youngest_reservations_at_risk() {
    let h = |id, first, last| Hold {
        id,
        school: SchoolId(id),
        first,
        last,
        quantity: 1,
    };
    let holds = [
        h(1, date(2026, 12, 1), date(2026, 12, 5)),
        h(2, date(2026, 12, 3), date(2026, 12, 8)),
        h(3, date(2026, 12, 10), date(2026, 12, 12)),
    ];
    assert_eq!(at_risk(&holds, 2, date(2026, 11, 27)), Vec::<i64>::new());
    assert_eq!(at_risk(&holds, 1, date(2026, 11, 27)), vec![2]);
    assert_eq!(at_risk(&holds, 0, date(2026, 11, 27)), vec![1, 2, 3]);
}

#[test]
fn the_life_cycle() {
    use ReservationStatus as S;
    let today = date(2026, 11, 27);
    let later = date(2026, 12, 3);
    assert_eq!(
        transition(S::Requested, Event::Approve, today, later),
        Ok(S::Confirmed)
    );
    assert_eq!(
        transition(S::Requested, Event::Reject, today, later),
        Ok(S::Rejected)
    );
    assert_eq!(
        transition(S::Confirmed, Event::CancelByBorrower, today, later),
        Ok(S::Cancelled)
    );
    assert_eq!(
        transition(S::Confirmed, Event::CancelByBorrower, later, later),
        Err(TransitionError::TooLateToCancel)
    );
    assert_eq!(
        transition(S::Confirmed, Event::CancelByStaff, later, later),
        Ok(S::Cancelled)
    );
    assert_eq!(
        transition(S::Confirmed, Event::PickUp, later, later),
        Ok(S::PickedUp)
    );
    assert_eq!(
        transition(S::PickedUp, Event::Return, later, later),
        Ok(S::Returned)
    );
    assert_eq!(
        transition(S::Confirmed, Event::NoShow, later, later),
        Err(TransitionError::NotNow(S::Confirmed))
    );
    assert_eq!(
        transition(S::Confirmed, Event::NoShow, date(2026, 12, 4), later),
        Ok(S::NoShow)
    );
    assert_eq!(
        transition(S::Cancelled, Event::Approve, today, later),
        Err(TransitionError::NotNow(S::Cancelled))
    );
    assert_eq!(
        transition(S::Confirmed, Event::Approve, today, later),
        Err(TransitionError::NotNow(S::Confirmed))
    );
}

#[test]
fn offers_follow_the_waiting_order_and_the_units() {
    let calendar = OpenCalendar::always_open();
    let holds = [Hold {
        id: 1,
        school: SchoolId(9),
        first: date(2026, 12, 1),
        last: date(2026, 12, 20),
        quantity: 1,
    }];
    let s = situation(&calendar, &holds, 2);
    let w = |id, school, pickup, ret| Waiting {
        id,
        request: Request {
            school: SchoolId(school),
            pickup,
            return_date: ret,
            quantity: 1,
        },
    };
    let waiting = [
        w(12, 2, date(2026, 12, 10), date(2026, 12, 12)),
        w(11, 1, date(2026, 12, 9), date(2026, 12, 11)),
        w(13, 3, date(2026, 12, 2), date(2026, 12, 4)),
        w(10, 4, date(2026, 11, 28), date(2026, 11, 30)),
    ];
    let result = offers(&s, &waiting);
    // 10 is too soon now (lead time 2 open days); 11 came before 12 and takes the free
    // unit on the overlapping days; 13 fits beside it.
    assert_eq!(result.lapsed, vec![10]);
    let ids: Vec<i64> = result.offered.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, vec![11, 13]);
    assert!(result
        .offered
        .iter()
        .all(|(_, a)| a.status == ReservationStatus::Offered));
}

#[test]
fn offers_can_be_accepted_or_lapse() {
    use ReservationStatus as S;
    let today = date(2026, 11, 27);
    let later = date(2026, 12, 3);
    assert_eq!(
        transition(
            S::Offered,
            Event::Accept {
                needs_approval: false
            },
            today,
            later
        ),
        Ok(S::Confirmed)
    );
    assert_eq!(
        transition(
            S::Offered,
            Event::Accept {
                needs_approval: true
            },
            today,
            later
        ),
        Ok(S::Requested)
    );
    assert_eq!(
        transition(S::Offered, Event::Lapse, today, later),
        Ok(S::Cancelled)
    );
    assert_eq!(
        transition(
            S::Confirmed,
            Event::Accept {
                needs_approval: false
            },
            today,
            later
        ),
        Err(TransitionError::NotNow(S::Confirmed))
    );
}

#[test]
fn belgian_public_holidays() {
    assert_eq!(easter_sunday(2026), date(2026, 4, 5));
    assert_eq!(easter_sunday(2027), date(2027, 3, 28));
    assert_eq!(easter_sunday(2000), date(2000, 4, 23));
    let h = public_holidays(2027);
    assert!(h.contains(&(date(2027, 3, 29), "Paasmaandag")));
    assert!(h.contains(&(date(2027, 5, 6), "O.-L.-H.-Hemelvaart")));
    assert!(h.contains(&(date(2027, 5, 17), "Pinkstermaandag")));
    assert_eq!(h.len(), 10);
}

#[test]
fn weekday_lists() {
    assert_eq!(
        parse_weekdays("ma,di,wo,do,vr"),
        Some(OpenCalendar::WORKDAYS)
    );
    assert_eq!(parse_weekdays("wo"), Some(0b100));
    assert_eq!(parse_weekdays("maandag"), None);
}

// ---- Property tests: never overbook, never refuse what fits. ----

/// One step of a random history.
#[derive(Debug, Clone)]
enum Op {
    Reserve {
        school: i64,
        start: i64,
        len: i64,
        quantity: u32,
    },
    Cancel(usize),
    Extend(usize, i64),
    UnitToMaintenance,
    UnitRetired,
    UnitBack,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0i64..3, 0i64..20, 1i64..6, 1u32..4).prop_map(|(school, start, len, quantity)| Op::Reserve { school, start, len, quantity }),
        2 => (0usize..50).prop_map(Op::Cancel),
        2 => (0usize..50, 1i64..5).prop_map(|(i, by)| Op::Extend(i, by)),
        1 => Just(Op::UnitToMaintenance),
        1 => Just(Op::UnitRetired),
        1 => Just(Op::UnitBack),
    ]
}

/// The oracle: count every day by brute force.
fn oracle_fits(
    holds: &[Hold],
    in_service: u32,
    first: NaiveDate,
    last: NaiveDate,
    quantity: u32,
    ignore: Option<i64>,
) -> bool {
    let mut d = first;
    while d <= last {
        let held: u32 = holds
            .iter()
            .filter(|h| Some(h.id) != ignore && h.first <= d && d <= h.last)
            .map(|h| h.quantity)
            .sum();
        if held + quantity > in_service {
            return false;
        }
        d += Duration::days(1);
    }
    true
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn reservations_match_the_brute_force_oracle(
        units in 1u32..5,
        buffer in 0u32..3,
        max_per_school in 1u32..4,
        ops in proptest::collection::vec(op(), 1..40),
    ) {
        let calendar = OpenCalendar::always_open();
        let today = date(2026, 11, 27);
        let mut in_service = units;
        let mut owned = units;
        let mut holds: Vec<Hold> = Vec::new();
        let mut next_id = 1;
        let rules = LoanRules { lead_days: 0, horizon_days: 365, min_loan_days: 1, max_loan_days: 30, buffer_days: buffer, max_per_school, needs_approval: false };
        for op in ops {
            let s = KitSituation { today, rules, calendar: &calendar, in_service, owned, holds: &holds };
            match op {
                Op::Reserve { school, start, len, quantity } => {
                    let pickup = today + Duration::days(start);
                    let return_date = pickup + Duration::days(len - 1);
                    let r = Request { school: SchoolId(school), pickup, return_date, quantity };
                    let last = return_date + Duration::days(i64::from(buffer));
                    let school_count = holds.iter().filter(|h| h.school.0 == school && h.first <= last && h.last >= pickup).count() as u32;
                    let expected = quantity <= owned
                        && school_count < max_per_school
                        && oracle_fits(&holds, in_service, pickup, last, quantity, None);
                    let got = decide_with_alternatives(&s, &r);
                    prop_assert_eq!(got.is_ok(), expected, "decision {:?} for {:?} with {:?}", got, r, holds);
                    if let Ok(a) = got {
                        prop_assert_eq!(a.held_until, last);
                        holds.push(Hold { id: next_id, school: SchoolId(school), first: pickup, last, quantity });
                        next_id += 1;
                    } else if let Err(Refusal::NotEnoughUnits { alternatives, .. }) = got {
                        for (p, ret) in alternatives {
                            let alt_last = ret + Duration::days(i64::from(buffer));
                            prop_assert!(oracle_fits(&holds, in_service, p, alt_last, quantity, None));
                        }
                    }
                }
                Op::Cancel(i) => {
                    if !holds.is_empty() {
                        holds.remove(i % holds.len());
                    }
                }
                Op::Extend(i, by) => {
                    if !holds.is_empty() {
                        let h = holds[i % holds.len()];
                        let old_return = h.last - Duration::days(i64::from(buffer));
                        let new_return = old_return + Duration::days(by);
                        let last = new_return + Duration::days(i64::from(buffer));
                        let too_long = (new_return - h.first).num_days() + 1 > 30;
                        let expected = !too_long && oracle_fits(&holds, in_service, h.first, last, h.quantity, Some(h.id));
                        let got = decide_extension(&s, &h, h.first, new_return);
                        prop_assert_eq!(got.is_ok(), expected, "extension {:?} of {:?}", got, h);
                        if got.is_ok() {
                            let idx = i % holds.len();
                            holds[idx].last = last;
                        }
                    }
                }
                Op::UnitToMaintenance => in_service = in_service.saturating_sub(1),
                Op::UnitRetired => {
                    if owned > 0 {
                        owned -= 1;
                        in_service = in_service.min(owned);
                    }
                }
                Op::UnitBack => in_service = (in_service + 1).min(owned),
            }
            // Never overbooked, except where units left service: exactly those flagged.
            let risky = at_risk(&holds, in_service, today);
            let kept: Vec<Hold> = holds.iter().filter(|h| !risky.contains(&h.id)).copied().collect();
            let mut d = today;
            while d <= today + Duration::days(60) {
                let held: u32 = kept.iter().filter(|h| h.first <= d && d <= h.last).map(|h| h.quantity).sum();
                prop_assert!(held <= in_service, "day {} holds {} of {}", d, held, in_service);
                d += Duration::days(1);
            }
            if risky.is_empty() {
                let s = KitSituation { today, rules, calendar: &calendar, in_service, owned, holds: &holds };
                let free = free_per_day(&s, today, today + Duration::days(60));
                prop_assert!(free.iter().all(|f| *f <= in_service));
            }
        }
    }

    #[test]
    fn held_per_day_matches_counting(
        holds in proptest::collection::vec((0i64..30, 0i64..10, 1u32..4), 0..20),
        from in 0i64..30,
        len in 0i64..30,
    ) {
        let base = date(2026, 1, 1);
        let holds: Vec<Hold> = holds.into_iter().enumerate().map(|(i, (s, l, q))| Hold {
            id: i as i64, school: SchoolId(0), first: base + Duration::days(s), last: base + Duration::days(s + l), quantity: q,
        }).collect();
        let first = base + Duration::days(from);
        let last = first + Duration::days(len);
        let fast = held_per_day(&holds, first, last);
        for (i, held) in fast.iter().enumerate() {
            let d = first + Duration::days(i as i64);
            let slow: u32 = holds.iter().filter(|h| h.first <= d && d <= h.last).map(|h| h.quantity).sum();
            prop_assert_eq!(*held, slow);
        }
    }
}
