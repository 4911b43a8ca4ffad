//! One request is one hand-over at the desk (issue 20): scanning units of any line of a
//! sent cart fills the right line, a wrong unit is refused and writes nothing, one
//! receipt lists every line, a return comes back in two parts, and 50 concurrent scans of
//! the same request record each unit once. The clock starts on Friday 27 November 2026.

use leenpunt_shared::cart::CartSubmitted;
use leenpunt_shared::handover::{RequestDeskScreen, RequestHandoverOutcome, RequestReturnOutcome};
use leenpunt_shared::{Problem, Reservation, ReservationStatus};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const DESK: &str = "ambassadeur@demo.leenpunt.be";
/// STEM-uitleendienst, no training, units EL-01..EL-03.
const PROEF: &str = "proefjeskoffer-elektriciteit";
/// STEM-uitleendienst, no training, units MAG-01, MAG-02.
const MAGNET: &str = "ontdekkoffer-magnetisme";

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// The teacher sends a cart of `lines` (kit, quantity) at the Brugge desk for 2–9 December;
/// answers the request's id and its lines.
async fn send_cart(app: &TestApp, lines: &[(&str, u32)]) -> (i64, Vec<Reservation>) {
    let t = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = app
        .put_json(
            &t,
            "/api/v1/cart",
            &json!({ "pickup_date": "2026-12-02", "return_date": "2026-12-09" }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    for (kit, quantity) in lines {
        let r = app
            .post_json(
                &t,
                "/api/v1/cart/lines",
                &json!({ "kit": kit, "pickup_point": "stem-rtc-brugge", "quantity": quantity }),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }
    let r = app.post_json(&t, "/api/v1/cart/submit", &json!({})).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sent: CartSubmitted = r.json().await.unwrap();
    assert_eq!(sent.requests.len(), 1);
    let request = sent.requests.into_iter().next().unwrap();
    (request.id, request.reservations)
}

async fn scan(app: &TestApp, desk: &str, request: i64, code: &str) -> reqwest::Response {
    app.post_json(
        desk,
        &format!("/api/v1/requests/{request}/handover"),
        &json!({ "code": code }),
    )
    .await
}

async fn kind(r: reqwest::Response) -> String {
    r.json::<Problem>().await.unwrap().kind
}

async fn written(app: &TestApp) -> (i64, i64, i64) {
    (
        count(app, "SELECT count(*) FROM loan_lines").await,
        count(app, "SELECT count(*) FROM outbox").await,
        count(
            app,
            "SELECT count(*) FROM reservations WHERE status = 'afgehaald'",
        )
        .await,
    )
}

#[tokio::test]
async fn scans_fill_the_right_lines_one_receipt_lists_all_and_the_return_comes_in_two_parts() {
    let app = TestApp::spawn().await;
    let (request, lines) = send_cart(&app, &[(PROEF, 2), (MAGNET, 1)]).await;
    let (proef, magnet) = (lines[0].id, lines[1].id);
    assert_eq!(lines[0].kit_slug, PROEF);
    app.set_time("2026-12-02T09:00:00Z");
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();

    // The desk's day lists both lines as one request.
    let today: leenpunt_shared::handover::TodayScreen = app
        .get_as(&desk, "/api/v1/desk/today")
        .await
        .json()
        .await
        .unwrap();
    let refs: Vec<i64> = today
        .requests
        .iter()
        .filter(|r| r.request == request)
        .map(|r| r.reservation.0)
        .collect();
    assert_eq!(refs.len(), 2, "{today:?}");

    // A unit of the second line first: it fills that line.
    let r = scan(&app, &desk, request, &app.label_code("MAG-01").await).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let o: RequestHandoverOutcome = r.json().await.unwrap();
    assert_eq!(o.reservation, magnet);
    assert_eq!(
        (o.line_remaining, o.remaining, o.handed_over),
        (0, 2, false)
    );

    // Wrong units are refused and write nothing: a kit type the request does not hold,
    // a unit of a full line, a unit in maintenance (BB-K-03 is one, but not in the
    // request either), an unknown code.
    let before = written(&app).await;
    let r = scan(&app, &desk, request, &app.label_code("BB-K-01").await).await;
    assert_eq!(r.status(), 409);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.kind, "/problems/unit-not-in-request");
    assert!(
        p.detail.as_deref().unwrap_or("").contains("Proefjeskoffer"),
        "{p:?}"
    );
    assert_eq!(
        kind(scan(&app, &desk, request, &app.label_code("MAG-02").await).await).await,
        "/problems/all-units-handed-over"
    );
    assert_eq!(
        kind(scan(&app, &desk, request, "000000000").await).await,
        "/problems/unknown-code"
    );
    assert_eq!(written(&app).await, before, "a refused scan writes nothing");

    // Typed by inventory code, then a repeat scan (nothing changes), then the last one.
    let o: RequestHandoverOutcome = scan(&app, &desk, request, "el-01")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((o.reservation, o.unit.as_str()), (proef, "EL-01"));
    assert_eq!((o.line_remaining, o.remaining, o.already), (1, 1, false));
    let o: RequestHandoverOutcome = scan(&app, &desk, request, "EL-01")
        .await
        .json()
        .await
        .unwrap();
    assert!(o.already);
    assert_eq!(o.remaining, 1);
    let receipts = "SELECT count(*) FROM outbox WHERE subject LIKE 'Ontvangstbewijs%'";
    assert_eq!(count(&app, receipts).await, 0, "no receipt before the end");
    let o: RequestHandoverOutcome = scan(&app, &desk, request, &app.label_code("EL-02").await)
        .await
        .json()
        .await
        .unwrap();
    assert!(o.handed_over);
    assert_eq!(o.remaining, 0);

    // One receipt for the request, listing every line and unit; none per line.
    assert_eq!(count(&app, receipts).await, 1);
    let body: String = sqlx::query_scalar(
        "SELECT body FROM outbox WHERE subject LIKE 'Ontvangstbewijs%' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    for expected in [
        "2 × Proefjeskoffer elektriciteit en stroomkringen: EL-01, EL-02",
        "1 × Ontdekkoffer magnetisme: MAG-01",
    ] {
        assert!(body.contains(expected), "{body}");
    }
    let screen: RequestDeskScreen = app
        .get_as(&desk, &format!("/api/v1/requests/{request}/handover"))
        .await
        .json()
        .await
        .unwrap();
    assert!(screen.handed_over);
    assert_eq!((screen.missing, screen.out), (0, 3));
    let mut units: Vec<&str> = screen.receipt.iter().map(|l| l.unit.as_str()).collect();
    units.sort_unstable();
    assert_eq!(units, ["EL-01", "EL-02", "MAG-01"]);
    // A further unit of a full line is refused.
    assert_eq!(
        kind(scan(&app, &desk, request, "EL-03").await).await,
        "/problems/all-units-handed-over"
    );

    // The return, in two parts. A unit not out on the request is refused first.
    let back = |code: &'static str| {
        let (app, desk) = (&app, &desk);
        async move {
            app.post_json(
                desk,
                &format!("/api/v1/requests/{request}/returns"),
                &json!({ "code": code }),
            )
            .await
        }
    };
    let r = back("EL-03").await;
    assert_eq!(r.status(), 409);
    let before = written(&app).await;
    let r = back("MAG-01").await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let o: RequestReturnOutcome = r.json().await.unwrap();
    assert_eq!((o.still_out, o.all_back), (2, false));
    assert!(o.outcome.loan_complete, "the magnet line is back");
    assert_ne!(written(&app).await, before);
    let screen: RequestDeskScreen = app
        .get_as(&desk, &format!("/api/v1/requests/{request}/handover"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(screen.out, 2, "what is still out");
    assert_eq!(screen.lines[0].out, 2);
    assert_eq!(
        screen.lines[1].reservation.status,
        ReservationStatus::Returned
    );
    assert_eq!(
        screen.lines[0].reservation.status,
        ReservationStatus::PickedUp
    );

    // The rest, later (a unit of another request would be refused: see above).
    app.set_time("2026-12-09T10:00:00Z");
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    for (code, out) in [("EL-01", 1), ("EL-02", 0)] {
        let o: RequestReturnOutcome = app
            .post_json(
                &desk,
                &format!("/api/v1/requests/{request}/returns"),
                &json!({ "code": code }),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(o.still_out, out);
        assert_eq!(o.all_back, out == 0);
    }
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT status FROM reservations WHERE request_id = $1 ORDER BY id")
            .bind(request)
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(statuses, ["teruggebracht", "teruggebracht"]);

    // Not signed in: 401; a teacher: 404 (no desk of theirs).
    let r = app
        .client
        .get(app.url(&format!("/api/v1/requests/{request}/handover")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let t = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = scan(&app, &t, request, "EL-03").await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn fifty_concurrent_scans_of_one_request_record_each_unit_once() {
    let app = TestApp::spawn().await;
    let (request, _) = send_cart(&app, &[(PROEF, 3), (MAGNET, 2)]).await;
    app.set_time("2026-12-02T09:00:00Z");
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let codes = ["EL-01", "EL-02", "EL-03", "MAG-01", "MAG-02"];
    let mut scans = tokio::task::JoinSet::new();
    for i in 0..50 {
        let client = app.client.clone();
        let url = app.url(&format!("/api/v1/requests/{request}/handover"));
        let (desk, origin) = (desk.clone(), app.base.clone());
        let code = codes[i % codes.len()];
        scans.spawn(async move {
            let r = client
                .post(url)
                .header("cookie", desk)
                .header("origin", origin)
                .header("idempotency-key", format!("scan-{i}"))
                .json(&json!({ "code": code }))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<RequestHandoverOutcome>().await.ok())
        });
    }
    let mut fresh = Vec::new();
    while let Some(done) = scans.join_next().await {
        let (status, outcome) = done.unwrap();
        assert_eq!(status, 200, "every scan is answered");
        let o = outcome.unwrap();
        if !o.already {
            fresh.push(o.unit);
        }
    }
    fresh.sort();
    assert_eq!(fresh, ["EL-01", "EL-02", "EL-03", "MAG-01", "MAG-02"]);
    assert_eq!(count(&app, "SELECT count(*) FROM loan_lines").await, 5);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE subject LIKE 'Ontvangstbewijs%'"
        )
        .await,
        1,
        "one receipt"
    );
    // A retry with a key already used gets its first answer again, writing nothing.
    let r = app
        .client
        .post(app.url(&format!("/api/v1/requests/{request}/handover")))
        .header("cookie", desk.clone())
        .header("origin", app.base.clone())
        .header("idempotency-key", "scan-0")
        .json(&json!({ "code": "EL-01" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(count(&app, "SELECT count(*) FROM loan_lines").await, 5);
}

/// Returns of one request take the request's lock (on PostgreSQL; SQLite's writer orders
/// them anyway), so 50 concurrent returns of its five units, ten of each with keys of their
/// own, decide one after the other: each unit comes back once, each fresh return sees one
/// unit fewer out (4, 3, 2, 1, 0), and both lines end as returned, each told once.
#[tokio::test]
async fn fifty_concurrent_returns_of_one_request_take_each_unit_back_once() {
    let app = TestApp::spawn().await;
    let (request, _) = send_cart(&app, &[(PROEF, 3), (MAGNET, 2)]).await;
    app.set_time("2026-12-02T09:00:00Z");
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let codes = ["EL-01", "EL-02", "EL-03", "MAG-01", "MAG-02"];
    for code in codes {
        let r = scan(&app, &desk, request, code).await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    let mails_before = count(&app, "SELECT count(*) FROM outbox").await;
    app.set_time("2026-12-09T10:00:00Z");
    // A week later: a fresh sign-in (the session has lapsed).
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let mut returns = tokio::task::JoinSet::new();
    for i in 0..50 {
        let client = app.client.clone();
        let url = app.url(&format!("/api/v1/requests/{request}/returns"));
        let (desk, origin) = (desk.clone(), app.base.clone());
        let code = codes[i % codes.len()];
        returns.spawn(async move {
            let r = client
                .post(url)
                .header("cookie", desk)
                .header("origin", origin)
                .header("idempotency-key", format!("return-{i}"))
                .json(&json!({ "code": code }))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let text = r.text().await.unwrap();
            (status, text)
        });
    }
    let mut fresh = Vec::new();
    while let Some(done) = returns.join_next().await {
        let (status, text) = done.unwrap();
        assert_eq!(status, 200, "every return is answered: {text}");
        let o: RequestReturnOutcome = serde_json::from_str(&text).unwrap();
        if !o.outcome.already {
            fresh.push((o.still_out, o.outcome.unit, o.all_back));
        }
    }
    fresh.sort();
    let still_out: Vec<u32> = fresh.iter().map(|f| f.0).collect();
    assert_eq!(still_out, [0, 1, 2, 3, 4], "one unit fewer out each time");
    let mut units: Vec<&str> = fresh.iter().map(|f| f.1.as_str()).collect();
    units.sort();
    assert_eq!(units, codes, "each unit taken back once");
    assert_eq!(
        fresh.iter().filter(|f| f.2).count(),
        1,
        "only the last fresh return finds everything back"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM loan_lines WHERE returned_at IS NOT NULL"
        )
        .await,
        5
    );
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT status FROM reservations WHERE request_id = $1 ORDER BY id")
            .bind(request)
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(statuses, ["teruggebracht", "teruggebracht"]);
    assert_eq!(
        count(&app, "SELECT count(*) FROM outbox").await - mails_before,
        2,
        "each line's return told once"
    );
}
