//! Hand-over over HTTP against a real database: scanning labels, checking units out and in,
//! repeat scans, two desks at once, the qualification re-check, the scan link, label
//! sheets and the daily overdue and no-show job. The clock starts on Friday 27 November
//! 2026 and tests move it.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::handover::{HandoverOutcome, ReturnOutcome, ScanResult};
use leenpunt_shared::{Problem, Reservation, ReservationStatus};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const DESK: &str = "ambassadeur@demo.leenpunt.be";
const ADMIN: &str = "beheerder@demo.leenpunt.be";

async fn book(app: &TestApp, cookie: &str, quantity: u32, pickup: &str, ret: &str) -> Reservation {
    let r = app
        .post_json(
            cookie,
            "/api/v1/reservations",
            &json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge", "pickup_date": pickup,
                     "return_date": ret, "quantity": quantity }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

async fn hand_over(app: &TestApp, desk: &str, id: i64, code: &str) -> reqwest::Response {
    app.post_json(
        desk,
        &format!("/api/v1/reservations/{id}/handover"),
        &json!({ "code": code }),
    )
    .await
}

async fn take_back(app: &TestApp, desk: &str, body: serde_json::Value) -> reqwest::Response {
    app.post_json(desk, "/api/v1/returns", &body).await
}

async fn kind(r: reqwest::Response) -> String {
    r.json::<Problem>().await.unwrap().kind
}

async fn unit_status(app: &TestApp, inventory: &str) -> String {
    sqlx::query_scalar("SELECT status FROM units WHERE inventory_code = $1")
        .bind(inventory)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn check_out_two_units_and_take_them_back_one_with_a_missing_part() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let teacher = app.teacher("juf@school.be", "126763", &hash).await;
    let reservation = book(&app, &teacher, 2, "2026-12-02", "2026-12-09").await;
    let id = reservation.id.0;
    let (one, two) = (
        app.label_code("BB-K-01").await,
        app.label_code("BB-K-02").await,
    );

    // Before the pickup day nothing goes out.
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    assert_eq!(
        kind(hand_over(&app, &desk, id, &one).await).await,
        "/problems/pickup-too-early"
    );

    app.set_time("2026-12-02T09:00:00Z");
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let teacher = app.login("juf@school.be", DEMO_PASSWORD).await.unwrap();
    // Bad codes: mistyped (check character), unknown, a unit in maintenance, another kit.
    let mut typo = one.clone().into_bytes();
    typo[3] = if typo[3] == b'7' { b'8' } else { b'7' };
    let r = hand_over(&app, &desk, id, std::str::from_utf8(&typo).unwrap()).await;
    assert_eq!(r.status(), 422);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.errors[0].field, "code");
    assert!(!p.errors[0].message.is_empty());
    assert_eq!(
        kind(hand_over(&app, &desk, id, "000000000").await).await,
        "/problems/unknown-code"
    );
    let maintenance = app.label_code("BB-K-03").await;
    assert_eq!(
        kind(hand_over(&app, &desk, id, &maintenance).await).await,
        "/problems/unit-in-maintenance"
    );
    let camera = app.label_code("WC-01").await;
    assert_eq!(
        kind(hand_over(&app, &desk, id, &camera).await).await,
        "/problems/wrong-kit-type"
    );
    let lines: i64 = sqlx::query_scalar("SELECT count(*) FROM loan_lines")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(lines, 0, "nothing written");

    // Typed with hyphens and in lower case, then a repeat scan: idempotent.
    let typed = format!("{}-{}-{}", &one[..3], &one[3..6], &one[6..]).to_lowercase();
    let r = hand_over(&app, &desk, id, &typed).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let o: HandoverOutcome = r.json().await.unwrap();
    assert_eq!(
        (o.unit.as_str(), o.remaining, o.already),
        ("BB-K-01", 1, false)
    );
    let o: HandoverOutcome = hand_over(&app, &desk, id, &one).await.json().await.unwrap();
    assert!(o.already);
    assert_eq!(o.remaining, 1);
    let r: Reservation = app
        .get_as(&teacher, &format!("/api/v1/reservations/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r.status, ReservationStatus::PickedUp, "partly handed over");
    let o: HandoverOutcome = hand_over(&app, &desk, id, &two).await.json().await.unwrap();
    assert_eq!(o.remaining, 0);
    // A third unit is more than booked.
    let four = app.label_code("BB-K-04").await;
    assert_eq!(
        kind(hand_over(&app, &desk, id, &four).await).await,
        "/problems/all-units-handed-over"
    );
    let receipts: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE to_addr = 'juf@school.be' AND subject LIKE 'Ontvangstbewijs%'")
        .fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(receipts, 1);

    // The scan says where the unit is.
    let s: ScanResult = app
        .get_as(&desk, &format!("/api/v1/scan/{one}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s.unit.open_loan.map(|r| r.0), Some(id));
    // Teachers cannot use the desk's scan.
    assert_eq!(
        app.get_as(&teacher, &format!("/api/v1/scan/{one}"))
            .await
            .status(),
        403
    );

    // Back a week later: one Bee-Bot missing from BB-K-01.
    app.set_time("2026-12-09T10:00:00Z");
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let teacher = app.login("juf@school.be", DEMO_PASSWORD).await.unwrap();
    // Counts that cannot be: nothing written.
    let r = take_back(
        &app,
        &desk,
        json!({ "code": one, "parts": [{ "name": "Bee-Bot robot", "counted": -1 }] }),
    )
    .await;
    assert_eq!(kind(r).await, "/problems/negative-part-count");
    let r = take_back(
        &app,
        &desk,
        json!({ "code": one, "parts": [{ "name": "Bee-Bot robot", "counted": 7 }] }),
    )
    .await;
    assert_eq!(kind(r).await, "/problems/part-over-count");
    let r = take_back(
        &app,
        &desk,
        json!({ "code": one, "parts": [{ "name": "Bee-Bot robot", "counted": 5 }], "damage": "" }),
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let o: ReturnOutcome = r.json().await.unwrap();
    assert_eq!(o.shortfall, vec![("Bee-Bot robot".to_owned(), 1)]);
    assert!(o.to_maintenance && !o.late && !o.loan_complete);
    assert_eq!(unit_status(&app, "BB-K-01").await, "onderhoud");
    let tickets: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM maintenance_tickets WHERE shortfall LIKE '%Bee-Bot robot%'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(tickets, 1);
    let r: Reservation = app
        .get_as(&teacher, &format!("/api/v1/reservations/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        r.status,
        ReservationStatus::PickedUp,
        "the other unit is still out"
    );
    // The teacher sees what was missing on the reservation, and got a mail saying so.
    let mine: Vec<Reservation> = app
        .get_as(&teacher, "/api/v1/reservations?scope=mine")
        .await
        .json()
        .await
        .unwrap();
    let notes = &mine.iter().find(|m| m.id.0 == id).unwrap().return_notes;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].unit, "BB-K-01");
    assert_eq!(
        (
            notes[0].missing[0].part.as_str(),
            notes[0].missing[0].counted,
            notes[0].missing[0].expected
        ),
        ("Bee-Bot robot", 5, 6)
    );
    let body: String = sqlx::query_scalar(
        "SELECT body FROM outbox WHERE to_addr = 'juf@school.be' AND subject LIKE 'Bij het terugbrengen ontbrak%'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert!(body.contains("BB-K-01: Bee-Bot robot 5 van 6"), "{body}");
    let single: Reservation = app
        .get_as(&teacher, &format!("/api/v1/reservations/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(&single.return_notes, notes);
    let page = app
        .get_as(&teacher, "/mijn-reservaties")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("BB-K-01 — Bee-Bot robot: 5 van 6"), "{page}");
    // A repeat scan changes nothing.
    let o: ReturnOutcome = take_back(&app, &desk, json!({ "code": one }))
        .await
        .json()
        .await
        .unwrap();
    assert!(o.already);
    // The second comes back complete: the loan is done.
    let o: ReturnOutcome = take_back(&app, &desk, json!({ "code": two }))
        .await
        .json()
        .await
        .unwrap();
    assert!(o.loan_complete && !o.to_maintenance);
    let r: Reservation = app
        .get_as(&teacher, &format!("/api/v1/reservations/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r.status, ReservationStatus::Returned);
    // A unit that is not out cannot come back.
    assert_eq!(
        kind(take_back(&app, &desk, json!({ "code": four })).await).await,
        "/problems/unit-not-on-loan"
    );
    // Its history shows both moves.
    let unit_id: i64 = sqlx::query_scalar("SELECT id FROM units WHERE inventory_code = 'BB-K-01'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let history: Vec<leenpunt_shared::handover::LoanLine> = app
        .get_as(&desk, &format!("/api/v1/units/{unit_id}/history"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert!(history[0].returned_at.is_some());
    assert_eq!(
        history[0]
            .parts_counted
            .iter()
            .find(|p| p.0 == "Bee-Bot robot")
            .unwrap()
            .2,
        5
    );
}

#[tokio::test]
async fn two_desks_scanning_the_same_unit_at_once_one_wins() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let a = app.teacher("a@school.be", "126763", &hash).await;
    let b = app.teacher("b@school.be", "023417", &hash).await;
    let ra = book(&app, &a, 1, "2026-12-02", "2026-12-04").await;
    let rb = book(&app, &b, 1, "2026-12-02", "2026-12-04").await;
    app.set_time("2026-12-02T09:00:00Z");
    let desk1 = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let desk2 = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let code = app.label_code("BB-K-01").await;
    let mut set = tokio::task::JoinSet::new();
    for (cookie, id) in [(desk1, ra.id.0), (desk2, rb.id.0)] {
        let request = app
            .client
            .post(app.url(&format!("/api/v1/reservations/{id}/handover")))
            .header("cookie", cookie)
            .header("origin", app.base.clone())
            .json(&json!({ "code": code }));
        set.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let mut statuses = set.join_all().await;
    statuses.sort();
    assert_eq!(statuses, vec![200, 409]);
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM loan_lines WHERE returned_at IS NULL")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(open, 1, "the unit is on exactly one loan");
}

#[tokio::test]
async fn a_revoked_qualification_blocks_the_hand_over_unless_overridden_with_a_reason() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let teacher = app.teacher("ingetrokken@school.be", "126763", &hash).await;
    let reservation = book(&app, &teacher, 1, "2026-12-02", "2026-12-04").await;
    sqlx::query("UPDATE qualifications SET revoked_at = '2026-11-28T10:00:00+00:00', revoke_reason = 'test' \
                 WHERE user_id = (SELECT id FROM users WHERE email = 'ingetrokken@school.be')")
        .execute(app.state.db.writer()).await.unwrap();
    app.set_time("2026-12-02T09:00:00Z");
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let code = app.label_code("BB-K-01").await;
    let r = hand_over(&app, &desk, reservation.id.0, &code).await;
    assert_eq!(r.status(), 409);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.kind, "/problems/qualification-missing");
    assert!(p.detail.unwrap().contains("Bee-Bot in de klas"));
    let r = app
        .post_json(&desk, &format!("/api/v1/reservations/{}/handover", reservation.id.0),
            &json!({ "code": code, "override_reason": "Opleiding gevolgd bij de vorige school, attest gezien" }))
        .await;
    assert_eq!(r.status(), 200);
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'unit.handover' AND detail LIKE '%attest gezien%'")
        .fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn the_scan_link_opens_the_right_page_for_who_is_asking_and_retagging_retires_the_old_code() {
    let app = TestApp::spawn().await;
    let code = app.label_code("BB-K-01").await;
    let unit_id: i64 = sqlx::query_scalar("SELECT id FROM units WHERE inventory_code = 'BB-K-01'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let r = app.get(&format!("/s/{code}")).await;
    assert!(r.status().is_redirection());
    assert_eq!(r.headers()["location"], "/catalogus/bee-bot-set-klein");
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let r = app.get_as(&desk, &format!("/s/{code}")).await;
    assert_eq!(
        r.headers()["location"],
        format!("/balie/exemplaren/{unit_id}").as_str()
    );
    assert_eq!(app.get("/s/000000000").await.status(), 404);
    assert_eq!(app.get("/s/onzin").await.status(), 404);
    // Re-tag (partner admins and admins): the old code says "replaced".
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    assert_eq!(
        app.post_json(&desk, &format!("/api/v1/units/{unit_id}/retag"), &json!({}))
            .await
            .status(),
        403
    );
    let r = app
        .post_json(
            &admin,
            &format!("/api/v1/units/{unit_id}/retag"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let new_code = app.label_code("BB-K-01").await;
    assert_ne!(new_code, code);
    let r = app.get_as(&desk, &format!("/s/{code}")).await;
    assert_eq!(
        r.headers()["location"],
        "/catalogus/bee-bot-set-klein?label=vervangen"
    );
    let s: ScanResult = app
        .get_as(&desk, &format!("/api/v1/scan/{code}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(s.replaced);
    // The QR image of the unit encodes the new scan URL.
    let r = app
        .get_as(&admin, &format!("/api/v1/units/{unit_id}/qr.png"))
        .await;
    assert_eq!(r.headers()["content-type"], "image/png");
    let png = r.bytes().await.unwrap();
    let img = image::load_from_memory(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, content) = grids[0].decode().unwrap();
    assert_eq!(
        content,
        format!("{}/s/{new_code}", app.state.config.public_url())
    );
}

#[tokio::test]
async fn a_label_sheet_prints_every_unit_of_a_kit_with_a_styled_nonce() {
    let app = TestApp::spawn().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let r = app
        .get_as(
            &admin,
            "/beheer/labels/blad?layout=small&kit=bee-bot-set-klein",
        )
        .await;
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = r.text().await.unwrap();
    let nonce = csp
        .split("style-src 'self' 'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the sheet's style carries the nonce"
    );
    for unit in ["BB-K-01", "BB-K-02", "BB-K-03", "BB-K-04", "BB-K-05"] {
        assert!(html.contains(unit), "{unit}");
        let code = app.label_code(unit).await;
        assert!(
            html.contains(&format!("{}-{}-{}", &code[..3], &code[3..6], &code[6..])),
            "{unit}"
        );
    }
    assert_eq!(html.matches("<svg").count(), 5);
    // Desk staff do not print labels; teachers neither.
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    assert_eq!(
        app.get_as(&desk, "/beheer/labels/blad?kit=bee-bot-set-klein")
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn the_daily_job_marks_overdue_loans_warns_the_next_borrower_and_releases_no_shows() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let late = app.teacher("laat@school.be", "126763", &hash).await;
    let next = app.teacher("volgende@school.be", "023417", &hash).await;
    let absent = app.teacher("afwezig@school.be", "012345", &hash).await;
    // Three units out 2–4 December; the next school needs all four from 9 December.
    let out = book(&app, &late, 3, "2026-12-02", "2026-12-04").await;
    let no_show = book(&app, &absent, 1, "2026-12-02", "2026-12-04").await;
    let waiting = book(&app, &next, 4, "2026-12-10", "2026-12-14").await;
    app.set_time("2026-12-02T09:00:00Z");
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    for unit in ["BB-K-01", "BB-K-02", "BB-K-04"] {
        let code = app.label_code(unit).await;
        assert_eq!(hand_over(&app, &desk, out.id.0, &code).await.status(), 200);
    }
    // Monday 7 December: the loan is overdue, the no-show is past its grace days.
    app.set_time("2026-12-07T06:00:00Z");
    let daily =
        || leenpunt_server::service::handover::daily(&app.state.db, app.clock.as_ref(), "http://x");
    assert_eq!(daily().await.unwrap(), (1, 1));
    assert_eq!(daily().await.unwrap(), (0, 0), "once");
    let mails = |to: &'static str, like: &'static str| {
        let pool = app.state.db.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM outbox WHERE to_addr = $1 AND subject LIKE $2",
            )
            .bind(to)
            .bind(like)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(
        mails("laat@school.be", "Je ontleende materiaal is te laat%").await,
        1
    );
    assert_eq!(
        mails("afwezig@school.be", "Je reservatie werd niet afgehaald%").await,
        1
    );
    let status: String = sqlx::query_scalar("SELECT status FROM reservations WHERE id = $1")
        .bind(no_show.id.0)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "niet-afgehaald");
    // The next school's four units are at risk while three are out late.
    let at_risk: i64 = sqlx::query_scalar("SELECT at_risk FROM reservations WHERE id = $1")
        .bind(waiting.id.0)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(at_risk, 1);
    assert_eq!(mails("volgende@school.be", "Let op%").await, 1);
    // The desk's day lists the overdue loan.
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let page = app
        .get_as(&desk, "/balie/vandaag")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Te laat (1)"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_long_pass_of_the_daily_job_lets_bookings_through_as_it_goes() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    app.teacher("juf@school.be", "126763", &hash).await;
    // 800 confirmed reservations of November that nobody came for: all no-shows now.
    const MISSED: i64 = 800;
    let pool = app.state.db.pool().clone();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, \
           pickup_date, return_date, held_until, status, created_at, updated_at) \
         SELECT k.id, p.id, s.id, u.id, 1, '2026-11-02', '2026-11-04', '2026-11-06', 'bevestigd', '', '' \
         FROM n, kit_types k, pickup_points p, schools s, users u \
         WHERE k.slug = 'bee-bot-set-klein' AND p.slug = 'stem-rtc-brugge' \
           AND s.instellingsnummer = '126763' AND u.email = 'juf@school.be'",
    )
    .bind(MISSED)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    app.set_time("2026-12-07T06:00:00Z");
    let teacher = app.login("juf@school.be", DEMO_PASSWORD).await.unwrap();
    let no_shows = || {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM reservations WHERE status = 'niet-afgehaald'",
            )
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let (db, clock) = (app.state.db.clone(), app.clock.clone());
    let pass = tokio::spawn(async move {
        leenpunt_server::service::handover::daily(&db, clock.as_ref(), "http://x").await
    });
    // Once the pass has marked its first no-show, a booking of another kit is answered
    // while most of the pass is still to come: it does not wait for the whole pass.
    while no_shows().await == 0 {
        assert!(!pass.is_finished(), "{:?}", pass.await);
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &json!({ "kit": "proefjeskoffer-elektriciteit", "pickup_point": "stem-rtc-brugge",
                     "pickup_date": "2026-12-15", "return_date": "2026-12-17", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let marked = no_shows().await;
    assert!(
        marked < MISSED / 2,
        "the booking waited for the pass: {marked} of {MISSED} marked"
    );
    assert_eq!(pass.await.unwrap().unwrap(), (0, MISSED as usize));
    assert_eq!(no_shows().await, MISSED);
}
