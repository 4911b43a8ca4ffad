use super::*;
use proptest::prelude::*;
use std::collections::HashMap;

fn snapshot() -> DeskSnapshot {
    let unit = |label: &str, inv: &str, kit: &str, open_loan: Option<i64>| SnapshotUnit {
        label: Some(label.into()),
        inventory_code: inv.into(),
        kit_slug: kit.into(),
        kit_title: format!("{kit} title"),
        open_loan: open_loan.map(ReservationId),
    };
    DeskSnapshot {
        day: "2026-12-01".into(),
        reservations: vec![
            SnapshotReservation {
                id: ReservationId(1),
                kit_slug: "bee-bot".into(),
                kit_title: "Bee-Bot set".into(),
                quantity: 2,
                handed_over: 0,
                open: true,
                request: None,
            },
            SnapshotReservation {
                id: ReservationId(2),
                kit_slug: "vr".into(),
                kit_title: "VR set".into(),
                quantity: 1,
                handed_over: 0,
                open: false,
                request: None,
            },
        ],
        units: vec![
            unit("AAA-BBB-CCC", "BB-K-01", "bee-bot", None),
            unit("DDD-EEE-FFF", "BB-K-02", "bee-bot", None),
            unit("GGG-HHH-JJJ", "BB-K-03", "bee-bot", Some(7)),
            unit("KKK-MMM-NNN", "VR-01", "vr", None),
        ],
    }
}

fn hand(reservation: i64, code: &str) -> ScanAction {
    ScanAction::HandOver {
        reservation: ReservationId(reservation),
        code: code.into(),
    }
}

fn back(code: &str) -> ScanAction {
    ScanAction::Return {
        code: code.into(),
        parts: Vec::new(),
        damage: String::new(),
    }
}

fn queue_of(actions: &[ScanAction]) -> Vec<QueuedScan> {
    let mut q = Vec::new();
    for (i, a) in actions.iter().enumerate() {
        q.push(QueuedScan {
            key: format!("k{i}"),
            action: a.clone(),
            recorded_at: format!("2026-12-01T09:00:{i:02}Z"),
            state: LineState::Waiting,
        });
    }
    q
}

#[test]
fn codes_compare_without_hyphens_case_or_link() {
    assert_eq!(normalise_code(" k7q-m4x-z2r "), "K7QM4XZ2R");
    assert_eq!(
        normalise_code("https://leenpunt.be/s/K7Q-M4X-Z2R/"),
        "K7QM4XZ2R"
    );
    assert_eq!(normalise_code("BB-K-01"), "BBK01");
}

#[test]
fn a_scan_of_the_right_kit_for_an_open_reservation_is_queued() {
    let mut q = Vec::new();
    let s = snapshot();
    enqueue(&mut q, &s, "a".into(), hand(1, "aaabbbccc"), "t".into()).unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].state, LineState::Waiting);
    assert_eq!(waiting(&q), 1);
}

#[test]
fn the_same_unit_twice_is_refused_by_label_or_inventory_code() {
    let s = snapshot();
    let q = queue_of(&[hand(1, "AAA-BBB-CCC")]);
    assert_eq!(
        check_scan(&q, &s, &hand(1, "BB-K-01")),
        Err(LocalRefusal::AlreadyQueued)
    );
    // Not for another reservation either: a unit goes out once.
    assert_eq!(
        check_scan(&q, &s, &hand(9, "aaa bbb ccc")),
        Err(LocalRefusal::AlreadyQueued)
    );
}

#[test]
fn a_unit_returned_in_the_queue_may_go_out_again() {
    let s = snapshot();
    let q = queue_of(&[back("GGG-HHH-JJJ")]);
    assert_eq!(check_scan(&q, &s, &hand(1, "GGG-HHH-JJJ")), Ok(()));
    let q = queue_of(&[hand(1, "BB-K-01"), back("BB-K-01")]);
    assert_eq!(check_scan(&q, &s, &hand(1, "BB-K-01")), Ok(()));
    assert_eq!(
        check_scan(&q, &s, &back("BB-K-01")),
        Err(LocalRefusal::AlreadyQueued)
    );
}

#[test]
fn a_refused_line_does_not_block_a_new_attempt() {
    let s = snapshot();
    let mut q = queue_of(&[hand(1, "BB-K-01")]);
    q[0].state = LineState::Conflict {
        reason: ConflictReason::Other,
        message: String::new(),
    };
    assert_eq!(check_scan(&q, &s, &hand(1, "BB-K-01")), Ok(()));
}

#[test]
fn wrong_kit_type_closed_reservation_and_unit_elsewhere_are_refused() {
    let s = snapshot();
    assert_eq!(
        check_scan(&[], &s, &hand(1, "VR-01")),
        Err(LocalRefusal::WrongKitType {
            reserved: "Bee-Bot set".into(),
            scanned: "vr title".into()
        })
    );
    assert_eq!(
        check_scan(&[], &s, &hand(2, "VR-01")),
        Err(LocalRefusal::ReservationNotOpen)
    );
    assert_eq!(
        check_scan(&[], &s, &hand(1, "BB-K-03")),
        Err(LocalRefusal::UnitElsewhere)
    );
}

#[test]
fn no_more_units_than_booked_are_queued() {
    let s = snapshot();
    let q = queue_of(&[hand(1, "BB-K-01"), hand(1, "BB-K-02")]);
    assert_eq!(
        check_scan(&q, &s, &hand(1, "UNKNOWN-9")),
        Err(LocalRefusal::AllQueued { quantity: 2 })
    );
}

#[test]
fn what_the_snapshot_does_not_know_is_left_to_the_server() {
    let s = snapshot();
    assert_eq!(check_scan(&[], &s, &hand(42, "ZZZ-ZZZ-ZZZ")), Ok(()));
    assert_eq!(check_scan(&[], &s, &back("whatever")), Ok(()));
    assert_eq!(check_scan(&[], &s, &back("  ")), Err(LocalRefusal::NoCode));
    let negative = ScanAction::Return {
        code: "BB-K-01".into(),
        parts: vec![PartCountBody {
            name: "Bee-Bot".into(),
            counted: -1,
        }],
        damage: String::new(),
    };
    assert_eq!(
        check_scan(&[], &s, &negative),
        Err(LocalRefusal::NegativeCount {
            part: "Bee-Bot".into()
        })
    );
}

#[test]
fn answers_map_to_line_states() {
    let p = |status: u16, kind: &str| ServerAnswer::Problem {
        status,
        kind: kind.into(),
        message: "m".into(),
    };
    assert_eq!(verdict(&ServerAnswer::Accepted), Verdict::Synced);
    assert_eq!(verdict(&ServerAnswer::NetworkError), Verdict::RetryLater);
    assert_eq!(verdict(&p(503, "/problems/busy")), Verdict::RetryLater);
    assert_eq!(verdict(&p(500, "/problems/internal")), Verdict::RetryLater);
    assert_eq!(
        verdict(&p(401, "/problems/unauthorized")),
        Verdict::RetryLater
    );
    assert_eq!(verdict(&p(429, "")), Verdict::RetryLater);
    let cases = [
        (
            "/problems/reservation-closed",
            ConflictReason::ReservationClosed,
        ),
        (
            "/problems/unit-on-another-loan",
            ConflictReason::UnitElsewhere,
        ),
        (
            "/problems/unit-in-maintenance",
            ConflictReason::UnitInMaintenance,
        ),
        ("/problems/unit-retired", ConflictReason::UnitRetired),
        ("/problems/wrong-kit-type", ConflictReason::WrongKitType),
        (
            "/problems/all-units-handed-over",
            ConflictReason::AllHandedOver,
        ),
        (
            "/problems/reservation-expired",
            ConflictReason::OutsideLoanDays,
        ),
        (
            "/problems/qualification-missing",
            ConflictReason::QualificationMissing,
        ),
        ("/problems/unknown-code", ConflictReason::UnknownCode),
        ("/problems/unit-not-on-loan", ConflictReason::NotOnLoan),
        ("/problems/something-new", ConflictReason::Other),
    ];
    for (kind, reason) in cases {
        assert_eq!(
            verdict(&p(409, kind)),
            Verdict::Conflict(reason, "m".into()),
            "{kind}"
        );
    }
    assert_eq!(
        verdict(&p(404, "/problems/not-found")),
        Verdict::Conflict(ConflictReason::NotFound, "m".into())
    );
    assert_eq!(
        verdict(&p(422, "/problems/idempotency-key-reused")),
        Verdict::Conflict(ConflictReason::KeyReused, "m".into())
    );
}

#[test]
fn a_queue_survives_a_round_trip_through_json() {
    let mut q = queue_of(&[hand(1, "BB-K-01"), back("BB-K-02")]);
    q[1].state = LineState::Conflict {
        reason: ConflictReason::ReservationClosed,
        message: "Geannuleerd".into(),
    };
    let json = serde_json::to_string(&q).unwrap();
    let again: Vec<QueuedScan> = serde_json::from_str(&json).unwrap();
    assert_eq!(again, q);
}

#[test]
fn replay_stops_at_a_network_error_and_keeps_the_line() {
    let mut q = queue_of(&[hand(1, "BB-K-01"), hand(1, "BB-K-02")]);
    assert_eq!(next_to_send(&q), Some(0));
    assert!(!apply_answer(
        &mut q,
        "k0",
        &ServerAnswer::NetworkError,
        "t"
    ));
    assert_eq!(next_to_send(&q), Some(0));
    assert!(apply_answer(&mut q, "k0", &ServerAnswer::Accepted, "t"));
    assert_eq!(next_to_send(&q), Some(1));
    // A late second answer for a final line changes nothing.
    let refused = ServerAnswer::Problem {
        status: 409,
        kind: "/problems/reservation-closed".into(),
        message: String::new(),
    };
    assert!(apply_answer(&mut q, "k0", &refused, "t"));
    assert!(matches!(q[0].state, LineState::Synced { .. }));
    clear_synced(&mut q);
    assert_eq!(q.len(), 1);
}

/// What the server does with one request, in the model below.
#[derive(Debug, Clone, Copy)]
enum Server {
    /// Records the scan (or answers the first answer for a known key).
    Writes,
    /// Refuses the scan (a known key still gets its first answer).
    Refuses,
    /// 503: nothing written.
    Busy,
    /// Records it, but the answer is lost on the way back.
    WritesAnswerLost,
    /// Unreachable.
    Down,
}

fn server() -> impl Strategy<Value = Server> {
    prop_oneof![
        Just(Server::Writes),
        Just(Server::Refuses),
        Just(Server::Busy),
        Just(Server::WritesAnswerLost),
        Just(Server::Down),
    ]
}

proptest! {
    /// Replaying in sessions (each ends at the first answer that says "later") with a
    /// server that keeps the first answer per idempotency key: lines go out in recorded
    /// order, a final line is never sent again, nothing is written twice, a synced line
    /// was written once, a refused line never, and no line is ever dropped.
    #[test]
    fn replay_applies_once_keeps_order_and_drops_nothing(
        lines in 1usize..8,
        script in proptest::collection::vec(server(), 0..40),
    ) {
        let actions: Vec<ScanAction> = (0..lines).map(|i| hand(1, &format!("U-{i}"))).collect();
        let mut q = queue_of(&actions);
        let mut writes: HashMap<String, u32> = HashMap::new();
        let mut first_answer: HashMap<String, ServerAnswer> = HashMap::new();
        let mut sent: Vec<usize> = Vec::new();
        // After the script the network is fine and the server writes.
        let mut steps = script.into_iter().chain(std::iter::repeat(Server::Writes));
        for _ in 0..200 {
            let Some(i) = next_to_send(&q) else { break };
            prop_assert!(!q[i].state.is_final());
            if let Some(&last) = sent.last() {
                prop_assert!(i >= last, "order: sent {i} after {last}");
            }
            sent.push(i);
            let key = q[i].key.clone();
            let step = steps.next().unwrap_or(Server::Writes);
            let answer = match (first_answer.get(&key), step) {
                (_, Server::Down) => ServerAnswer::NetworkError,
                (_, Server::Busy) => ServerAnswer::Problem { status: 503, kind: "/problems/busy".into(), message: String::new() },
                (Some(first), Server::WritesAnswerLost) => { let _ = first; ServerAnswer::NetworkError }
                (Some(first), _) => first.clone(),
                (None, Server::Refuses) => {
                    // A refusal writes nothing and is not kept: the next try is judged anew.
                    ServerAnswer::Problem { status: 409, kind: "/problems/reservation-closed".into(), message: String::new() }
                }
                (None, Server::Writes) => {
                    *writes.entry(key.clone()).or_default() += 1;
                    first_answer.insert(key.clone(), ServerAnswer::Accepted);
                    ServerAnswer::Accepted
                }
                (None, Server::WritesAnswerLost) => {
                    *writes.entry(key.clone()).or_default() += 1;
                    first_answer.insert(key.clone(), ServerAnswer::Accepted);
                    ServerAnswer::NetworkError
                }
            };
            let _ = apply_answer(&mut q, &key, &answer, "now");
        }
        prop_assert_eq!(q.len(), lines);
        prop_assert_eq!(waiting(&q), 0);
        for (i, line) in q.iter().enumerate() {
            prop_assert_eq!(&line.key, &format!("k{i}"));
            let w = writes.get(&line.key).copied().unwrap_or(0);
            prop_assert!(w <= 1);
            match &line.state {
                LineState::Synced { .. } => prop_assert_eq!(w, 1),
                LineState::Conflict { .. } => prop_assert_eq!(w, 0),
                LineState::Waiting => prop_assert!(false, "still waiting"),
            }
        }
    }

    /// Whatever is queued, a unit is never queued twice for hand-over while the first is
    /// live, and a reservation never gets more queued units than it has left.
    #[test]
    fn enqueue_never_doubles_a_unit_or_overbooks(
        scans in proptest::collection::vec((0usize..6, prop::bool::ANY), 0..30),
    ) {
        let s = snapshot();
        let codes = ["BB-K-01", "bb-k-01", "AAA-BBB-CCC", "BB-K-02", "DDD-EEE-FFF", "ZZ-9"];
        let mut q = Vec::new();
        for (n, (c, is_return)) in scans.into_iter().enumerate() {
            let action = if is_return { back(codes[c]) } else { hand(1, codes[c]) };
            let _ = enqueue(&mut q, &s, format!("k{n}"), action, "t".into());
        }
        let outs = q.iter().filter(|l| matches!(l.action, ScanAction::HandOver { .. })).count();
        let returns = q.iter().filter(|l| matches!(l.action, ScanAction::Return { .. })).count();
        prop_assert!(outs <= 2 + returns, "{} hand-overs, {} returns", outs, returns);
        // Between two hand-overs of one unit there is a return of it.
        for (i, a) in q.iter().enumerate() {
            for b in &q[i + 1..] {
                if same_kind(&a.action, &b.action) && same_unit_any_kind(&a.action, &b.action, &s) {
                    let between = q.iter().skip_while(|l| l.key != a.key).skip(1)
                        .take_while(|l| l.key != b.key)
                        .any(|l| !same_kind(&l.action, &a.action) && same_unit_any_kind(&l.action, &a.action, &s));
                    prop_assert!(between, "{:?} then {:?}", a.action, b.action);
                }
            }
        }
    }
}

fn texts() -> QueueTexts {
    QueueTexts {
        online: "Online".into(),
        offline: "Offline".into(),
        waiting: "waiting to sync".into(),
        last_sync: "last sync:".into(),
        never_synced: "not yet".into(),
        hand_over: "Hand-over".into(),
        return_scan: "Return".into(),
        reservation: "reservation".into(),
        line_synced: "synced".into(),
        line_conflict: "not recorded, nothing was written.".into(),
        why_closed: "Cancelled meanwhile: take the material back.".into(),
        why_other: "Read the message.".into(),
        all_queued: "Every booked unit is queued".into(),
        ..QueueTexts::default()
    }
}

#[test]
fn the_status_line_says_online_waiting_and_last_sync() {
    let t = texts();
    assert_eq!(
        t.status(false, 3, Some("09:14")),
        "Offline · 3 waiting to sync · last sync: 09:14"
    );
    assert_eq!(
        t.status(true, 0, None),
        "Online · 0 waiting to sync · last sync: not yet"
    );
}

#[test]
fn a_refused_line_says_nothing_was_written_why_and_the_servers_sentence() {
    let t = texts();
    let mut line = queue_of(&[hand(1, "BB-K-01")]).remove(0);
    assert_eq!(t.state(&line).0, "waiting");
    assert_eq!(t.what(&line.action), "Hand-over BB-K-01 → reservation 1");
    line.state = LineState::Conflict {
        reason: ConflictReason::ReservationClosed,
        message: "This reservation was cancelled.".into(),
    };
    assert_eq!(
        t.state(&line),
        (
            "conflict",
            "not recorded, nothing was written. Cancelled meanwhile: take the material back. This reservation was cancelled.".to_owned()
        )
    );
    line.state = LineState::Conflict {
        reason: ConflictReason::KeyReused,
        message: String::new(),
    };
    assert_eq!(
        t.state(&line).1,
        "not recorded, nothing was written. Read the message."
    );
    assert_eq!(
        t.refusal(&LocalRefusal::AllQueued { quantity: 2 }),
        "Every booked unit is queued (2)"
    );
}

#[test]
fn texts_travel_as_json() {
    let t = texts();
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(serde_json::from_str::<QueueTexts>(&json).unwrap(), t);
}

#[test]
fn the_page_wins_over_the_stored_day_and_another_day_starts_afresh() {
    let stored = snapshot();
    let mut page = DeskSnapshot {
        day: String::new(),
        reservations: vec![SnapshotReservation {
            handed_over: 1,
            ..stored.reservations[0].clone()
        }],
        units: Vec::new(),
    };
    let merged = merge_snapshot(stored.clone(), page.clone());
    assert_eq!(merged.day, stored.day);
    assert_eq!(merged.reservations.len(), stored.reservations.len());
    let first = merged
        .reservations
        .iter()
        .find(|r| r.id == ReservationId(1))
        .unwrap();
    assert_eq!(first.handed_over, 1);
    assert_eq!(merged.units, stored.units);
    page.day = "2026-12-02".into();
    assert_eq!(merge_snapshot(stored, page.clone()), page);
}

#[test]
fn lines_made_before_the_stored_queue_was_read_come_after_it_once() {
    let stored = queue_of(&[hand(1, "A"), hand(1, "B")]);
    let mut fresh = queue_of(&[hand(3, "C")]);
    fresh[0].key = "fresh".into();
    fresh.push(stored[1].clone());
    let merged = merge_queue(stored.clone(), fresh.clone());
    assert_eq!(merged.len(), 3);
    assert_eq!(merged[..2], stored[..]);
    assert_eq!(merged[2].key, "fresh");
}

/// A request (9) of two lines: 2 Bee-Bot sets (one already out) and 1 VR set.
fn request_snapshot() -> DeskSnapshot {
    let mut s = snapshot();
    s.reservations = vec![
        SnapshotReservation {
            id: ReservationId(11),
            kit_slug: "bee-bot".into(),
            kit_title: "Bee-Bot set".into(),
            quantity: 2,
            handed_over: 1,
            open: true,
            request: Some(9),
        },
        SnapshotReservation {
            id: ReservationId(12),
            kit_slug: "vr".into(),
            kit_title: "VR set".into(),
            quantity: 1,
            handed_over: 0,
            open: true,
            request: Some(9),
        },
    ];
    s.units.push(SnapshotUnit {
        label: None,
        inventory_code: "MAG-01".into(),
        kit_slug: "magnet".into(),
        kit_title: "Magnet box".into(),
        open_loan: None,
    });
    s
}

fn hand_request(request: i64, code: &str) -> ScanAction {
    ScanAction::RequestHandOver {
        request,
        code: code.into(),
    }
}

#[test]
fn a_request_takes_units_of_its_kit_types_until_every_line_is_queued() {
    let s = request_snapshot();
    let mut q = Vec::new();
    enqueue(
        &mut q,
        &s,
        "a".into(),
        hand_request(9, "BB-K-01"),
        "t".into(),
    )
    .unwrap();
    enqueue(&mut q, &s, "b".into(), hand_request(9, "vr-01"), "t".into()).unwrap();
    // Three booked, one out, two queued: nothing more goes out.
    assert_eq!(
        check_scan(&q, &s, &hand_request(9, "BB-K-02")),
        Err(LocalRefusal::AllQueued { quantity: 3 })
    );
    // The same unit again (by its label this time) is a repeat.
    assert_eq!(
        check_scan(&q[..1], &s, &hand_request(9, "aaa-bbb-ccc")),
        Err(LocalRefusal::AlreadyQueued)
    );
    // A unit handed over on the request is the same unit as on a reservation.
    assert_eq!(
        check_scan(&q[..1], &s, &hand(1, "BB-K-01")),
        Err(LocalRefusal::AlreadyQueued)
    );
    // A hand-over queued on one of the request's lines counts for the request too.
    let mut r = queue_of(&[hand(11, "BB-K-01"), hand(12, "VR-01")]);
    assert_eq!(
        check_scan(&r, &s, &hand_request(9, "BB-K-02")),
        Err(LocalRefusal::AllQueued { quantity: 3 })
    );
    r[1].state = LineState::Conflict {
        reason: ConflictReason::Other,
        message: String::new(),
    };
    assert_eq!(check_scan(&r, &s, &hand_request(9, "BB-K-02")), Ok(()));
}

#[test]
fn a_request_refuses_other_material_closed_lines_and_units_out_elsewhere() {
    let mut s = request_snapshot();
    assert_eq!(
        check_scan(&[], &s, &hand_request(9, "MAG-01")),
        Err(LocalRefusal::WrongKitType {
            reserved: "Bee-Bot set, VR set".into(),
            scanned: "Magnet box".into()
        })
    );
    // BB-K-03 is out on reservation 7, not a line of this request.
    assert_eq!(
        check_scan(&[], &s, &hand_request(9, "BB-K-03")),
        Err(LocalRefusal::UnitElsewhere)
    );
    // ... unless it is queued to come back first.
    let q = queue_of(&[back("BB-K-03")]);
    assert_eq!(check_scan(&q, &s, &hand_request(9, "BB-K-03")), Ok(()));
    // Out on one of the request's own lines: the server says "already" (no refusal here).
    s.units[2].open_loan = Some(ReservationId(11));
    assert_eq!(check_scan(&[], &s, &hand_request(9, "BB-K-03")), Ok(()));
    // A code the snapshot does not know, or a request it does not know: the server decides.
    assert_eq!(check_scan(&[], &s, &hand_request(9, "ZZZ-01")), Ok(()));
    assert_eq!(check_scan(&[], &s, &hand_request(10, "MAG-01")), Ok(()));
    for r in &mut s.reservations {
        r.open = false;
    }
    assert_eq!(
        check_scan(&[], &s, &hand_request(9, "BB-K-01")),
        Err(LocalRefusal::ReservationNotOpen)
    );
}

#[test]
fn request_returns_check_counts_and_repeats_like_returns() {
    let s = request_snapshot();
    let back_request = |code: &str, counted: i64| ScanAction::RequestReturn {
        request: 9,
        code: code.into(),
        parts: vec![PartCountBody {
            name: "robot".into(),
            counted,
        }],
        damage: String::new(),
    };
    assert_eq!(
        check_scan(&[], &s, &back_request("BB-K-01", -1)),
        Err(LocalRefusal::NegativeCount {
            part: "robot".into()
        })
    );
    let q = queue_of(&[back_request("BB-K-01", 6)]);
    assert_eq!(
        check_scan(&q, &s, &back("bb-k-01")),
        Err(LocalRefusal::AlreadyQueued)
    );
    // Returned from the request, then out again on it: allowed.
    assert_eq!(check_scan(&q, &s, &hand_request(9, "BB-K-01")), Ok(()));
}

#[test]
fn a_unit_not_in_the_request_is_other_material_and_lines_name_the_request() {
    assert_eq!(
        ConflictReason::from_problem_type("/problems/unit-not-in-request"),
        ConflictReason::WrongKitType
    );
    let texts = QueueTexts {
        hand_over: "Meegeven".into(),
        return_scan: "Terugnemen".into(),
        request: "aanvraag".into(),
        ..QueueTexts::default()
    };
    assert_eq!(
        texts.what(&hand_request(9, "BB-K-01")),
        "Meegeven BB-K-01 → aanvraag 9"
    );
    let json = serde_json::to_string(&hand_request(9, "X")).unwrap();
    assert_eq!(
        serde_json::from_str::<ScanAction>(&json).unwrap(),
        hand_request(9, "X")
    );
}

/// Between two hand-overs of one unit in the queue there is a return of it.
fn no_unit_out_twice(q: &[QueuedScan], s: &DeskSnapshot) -> Result<(), TestCaseError> {
    for (i, a) in q.iter().enumerate() {
        for b in &q[i + 1..] {
            if same_kind(&a.action, &b.action) && same_unit_any_kind(&a.action, &b.action, s) {
                let between = q
                    .iter()
                    .skip_while(|l| l.key != a.key)
                    .skip(1)
                    .take_while(|l| l.key != b.key)
                    .any(|l| {
                        !same_kind(&l.action, &a.action)
                            && same_unit_any_kind(&l.action, &a.action, s)
                    });
                prop_assert!(between, "{:?} then {:?}", a.action, b.action);
            }
        }
    }
    Ok(())
}

proptest! {
    /// Scans on a request: a unit never goes out twice without a return in between, and
    /// the request never gets more queued hand-overs than its open lines still miss (two)
    /// plus the returns queued.
    #[test]
    fn enqueue_on_a_request_never_doubles_a_unit_or_overfills_it(
        scans in proptest::collection::vec((0usize..7, prop::bool::ANY), 0..30),
    ) {
        let s = request_snapshot();
        let codes = ["BB-K-01", "bb-k-01", "AAA-BBB-CCC", "BB-K-02", "VR-01", "MAG-01", "ZZ-9"];
        let mut q = Vec::new();
        for (n, (c, is_return)) in scans.into_iter().enumerate() {
            let action = if is_return { back(codes[c]) } else { hand_request(9, codes[c]) };
            let _ = enqueue(&mut q, &s, format!("k{n}"), action, "t".into());
        }
        let outs = q.iter().filter(|l| l.action.is_hand_over()).count();
        let returns = q.len() - outs;
        prop_assert!(outs <= 2 + returns, "{} hand-overs, {} returns", outs, returns);
        prop_assert!(!q.iter().any(|l| l.action.code() == "MAG-01" && l.action.is_hand_over()),
            "other material is never queued for the request");
        no_unit_out_twice(&q, &s)?;
    }

    /// Mixed with hand-overs on one of the request's lines, a unit still never goes out
    /// twice without a return in between.
    #[test]
    fn request_and_line_hand_overs_never_double_a_unit(
        scans in proptest::collection::vec((0usize..6, 0u8..3), 0..30),
    ) {
        let s = request_snapshot();
        let codes = ["BB-K-01", "bb-k-01", "AAA-BBB-CCC", "BB-K-02", "VR-01", "ZZ-9"];
        let mut q = Vec::new();
        for (n, (c, how)) in scans.into_iter().enumerate() {
            let action = match how {
                0 => hand_request(9, codes[c]),
                1 => hand(11, codes[c]),
                _ => back(codes[c]),
            };
            let _ = enqueue(&mut q, &s, format!("k{n}"), action, "t".into());
        }
        no_unit_out_twice(&q, &s)?;
    }
}
