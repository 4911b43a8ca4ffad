//! The desk's offline queue against the real server: hand-overs and returns sent with an
//! `Idempotency-Key` are applied once however often they are replayed (one loan line, one
//! receipt), the same key for another scan is refused, and a reservation cancelled while
//! the desk was offline answers a stable conflict with nothing written.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::handover::{HandoverOutcome, ReturnOutcome};
use leenpunt_shared::offline::{verdict, ConflictReason, ServerAnswer, Verdict};
use leenpunt_shared::{Problem, Reservation};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const DESK: &str = "ambassadeur@demo.leenpunt.be";

async fn book(app: &TestApp, cookie: &str, quantity: u32) -> Reservation {
    let r = app
        .post_json(
            cookie,
            "/api/v1/reservations",
            &json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge",
                     "pickup_date": "2026-12-02", "return_date": "2026-12-09", "quantity": quantity }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

/// A JSON POST as the desk's queue sends it: with its key.
async fn send(
    app: &TestApp,
    cookie: &str,
    path: &str,
    key: &str,
    body: &serde_json::Value,
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("cookie", cookie)
        .header("origin", app.base.clone())
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

const RECEIPTS: &str = "SELECT count(*) FROM outbox WHERE to_addr = 'juf@school.be' \
                        AND subject LIKE 'Ontvangstbewijs%'";

#[tokio::test]
async fn a_replayed_hand_over_is_recorded_once_with_one_receipt() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let teacher = app.teacher("juf@school.be", "126763", &hash).await;
    let id = book(&app, &teacher, 1).await.id.0;
    let code = app.label_code("BB-K-01").await;
    app.set_time("2026-12-02T09:00:00Z");
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let path = format!("/api/v1/reservations/{id}/handover");

    let mut answers = Vec::new();
    for _ in 0..3 {
        let r = send(&app, &desk, &path, "scan-1", &json!({ "code": code })).await;
        assert_eq!(r.status(), 200);
        answers.push(r.json::<HandoverOutcome>().await.unwrap());
    }
    // Every replay gets the first answer (not "already"): the queue marks it synced.
    assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
    assert_eq!((answers[0].remaining, answers[0].already), (0, false));
    assert_eq!(count(&app, "SELECT count(*) FROM loan_lines").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE action = 'unit.handover'"
        )
        .await,
        1
    );
    assert_eq!(count(&app, RECEIPTS).await, 1, "one receipt");

    // The same key for another scan is refused, and writes nothing.
    let other = app.label_code("BB-K-02").await;
    let r = send(&app, &desk, &path, "scan-1", &json!({ "code": other })).await;
    assert_eq!(r.status(), 422);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.errors[0].field, "Idempotency-Key");
    assert_eq!(count(&app, "SELECT count(*) FROM loan_lines").await, 1);

    // A key is the desk member's own: another desk's key of the same name is another scan.
    let admin = app
        .login("beheerder@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let r = send(&app, &admin, &path, "scan-1", &json!({ "code": code })).await;
    assert_eq!(r.status(), 200);
    assert!(r.json::<HandoverOutcome>().await.unwrap().already);

    // A replayed return: one return, one ticket for the missing part.
    app.set_time("2026-12-09T10:00:00Z");
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let body = json!({ "code": code, "parts": [{ "name": "Bee-Bot robot", "counted": 5 }],
                       "damage": "" });
    let mut answers = Vec::new();
    for _ in 0..2 {
        let r = send(&app, &desk, "/api/v1/returns", "scan-2", &body).await;
        assert_eq!(r.status(), 200);
        answers.push(r.json::<ReturnOutcome>().await.unwrap());
    }
    assert_eq!(answers[0], answers[1]);
    assert!(answers[0].to_maintenance && !answers[0].already);
    assert_eq!(
        count(&app, "SELECT count(*) FROM maintenance_tickets").await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE action = 'unit.return'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM desk_idempotency").await,
        2,
        "only writes keep their key"
    );

    // Kept a week, then forgotten by the daily job.
    app.set_time("2026-12-17T10:00:00Z");
    leenpunt_server::service::handover::daily(&app.state.db, app.state.clock.as_ref(), "http://x")
        .await
        .unwrap();
    assert_eq!(
        count(&app, "SELECT count(*) FROM desk_idempotency").await,
        0
    );
}

#[tokio::test]
async fn a_reservation_cancelled_while_the_desk_was_offline_is_a_conflict_with_nothing_written() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let teacher = app.teacher("juf@school.be", "126763", &hash).await;
    let id = book(&app, &teacher, 1).await.id.0;
    // Another school's reservation (a school books a kit once at a time).
    let colleague = app.teacher("meester@school.be", "023417", &hash).await;
    let other = book(&app, &colleague, 1).await.id.0;
    let code = app.label_code("BB-K-01").await;
    app.set_time("2026-12-02T09:00:00Z");
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(
            &desk,
            &format!("/api/v1/reservations/{id}/cancel"),
            &json!({ "reason": "De school belde af" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let before = count(&app, "SELECT count(*) FROM outbox").await;

    let path = format!("/api/v1/reservations/{id}/handover");
    for _ in 0..2 {
        let r = send(&app, &desk, &path, "scan-9", &json!({ "code": code })).await;
        assert_eq!(r.status(), 409);
        let p: Problem = r.json().await.unwrap();
        assert_eq!(p.kind, "/problems/reservation-closed");
        // The queue's own reading of this answer: a red line, reservation closed.
        let answer = ServerAnswer::Problem {
            status: 409,
            kind: p.kind.clone(),
            message: p.detail.clone().unwrap_or_default(),
        };
        assert!(matches!(
            verdict(&answer),
            Verdict::Conflict(ConflictReason::ReservationClosed, _)
        ));
    }
    assert_eq!(count(&app, "SELECT count(*) FROM loan_lines").await, 0);
    assert_eq!(
        count(&app, "SELECT count(*) FROM desk_idempotency").await,
        0
    );
    assert_eq!(count(&app, "SELECT count(*) FROM outbox").await, before);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE action = 'unit.handover'"
        )
        .await,
        0
    );

    // A unit that went into maintenance meanwhile: its own stable type and reason.
    let maintenance = app.label_code("BB-K-03").await;
    let r = send(
        &app,
        &desk,
        &format!("/api/v1/reservations/{other}/handover"),
        "scan-10",
        &json!({ "code": maintenance }),
    )
    .await;
    assert_eq!(r.status(), 409);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.kind, "/problems/unit-in-maintenance");
    assert_eq!(
        ConflictReason::from_problem_type(&p.kind),
        ConflictReason::UnitInMaintenance
    );
    assert_eq!(count(&app, "SELECT count(*) FROM loan_lines").await, 0);
}

#[tokio::test]
async fn a_bad_key_is_a_clear_field_error() {
    let app = TestApp::spawn().await;
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let long = "k".repeat(201);
    let r = send(
        &app,
        &desk,
        "/api/v1/returns",
        &long,
        &json!({ "code": "BB-K-01" }),
    )
    .await;
    assert_eq!(r.status(), 422);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.errors[0].field, "Idempotency-Key");
}

#[tokio::test]
async fn the_service_worker_is_served_for_the_desk_and_signing_out_clears_it() {
    let app = TestApp::spawn().await;
    let r = app.get("/sw.js").await;
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(h["cache-control"], "no-cache");
    let sw = r.text().await.unwrap();
    // It answers desk pages and hashed files only: never an API answer.
    assert!(sw.contains("'/balie/'") && sw.contains("caches.delete"));
    assert!(!sw.contains("/api/"));
    assert_eq!(app.get("/desk.js").await.status(), 200);

    // Desk pages load the registering script; the catalogue and home do not.
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    for page in ["/balie/vandaag", "/balie/scan"] {
        let html = app.get_as(&desk, page).await.text().await.unwrap();
        assert!(html.contains(r#"src="/desk.js""#), "{page}");
    }
    for page in ["/", "/catalogus"] {
        let html = app.get_as(&desk, page).await.text().await.unwrap();
        assert!(!html.contains("/desk.js"), "{page}");
    }

    // Both ways of signing out tell the browser to forget the kept pages and the queue.
    let r = app
        .client
        .delete(app.url("/api/v1/session"))
        .header("cookie", &desk)
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(r.headers()["clear-site-data"], r#""cache", "storage""#);
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let r = app
        .client
        .post(app.url("/afmelden"))
        .header("cookie", &desk)
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["clear-site-data"], r#""cache", "storage""#);
}
