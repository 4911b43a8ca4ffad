use super::*;
use chrono::TimeZone;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn req(id: i64) -> Required {
    Required {
        training: TrainingTypeId(id),
        slug: format!("t{id}"),
        title: format!("Training {id}"),
    }
}

fn held(id: i64, granted: &str, until: Option<&str>) -> Held {
    Held {
        training: TrainingTypeId(id),
        granted_on: d(granted),
        valid_until: until.map(d),
        revoked: false,
    }
}

const TODAY: &str = "2026-11-27";
const PICKUP: &str = "2026-12-10";

fn gate_of(required: &[Required], held: &[Held], registered: &[Registered]) -> Gate {
    gate(required, held, registered, d(TODAY), d(PICKUP))
}

#[test]
fn no_requirement_means_qualified() {
    assert_eq!(gate_of(&[], &[], &[]), Gate::Qualified);
}

#[test]
fn expiry_the_day_before_pickup_refuses() {
    let h = [held(1, "2023-12-10", Some("2026-12-09"))];
    assert_eq!(gate_of(&[req(1)], &h, &[]), Gate::Missing(vec![req(1)]));
}

#[test]
fn expiry_on_the_pickup_day_still_counts() {
    let h = [held(1, "2023-12-11", Some("2026-12-10"))];
    assert_eq!(gate_of(&[req(1)], &h, &[]), Gate::Qualified);
}

#[test]
fn expiry_after_pickup_counts_and_unlimited_counts() {
    assert_eq!(
        gate_of(&[req(1)], &[held(1, "2025-01-01", Some("2026-12-11"))], &[]),
        Gate::Qualified
    );
    assert_eq!(
        gate_of(&[req(1)], &[held(1, "2001-01-01", None)], &[]),
        Gate::Qualified
    );
}

#[test]
fn a_revoked_qualification_does_not_count_but_another_does() {
    let mut revoked = held(1, "2026-01-01", None);
    revoked.revoked = true;
    assert_eq!(
        gate_of(&[req(1)], &[revoked], &[]),
        Gate::Missing(vec![req(1)])
    );
    assert_eq!(
        gate_of(&[req(1)], &[revoked, held(1, "2026-02-01", None)], &[]),
        Gate::Qualified
    );
}

#[test]
fn every_requirement_must_be_held_and_the_refusal_names_the_missing_ones() {
    let h = [held(2, "2026-01-01", None)];
    assert_eq!(
        gate_of(&[req(1), req(2), req(3)], &h, &[]),
        Gate::Missing(vec![req(1), req(3)])
    );
    let all = [held(1, "2026-01-01", None), held(2, "2026-01-01", None)];
    assert_eq!(gate_of(&[req(1), req(2)], &all, &[]), Gate::Qualified);
}

#[test]
fn a_qualification_of_another_training_does_not_count() {
    assert_eq!(
        gate_of(&[req(1)], &[held(9, "2026-01-01", None)], &[]),
        Gate::Missing(vec![req(1)])
    );
}

fn seat(training: i64, session: i64, day: &str) -> Registered {
    Registered {
        training: TrainingTypeId(training),
        session,
        day: d(day),
    }
}

#[test]
fn a_seat_before_pickup_makes_it_conditional() {
    assert_eq!(
        gate_of(&[req(1)], &[], &[seat(1, 7, "2026-12-03")]),
        Gate::Conditional { sessions: vec![7] }
    );
    // The day before pickup is in time; the pickup day itself is not.
    assert_eq!(
        gate_of(&[req(1)], &[], &[seat(1, 7, "2026-12-09")]),
        Gate::Conditional { sessions: vec![7] }
    );
    assert_eq!(
        gate_of(&[req(1)], &[], &[seat(1, 7, "2026-12-10")]),
        Gate::Missing(vec![req(1)])
    );
}

#[test]
fn the_earliest_seat_is_the_condition() {
    let seats = [seat(1, 8, "2026-12-05"), seat(1, 7, "2026-12-02")];
    assert_eq!(
        gate_of(&[req(1)], &[], &seats),
        Gate::Conditional { sessions: vec![7] }
    );
}

#[test]
fn conditional_needs_a_seat_for_every_missing_training() {
    let h = [held(2, "2026-01-01", None)];
    assert_eq!(
        gate_of(&[req(1), req(2)], &h, &[seat(1, 7, "2026-12-01")]),
        Gate::Conditional { sessions: vec![7] }
    );
    assert_eq!(
        gate_of(&[req(1), req(3)], &[], &[seat(1, 7, "2026-12-01")]),
        Gate::Missing(vec![req(1), req(3)])
    );
    assert_eq!(
        gate_of(
            &[req(1), req(3)],
            &[],
            &[seat(3, 9, "2026-12-04"), seat(1, 7, "2026-12-01")]
        ),
        Gate::Conditional {
            sessions: vec![7, 9]
        }
    );
}

#[test]
fn validity_runs_to_the_day_before_the_same_date() {
    assert_eq!(
        valid_until(d("2026-12-03"), Some(36)),
        Some(d("2029-12-02"))
    );
    assert_eq!(valid_until(d("2026-01-31"), Some(1)), Some(d("2026-02-27")));
    assert_eq!(
        valid_until(d("2024-02-29"), Some(12)),
        Some(d("2025-02-27"))
    );
    assert_eq!(valid_until(d("2026-12-03"), None), None);
}

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap()
}

fn seats(taken: u32) -> Seats {
    Seats {
        capacity: 2,
        taken,
        opens: at(8),
        closes: at(12),
        cancelled: false,
    }
}

#[test]
fn registration_window_and_seats() {
    assert_eq!(
        register(&seats(0), at(7), false),
        Err(RegistrationRefusal::NotOpenYet)
    );
    assert_eq!(register(&seats(0), at(8), false), Ok(Placed::Seat));
    assert_eq!(register(&seats(1), at(11), false), Ok(Placed::Seat));
    assert_eq!(register(&seats(2), at(11), false), Ok(Placed::WaitingList));
    assert_eq!(
        register(&seats(0), at(12), false),
        Err(RegistrationRefusal::Closed)
    );
    assert_eq!(
        register(&seats(0), at(9), true),
        Err(RegistrationRefusal::AlreadyRegistered)
    );
    let called_off = Seats {
        cancelled: true,
        ..seats(0)
    };
    assert_eq!(
        register(&called_off, at(9), false),
        Err(RegistrationRefusal::Cancelled)
    );
}

#[test]
fn the_first_waiting_moves_up_when_a_seat_frees() {
    assert_eq!(moves_up(2, 1, &[5, 6]), Some(5));
    assert_eq!(moves_up(2, 2, &[5, 6]), None);
    assert_eq!(moves_up(2, 1, &[]), None);
}

#[test]
fn attendance_only_from_the_start() {
    assert_eq!(
        may_record_attendance(at(10), false, at(9)),
        Err(AttendanceRefusal::NotStarted)
    );
    assert_eq!(may_record_attendance(at(10), false, at(10)), Ok(()));
    assert_eq!(
        may_record_attendance(at(10), true, at(11)),
        Err(AttendanceRefusal::Cancelled)
    );
}

#[test]
fn settling_conditions() {
    let c = |attended, over| Condition { attended, over };
    assert_eq!(settle(&[c(true, true)]), ConditionOutcome::Met);
    assert_eq!(
        settle(&[c(true, false), c(false, false)]),
        ConditionOutcome::Pending
    );
    assert_eq!(
        settle(&[c(true, true), c(false, true)]),
        ConditionOutcome::Failed
    );
}

#[test]
fn training_fields_are_checked() {
    let ok = TrainingInput {
        title: " Bee-Bot ",
        description: "",
        duration_minutes: "150",
        validity_months: "",
    };
    let fields = check_training(&ok, Lang::Nl).unwrap();
    assert_eq!(fields.title, "Bee-Bot");
    assert_eq!(fields.validity_months, None);
    let bad = TrainingInput {
        title: "",
        duration_minutes: "0",
        validity_months: "-3",
        ..ok
    };
    let errors = check_training(&bad, Lang::Nl).unwrap_err();
    let names: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
    assert_eq!(names, ["title", "duration_minutes", "validity_months"]);
}

proptest! {
    /// Seats never exceed capacity, whatever the order of registrations and
    /// cancellations (cancellations move the first waiting person up).
    #[test]
    fn seats_never_exceed_capacity(capacity in 1u32..6, ops in prop::collection::vec(0u8..3, 1..60)) {
        let mut seated: Vec<i64> = Vec::new();
        let mut waiting: Vec<i64> = Vec::new();
        let mut next = 0i64;
        for op in ops {
            if op < 2 || seated.is_empty() {
                let s = Seats { capacity, taken: seated.len() as u32, opens: at(0), closes: at(23), cancelled: false };
                match register(&s, at(9), false).unwrap() {
                    Placed::Seat => seated.push(next),
                    Placed::WaitingList => waiting.push(next),
                }
                next += 1;
            } else {
                seated.remove(0);
                if let Some(up) = moves_up(capacity, seated.len() as u32, &waiting) {
                    waiting.retain(|w| *w != up);
                    seated.push(up);
                }
            }
            prop_assert!(seated.len() as u32 <= capacity);
            // Nobody waits while a seat is free.
            prop_assert!(waiting.is_empty() || seated.len() as u32 == capacity);
        }
    }

    /// The gate is monotone: adding a valid qualification never turns "qualified" into
    /// anything else, and qualified means every requirement has a valid holding.
    #[test]
    fn gate_agrees_with_the_definition(
        reqs in prop::collection::btree_set(1i64..5, 0..4),
        holds in prop::collection::vec((1i64..5, 0i64..400, prop::option::of(0i64..800), any::<bool>()), 0..6),
        pickup_offset in 0i64..300,
    ) {
        let today = d(TODAY);
        let pickup = today + Duration::days(pickup_offset);
        let required: Vec<Required> = reqs.iter().map(|&i| req(i)).collect();
        let held: Vec<Held> = holds.iter().map(|&(t, ago, len, revoked)| {
            let granted_on = today - Duration::days(ago);
            Held { training: TrainingTypeId(t), granted_on, valid_until: len.map(|l| granted_on + Duration::days(l)), revoked }
        }).collect();
        let expected = required.iter().all(|r| held.iter().any(|h| {
            h.training == r.training && !h.revoked && h.valid_until.is_none_or(|u| u >= pickup)
        }));
        let got = gate(&required, &held, &[], today, pickup);
        prop_assert_eq!(got == Gate::Qualified, expected);
    }
}
