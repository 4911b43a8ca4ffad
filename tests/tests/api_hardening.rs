//! Small holes closed (issue 12, item 8): ids reveal nothing, a teacher who left a school
//! loses its bookings, an Idempotency-Key cannot be reused for another booking.
//! The clock is fixed on Friday 27 November 2026.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};

const BEE_BOT: &str = "bee-bot-set-klein";

fn booking(pickup: &str, ret: &str) -> Value {
    json!({ "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge", "pickup_date": pickup, "return_date": ret, "quantity": 1 })
}

async fn book(app: &TestApp, cookie: &str, body: &Value) -> i64 {
    let r = app.post_json(cookie, "/api/v1/reservations", body).await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn another_partners_reservation_looks_missing_at_the_hand_over() {
    let app = TestApp::spawn().await;
    let teacher = app
        .teacher("juf@school.be", "012345", &hash_password(DEMO_PASSWORD))
        .await;
    let id = book(&app, &teacher, &booking("2026-12-07", "2026-12-10")).await;
    // The MOS partner admin does not handle STEM-uitleendienst's loans.
    let other = app
        .login("partnerbeheer@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let code: String = sqlx::query_scalar(
        "SELECT t.code FROM unit_tags t JOIN units u ON u.id = t.unit_id \
         WHERE u.inventory_code = 'BB-K-01' AND t.retired_at IS NULL",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let body = json!({ "code": code });
    let existing = app
        .post_json(
            &other,
            &format!("/api/v1/reservations/{id}/handover"),
            &body,
        )
        .await;
    let missing = app
        .post_json(&other, "/api/v1/reservations/999999/handover", &body)
        .await;
    assert_eq!(existing.status(), 404);
    assert_eq!(missing.status(), 404);
    let a: Value = existing.json().await.unwrap();
    let b: Value = missing.json().await.unwrap();
    assert_eq!(a, b, "the same answer for both");
    assert_eq!(
        app.get_as(&other, &format!("/balie/uitgifte/{id}"))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_teacher_who_left_the_school_loses_its_bookings() {
    let app = TestApp::spawn().await;
    let teacher = app
        .teacher(
            "vertrokken@school.be",
            "012345",
            &hash_password(DEMO_PASSWORD),
        )
        .await;
    let id = book(&app, &teacher, &booking("2026-12-07", "2026-12-10")).await;
    let feed = app
        .post_json(&teacher, "/api/v1/feeds", &json!({ "scope": "user" }))
        .await;
    assert_eq!(feed.status(), 201);
    let feed: Value = feed.json().await.unwrap();
    let feed_path = {
        let url = feed["url"].as_str().unwrap();
        let rest = url.split_once("://").unwrap().1;
        format!("/{}", rest.split_once('/').unwrap().1)
    };
    let ics = app.get(&feed_path).await.text().await.unwrap();
    assert!(ics.contains(&format!("reservation-{id}-")), "{ics}");
    // The school takes the teacher's role away.
    sqlx::query(
        "DELETE FROM user_roles WHERE role = 'teacher' AND user_id = \
         (SELECT id FROM users WHERE email = 'vertrokken@school.be')",
    )
    .execute(app.state.db.writer())
    .await
    .unwrap();
    assert_eq!(
        app.get_as(&teacher, &format!("/api/v1/reservations/{id}"))
            .await
            .status(),
        404
    );
    let cancel = app
        .post_json(
            &teacher,
            &format!("/api/v1/reservations/{id}/cancel"),
            &json!({}),
        )
        .await;
    assert_eq!(cancel.status(), 404);
    let extend = app
        .post_json(
            &teacher,
            &format!("/api/v1/reservations/{id}/extend"),
            &json!({ "return_date": "2026-12-11" }),
        )
        .await;
    assert_eq!(extend.status(), 404);
    let mine: Vec<Value> = app
        .get_as(&teacher, "/api/v1/reservations?scope=mine")
        .await
        .json()
        .await
        .unwrap();
    assert!(mine.is_empty(), "{mine:?}");
    let ics = app.get(&feed_path).await.text().await.unwrap();
    assert!(!ics.contains(&format!("reservation-{id}-")), "{ics}");
    // The reservation itself is still there for the school and the desk.
    let status: String = sqlx::query_scalar("SELECT status FROM reservations WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_ne!(status, "geannuleerd");
}

#[tokio::test]
async fn an_idempotency_key_is_for_one_booking_only() {
    let app = TestApp::spawn().await;
    let teacher = app
        .teacher("sleutel@school.be", "012345", &hash_password(DEMO_PASSWORD))
        .await;
    let send = |body: Value| {
        app.client
            .post(app.url("/api/v1/reservations"))
            .header("cookie", &teacher)
            .header("origin", app.base.clone())
            .header("idempotency-key", "sleutel-1")
            .json(&body)
            .send()
    };
    let first = send(booking("2026-12-07", "2026-12-10")).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send(booking("2026-12-07", "2026-12-10")).await.unwrap();
    assert_eq!(again.status(), 201, "a retry returns the first booking");
    assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);
    let other = send(booking("2026-12-14", "2026-12-17")).await.unwrap();
    assert_eq!(other.status(), 422);
    let problem: Value = other.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
    let n: i64 =
        sqlx::query_scalar("SELECT count(*) FROM reservations WHERE pickup_date = '2026-12-14'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(n, 0, "nothing booked for the other request");
}
