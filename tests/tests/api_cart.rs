//! A teacher's cart over HTTP (issue 20): keeping it, checking each line, sending it as
//! one request per pickup point, all or nothing or partial, idempotent retries, and 50
//! carts racing for the last unit of one of their lines. The clock is fixed on Friday
//! 27 November 2026.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::cart::{Cart, CartCheck, CartSubmitted};
use leenpunt_shared::{Problem, ReservationStatus};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
/// STEM-uitleendienst (Bee-Bot training required), five units, one in maintenance.
const BEE_BOT: &str = "bee-bot-set-klein";
/// STEM-uitleendienst, no training, three units.
const PROEF: &str = "proefjeskoffer-elektriciteit";
/// STEM-uitleendienst, no training, two units, Brugge and Roeselare.
const MAGNET: &str = "ontdekkoffer-magnetisme";
/// MOS (another partner service), four units, Brugge and Roeselare.
const MOS: &str = "mos-afvalsorteerkoffer";
/// STEM-uitleendienst, one unit, Kortrijk (open Monday, Wednesday, Friday), needs approval.
const CAMERA: &str = "koffer-warmtecamera-energieverlies";

fn line(kit: &str, point: &str, quantity: u32) -> serde_json::Value {
    json!({ "kit": kit, "pickup_point": point, "quantity": quantity })
}

async fn login(app: &TestApp, email: &str) -> String {
    app.login(email, DEMO_PASSWORD).await.expect("signs in")
}

/// Adds a line and answers the cart.
async fn add(app: &TestApp, cookie: &str, body: serde_json::Value) -> Cart {
    let r = app.post_json(cookie, "/api/v1/cart/lines", &body).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

async fn set_dates(app: &TestApp, cookie: &str, pickup: &str, ret: &str) {
    let r = app
        .put_json(
            cookie,
            "/api/v1/cart",
            &json!({ "pickup_date": pickup, "return_date": ret }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

async fn check(app: &TestApp, cookie: &str) -> CartCheck {
    let r = app
        .post_json(cookie, "/api/v1/cart/check", &json!({}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// Reservations, requests and waiting-list places: what a refused sending must not write.
async fn written(app: &TestApp) -> (i64, i64, i64) {
    (
        count(app, "SELECT count(*) FROM reservations").await,
        count(app, "SELECT count(*) FROM requests").await,
        count(app, "SELECT count(*) FROM waitlist").await,
    )
}

#[tokio::test]
async fn a_cart_across_two_partners_becomes_two_requests() {
    let app = TestApp::spawn().await;
    let t = login(&app, TEACHER).await;
    // Empty at first; bad lines are refused with the field to fix.
    let empty: Cart = app.get_as(&t, "/api/v1/cart").await.json().await.unwrap();
    assert!(empty.lines.is_empty());
    let r = app
        .post_json(&t, "/api/v1/cart/lines", &line(BEE_BOT, "mos-brugge", 0))
        .await;
    assert_eq!(r.status(), 422);
    let p: Problem = r.json().await.unwrap();
    let fields: Vec<&str> = p.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["quantity", "pickup_point"], "{p:?}");
    let r = app.post_json(&t, "/api/v1/cart/submit", &json!({})).await;
    assert_eq!(r.status(), 422, "an empty cart cannot be sent");

    set_dates(&app, &t, "2026-12-08", "2026-12-10").await;
    add(&app, &t, line(BEE_BOT, "stem-rtc-brugge", 1)).await;
    // The same kit type, point and dates adds to that line.
    let cart = add(&app, &t, line(BEE_BOT, "stem-rtc-brugge", 1)).await;
    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.lines[0].quantity, 2);
    add(&app, &t, line(PROEF, "stem-rtc-brugge", 1)).await;
    let cart = add(&app, &t, line(MOS, "mos-brugge", 1)).await;
    assert_eq!(cart.lines.len(), 3);
    // The cart is kept on the server: another sign-in (another device) sees it.
    let t2 = login(&app, TEACHER).await;
    let again: Cart = app.get_as(&t2, "/api/v1/cart").await.json().await.unwrap();
    assert_eq!(again, cart);

    let verdicts = check(&app, &t).await;
    assert!(verdicts.all_fit, "{verdicts:?}");
    assert!(verdicts
        .lines
        .iter()
        .all(|l| l.status == Some(ReservationStatus::Confirmed)));
    // Checking holds nothing.
    assert_eq!(written(&app).await, (0, 0, 0));

    let send = |key: &'static str| {
        app.client
            .post(app.url("/api/v1/cart/submit"))
            .header("cookie", t.clone())
            .header("origin", app.base.clone())
            .header("idempotency-key", key)
            .json(&json!({ "note": "STEM-week" }))
            .send()
    };
    let r = send("cart-1").await.unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sent: CartSubmitted = r.json().await.unwrap();
    assert_eq!(sent.requests.len(), 2, "one request per pickup point");
    assert_ne!(sent.requests[0].pickup_point, sent.requests[1].pickup_point);
    assert_eq!(sent.requests[0].reservations.len(), 2);
    assert_eq!(sent.requests[1].reservations.len(), 1);
    assert_eq!(sent.requests[1].reservations[0].kit_slug, MOS);
    assert!(sent.requests[0]
        .reservations
        .iter()
        .all(|r| r.note == "STEM-week" && r.status == ReservationStatus::Confirmed));
    assert_eq!(written(&app).await, (3, 2, 0));
    // Each reservation knows its request.
    assert_eq!(
        count(
            &app,
            "SELECT count(DISTINCT request_id) FROM reservations WHERE request_id IS NOT NULL"
        )
        .await,
        2
    );
    // The cart is empty now, and the reservations are the teacher's like any other.
    let cart: Cart = app.get_as(&t, "/api/v1/cart").await.json().await.unwrap();
    assert!(cart.lines.is_empty() && cart.pickup_date.is_none());
    let mine: Vec<leenpunt_shared::Reservation> = app
        .get_as(&t, "/api/v1/reservations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.len(), 3);
    // A retry with the same key answers the same requests and books nothing more.
    let r = send("cart-1").await.unwrap();
    assert_eq!(r.status(), 201);
    let replayed: CartSubmitted = r.json().await.unwrap();
    assert_eq!(
        replayed.requests.iter().map(|r| r.id).collect::<Vec<_>>(),
        sent.requests.iter().map(|r| r.id).collect::<Vec<_>>()
    );
    assert_eq!(written(&app).await, (3, 2, 0));
    // The same key for another sending is refused.
    let r = app
        .client
        .post(app.url("/api/v1/cart/submit"))
        .header("cookie", t.clone())
        .header("origin", app.base.clone())
        .header("idempotency-key", "cart-1")
        .json(&json!({ "partial": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    // The one-per-school limit holds across carts: the Bee-Bot line again is refused.
    add(&app, &t, line(BEE_BOT, "stem-rtc-roeselare", 1)).await;
    set_dates(&app, &t, "2026-12-08", "2026-12-10").await;
    let verdicts = check(&app, &t).await;
    let problem = verdicts.lines[0].problem.as_ref().expect("a reason");
    assert_eq!(problem.kind, "/problems/school-limit");
}

#[tokio::test]
async fn a_missing_training_refuses_its_line_and_all_or_nothing_writes_nothing() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let t = app
        .untrained_teacher("juf@zeemeeuw.be", "126763", &hash)
        .await;
    set_dates(&app, &t, "2026-12-08", "2026-12-10").await;
    add(&app, &t, line(MOS, "mos-brugge", 1)).await;
    add(&app, &t, line(BEE_BOT, "stem-rtc-brugge", 1)).await;
    // A line of its own dates, on a Saturday: the single booking's closed-day message.
    add(
        &app,
        &t,
        json!({ "kit": PROEF, "pickup_point": "stem-rtc-brugge", "quantity": 1,
                "pickup_date": "2026-12-12", "return_date": "2026-12-15" }),
    )
    .await;
    let verdicts = check(&app, &t).await;
    assert!(!verdicts.all_fit);
    let [mos, bee, proef] = &verdicts.lines[..] else {
        panic!("three lines: {verdicts:?}")
    };
    assert!(mos.fits);
    assert!(!bee.fits && !bee.may_wait);
    let p = bee.problem.as_ref().unwrap();
    assert_eq!(p.kind, "/problems/training-required");
    assert_eq!(p.trainings[0].slug, "bee-bot-in-de-klas");
    assert!(!p.trainings[0].sessions.is_empty(), "with its sessions");
    assert!(!proef.fits);
    let p = proef.problem.as_ref().unwrap();
    assert_eq!(p.status, 422);
    assert_eq!(p.errors[0].field, "pickup_date");
    assert_eq!(proef.pickup_date.as_deref(), Some("2026-12-12"));

    // All or nothing: 409 naming the lines, nothing written, the cart kept.
    let r = app.post_json(&t, "/api/v1/cart/submit", &json!({})).await;
    assert_eq!(r.status(), 409);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.kind, "/problems/cart-refused");
    let detail = p.detail.unwrap();
    assert!(detail.contains("Er werd niets gereserveerd"), "{detail}");
    assert!(detail.contains("Bee-Bot"), "{detail}");
    assert_eq!(written(&app).await, (0, 0, 0));
    let cart: Cart = app.get_as(&t, "/api/v1/cart").await.json().await.unwrap();
    assert_eq!(cart.lines.len(), 3);

    // Partial: the line that fits is booked; the others stay in the cart (a training
    // and a closed day cannot wait).
    let r = app
        .post_json(&t, "/api/v1/cart/submit", &json!({ "partial": true }))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sent: CartSubmitted = r.json().await.unwrap();
    assert_eq!(sent.requests.len(), 1);
    assert_eq!(sent.requests[0].reservations[0].kit_slug, MOS);
    assert!(sent.waiting.is_empty());
    assert_eq!(sent.refused.len(), 2);
    assert_eq!(written(&app).await, (1, 1, 0));
    let cart: Cart = app.get_as(&t, "/api/v1/cart").await.json().await.unwrap();
    let left: Vec<&str> = cart.lines.iter().map(|l| l.kit.as_str()).collect();
    assert_eq!(left, [BEE_BOT, PROEF]);
    // Fixing the refused line (a weekday) and dropping the other makes it fit.
    let proef_id = cart.lines[1].id;
    let r = app
        .put_json(
            &t,
            &format!("/api/v1/cart/lines/{proef_id}"),
            &json!({ "kit": PROEF, "pickup_point": "stem-rtc-brugge", "quantity": 1,
                     "pickup_date": "2026-12-14", "return_date": "2026-12-16" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/cart/lines/{}", cart.lines[0].id)))
        .header("cookie", t.clone())
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(check(&app, &t).await.all_fit);
    // Another person's line is not found.
    let other = login(&app, TEACHER).await;
    let r = app
        .put_json(
            &other,
            &format!("/api/v1/cart/lines/{proef_id}"),
            &line(PROEF, "stem-rtc-brugge", 2),
        )
        .await;
    assert_eq!(r.status(), 404);
    // Anonymous: an empty visitor's cart, and no sending.
    let r = app.get("/api/v1/cart").await;
    assert_eq!(r.status(), 200);
    assert!(r.json::<Cart>().await.unwrap().lines.is_empty());
    let r = app
        .client
        .post(app.url("/api/v1/cart/submit"))
        .header("origin", app.base.clone())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn partial_books_what_fits_and_wait_lists_the_rest() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    // Another school takes both magnetism kits for those days.
    let other = app.teacher("juf@zeemeeuw.be", "126763", &hash).await;
    let r = app
        .post_json(
            &other,
            "/api/v1/reservations",
            &json!({ "kit": MAGNET, "pickup_point": "stem-rtc-brugge", "pickup_date": "2026-12-08",
                     "return_date": "2026-12-10", "quantity": 2 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let t = login(&app, TEACHER).await;
    set_dates(&app, &t, "2026-12-08", "2026-12-10").await;
    add(&app, &t, line(PROEF, "stem-rtc-brugge", 1)).await;
    add(&app, &t, line(MAGNET, "stem-rtc-brugge", 1)).await;
    let verdicts = check(&app, &t).await;
    let magnet = &verdicts.lines[1];
    assert!(!magnet.fits && magnet.may_wait);
    let p = magnet.problem.as_ref().unwrap();
    assert_eq!(p.kind, "/problems/not-enough-units");
    assert!(!p.alternatives.is_empty(), "the nearest dates that fit");
    let before = written(&app).await;
    let r = app
        .post_json(&t, "/api/v1/cart/submit", &json!({ "partial": true }))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sent: CartSubmitted = r.json().await.unwrap();
    assert_eq!(sent.requests.len(), 1);
    assert_eq!(sent.requests[0].reservations.len(), 1);
    assert_eq!(sent.waiting.len(), 1);
    assert_eq!(sent.waiting[0].kit_slug, MAGNET);
    assert!(sent.refused.is_empty());
    assert_eq!(written(&app).await, (before.0 + 1, before.1 + 1, 1));
    // One mail for the request, with the waiting line at the same point.
    let mails = teacher_mails(&app).await;
    let body = &mails.last().expect("a mail").1;
    assert!(body.contains(": bevestigd"), "{body}");
    assert!(
        body.contains(&format!("- 1 × {}: wachtlijst", sent.waiting[0].kit_title)),
        "{body}"
    );
    let cart: Cart = app.get_as(&t, "/api/v1/cart").await.json().await.unwrap();
    assert!(cart.lines.is_empty());
    // When the other school cancels, the waiting line is offered.
    let id = sqlx::query_scalar::<_, i64>(
        "SELECT id FROM reservations WHERE kit_type_id = (SELECT id FROM kit_types WHERE slug = $1)",
    )
    .bind(MAGNET)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let r = app
        .post_json(
            &other,
            &format!("/api/v1/reservations/{id}/cancel"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM waitlist WHERE status = 'aangeboden'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn fifty_carts_race_for_the_last_unit_of_one_line() {
    let app = TestApp::spawn().await;
    // Lift the per-school limits so every refusal is about units.
    sqlx::query("UPDATE kit_types SET max_per_school = 1000 WHERE slug IN ($1, $2)")
        .bind(CAMERA)
        .bind(MOS)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let hash = hash_password(DEMO_PASSWORD);
    let schools: Vec<String> =
        sqlx::query_scalar("SELECT instellingsnummer FROM schools ORDER BY id LIMIT 50")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(schools.len(), 50);
    let mut cookies = Vec::new();
    for (i, school) in schools.iter().enumerate() {
        let cookie = app
            .untrained_teacher(&format!("mand{i}@school.be"), school, &hash)
            .await;
        set_dates(&app, &cookie, "2026-12-08", "2026-12-10").await;
        add(&app, &cookie, line(MOS, "mos-brugge", 1)).await;
        // The camera at Kortrijk on days of its own (open Monday, Wednesday, Friday).
        add(
            &app,
            &cookie,
            json!({ "kit": CAMERA, "pickup_point": "stem-rtc-kortrijk", "quantity": 1,
                    "pickup_date": "2026-12-07", "return_date": "2026-12-09" }),
        )
        .await;
        cookies.push(cookie);
    }
    let mut set = tokio::task::JoinSet::new();
    for cookie in cookies {
        let request = app
            .client
            .post(app.url("/api/v1/cart/submit"))
            .header("cookie", cookie)
            .header("origin", app.base.clone())
            .json(&json!({}));
        set.spawn(async move {
            let r = request.send().await.expect("answer");
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            (status, body)
        });
    }
    let mut sent = 0;
    while let Some(answer) = set.join_next().await {
        let (status, body) = answer.unwrap();
        match status {
            201 => {
                let s: CartSubmitted = serde_json::from_str(&body).unwrap();
                assert_eq!(s.requests.len(), 2, "two pickup points: {body}");
                assert!(s.requests.iter().all(|r| r.reservations.len() == 1));
                sent += 1;
            }
            409 => assert!(body.contains("/problems/cart-refused"), "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(sent, 1, "the camera's one unit goes to exactly one cart");
    let camera_held = count(
        &app,
        "SELECT CAST(coalesce(sum(quantity), 0) AS BIGINT) FROM reservations r JOIN kit_types k ON k.id = r.kit_type_id \
         WHERE k.slug = 'koffer-warmtecamera-energieverlies' AND r.status IN ('aangevraagd', 'bevestigd')",
    )
    .await;
    assert_eq!(camera_held, 1, "never overbooked");
    // Every cart all or nothing: the MOS line was booked exactly for the cart that won.
    let mos_held = count(
        &app,
        "SELECT count(*) FROM reservations r JOIN kit_types k ON k.id = r.kit_type_id \
         WHERE k.slug = 'mos-afvalsorteerkoffer'",
    )
    .await;
    assert_eq!(mos_held, 1);
    assert_eq!(written(&app).await, (2, 2, 0));
    assert_eq!(
        count(&app, "SELECT count(*) FROM cart_lines").await,
        98,
        "the 49 refused carts are kept"
    );
}

/// The `leenpunt_cart=…` pair a response sets, if any.
fn cart_cookie_of(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("leenpunt_cart="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn a_visitor_fills_a_cart_and_signing_in_adds_it_to_their_own() {
    let app = TestApp::spawn().await;
    // The teacher already has a MOS line on the server.
    let t = login(&app, TEACHER).await;
    add(&app, &t, line(MOS, "mos-brugge", 1)).await;

    // Anonymously, in another browser: a cart kept in a cookie.
    let send = |method: reqwest::Method, path: &str, jar: &str, body: serde_json::Value| {
        app.client
            .request(method, app.url(path))
            .header("cookie", jar.to_owned())
            .header("origin", app.base.clone())
            .json(&body)
            .send()
    };
    let r = send(
        reqwest::Method::POST,
        "/api/v1/cart/lines",
        "",
        line(MOS, "mos-brugge", 1),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    let mut jar = cart_cookie_of(&r).expect("the cart's cookie");
    let r = send(
        reqwest::Method::POST,
        "/api/v1/cart/lines",
        &jar,
        line(PROEF, "stem-rtc-brugge", 2),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 201);
    jar = cart_cookie_of(&r).unwrap();
    let cart: Cart = r.json().await.unwrap();
    assert_eq!(cart.lines.len(), 2);
    assert_eq!(
        cart.lines[1].kit_title,
        "Proefjeskoffer elektriciteit en stroomkringen"
    );
    // Bad lines are refused as for a person; the cookie is not changed.
    let r = send(
        reqwest::Method::POST,
        "/api/v1/cart/lines",
        &jar,
        line(PROEF, "mos-brugge", 1),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    assert!(cart_cookie_of(&r).is_none());
    let r = send(
        reqwest::Method::PUT,
        "/api/v1/cart",
        &jar,
        json!({ "pickup_date": "2026-12-08", "return_date": "2026-12-10" }),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    jar = cart_cookie_of(&r).unwrap();
    // Checking and sending need a person (the school, the trainings).
    let r = send(reqwest::Method::POST, "/api/v1/cart/check", &jar, json!({}))
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = app
        .client
        .get(app.url("/api/v1/cart"))
        .header("cookie", jar.clone())
        .send()
        .await
        .unwrap();
    let seen: Cart = r.json().await.unwrap();
    assert_eq!(seen.lines.len(), 2);
    assert_eq!(seen.pickup_date.as_deref(), Some("2026-12-08"));

    // Signing in adds it to the teacher's own cart and clears the cookie.
    let r = app
        .client
        .post(app.url("/api/v1/session"))
        .header("cookie", jar.clone())
        .header("origin", app.base.clone())
        .json(&json!({ "email": TEACHER, "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(cart_cookie_of(&r).as_deref(), Some("leenpunt_cart="));
    let cart: Cart = app.get_as(&t, "/api/v1/cart").await.json().await.unwrap();
    let lines: Vec<(&str, u32)> = cart
        .lines
        .iter()
        .map(|l| (l.kit.as_str(), l.quantity))
        .collect();
    assert_eq!(lines, [(MOS, 2), (PROEF, 2)], "equal lines add up");
    assert_eq!(cart.pickup_date.as_deref(), Some("2026-12-08"));
    let verdicts = check(&app, &t).await;
    assert!(verdicts.all_fit, "{verdicts:?}");
}

/// The mails queued for the demo teacher, oldest first, as (subject, body).
async fn teacher_mails(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body FROM outbox WHERE to_addr = $1 ORDER BY id")
        .bind(TEACHER)
        .fetch_all(app.state.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn one_mail_per_request_listing_every_line() {
    let app = TestApp::spawn().await;
    let t = login(&app, TEACHER).await;
    let before = teacher_mails(&app).await.len();
    // Three lines at one pickup point: one request, one mail.
    set_dates(&app, &t, "2026-12-08", "2026-12-10").await;
    add(&app, &t, line(BEE_BOT, "stem-rtc-brugge", 2)).await;
    add(&app, &t, line(PROEF, "stem-rtc-brugge", 1)).await;
    add(&app, &t, line(MAGNET, "stem-rtc-brugge", 1)).await;
    let r = app.post_json(&t, "/api/v1/cart/submit", &json!({})).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sent: CartSubmitted = r.json().await.unwrap();
    assert_eq!(sent.requests.len(), 1);
    let mails = teacher_mails(&app).await;
    assert_eq!(
        mails.len(),
        before + 1,
        "one mail for the request: {mails:?}"
    );
    let (subject, body) = &mails[before];
    let point = &sent.requests[0].pickup_point;
    assert_eq!(subject, &format!("Je aanvraag: 4 kits in {point}"));
    for r in &sent.requests[0].reservations {
        assert!(
            body.contains(&format!("- {} × {}: bevestigd", r.quantity, r.kit_title)),
            "{body}"
        );
    }
    // Across two pickup points: two requests, two mails, each with its own lines.
    set_dates(&app, &t, "2026-12-15", "2026-12-17").await;
    add(&app, &t, line(PROEF, "stem-rtc-brugge", 1)).await;
    add(&app, &t, line(MOS, "mos-brugge", 1)).await;
    let r = app.post_json(&t, "/api/v1/cart/submit", &json!({})).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sent: CartSubmitted = r.json().await.unwrap();
    assert_eq!(sent.requests.len(), 2);
    let mails = teacher_mails(&app).await;
    assert_eq!(mails.len(), before + 3, "one mail per request: {mails:?}");
    for (request, (subject, body)) in sent.requests.iter().zip(&mails[before + 1..]) {
        assert_eq!(
            subject,
            &format!("Je aanvraag: 1 kit in {}", request.pickup_point)
        );
        let line = &request.reservations[0];
        assert!(
            body.contains(&format!("- 1 × {}: bevestigd", line.kit_title)),
            "{body}"
        );
        assert_eq!(body.matches("\n- ").count(), 1, "{body}");
    }
    // An English reader gets it in English; a retry with the same key queues nothing.
    sqlx::query("UPDATE users SET lang = 'en' WHERE email = $1")
        .bind(TEACHER)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    set_dates(&app, &t, "2026-12-08", "2026-12-10").await;
    add(&app, &t, line(MOS, "mos-brugge", 1)).await;
    let send = || {
        app.client
            .post(app.url("/api/v1/cart/submit"))
            .header("cookie", t.clone())
            .header("origin", app.base.clone())
            .header("idempotency-key", "mail-once")
            .json(&json!({}))
            .send()
    };
    let r = send().await.unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    assert_eq!(
        send().await.unwrap().status(),
        201,
        "the retry answers the same"
    );
    let mails = teacher_mails(&app).await;
    assert_eq!(mails.len(), before + 4, "{mails:?}");
    assert!(mails[before + 3].0.starts_with("Your request: 1 kit at "));
    assert!(
        mails[before + 3].1.contains(": confirmed"),
        "{}",
        mails[before + 3].1
    );
}

/// A teacher of two schools (`first` and `second`), signed in.
async fn teacher_of_two_schools(app: &TestApp, email: &str, first: &str, second: &str) -> String {
    use leenpunt_server::domain::policy::RoleGrant;
    let hash = hash_password(DEMO_PASSWORD);
    app.untrained_teacher(email, first, &hash).await;
    let school = app.state.db.school_id(second).await.unwrap().unwrap();
    let mut conn = app.state.db.writer().acquire().await.unwrap();
    let (user, _) = leenpunt_server::db::trainings::user_by_email(&mut conn, email)
        .await
        .unwrap()
        .unwrap();
    leenpunt_server::db::accounts::add_grant(
        &mut conn,
        user,
        &RoleGrant {
            role: leenpunt_shared::Role::Teacher,
            school: Some(school),
            partner: None,
        },
    )
    .await
    .unwrap();
    drop(conn);
    login(app, email).await
}

/// A teacher of several schools names the school; the per-school limit counts that
/// school's reservations, and the reservations are that school's.
#[tokio::test]
async fn a_teacher_of_two_schools_sends_for_the_school_chosen() {
    let app = TestApp::spawn().await;
    // One Proefjeskoffer per school at a time; the demo school (012345) has one already.
    sqlx::query("UPDATE kit_types SET max_per_school = 1 WHERE slug = $1")
        .bind(PROEF)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let demo = login(&app, TEACHER).await;
    let r = app
        .post_json(
            &demo,
            "/api/v1/reservations",
            &json!({ "kit": PROEF, "pickup_point": "stem-rtc-brugge",
                     "pickup_date": "2026-12-08", "return_date": "2026-12-10", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let t = teacher_of_two_schools(&app, "twee@school.be", "012345", "126763").await;
    set_dates(&app, &t, "2026-12-08", "2026-12-10").await;
    add(&app, &t, line(PROEF, "stem-rtc-brugge", 1)).await;

    // Without a school: which one? Nothing checked, nothing written.
    for path in ["/api/v1/cart/check", "/api/v1/cart/submit"] {
        let r = app.post_json(&t, path, &json!({})).await;
        assert_eq!(r.status(), 422, "{path}");
        let p: Problem = r.json().await.unwrap();
        assert_eq!(p.errors[0].field, "school", "{p:?}");
    }
    // For the demo school the limit is reached; for the other one it fits.
    let r = app
        .post_json(&t, "/api/v1/cart/check", &json!({ "school": "012345" }))
        .await;
    let verdicts: CartCheck = r.json().await.unwrap();
    let problem = verdicts.lines[0].problem.as_ref().expect("refused");
    assert_eq!(problem.kind, "/problems/school-limit");
    let r = app
        .post_json(&t, "/api/v1/cart/submit", &json!({ "school": "012345" }))
        .await;
    assert_eq!(r.status(), 409);
    // A school that is not theirs is refused.
    let r = app
        .post_json(&t, "/api/v1/cart/submit", &json!({ "school": "000000" }))
        .await;
    assert!(matches!(r.status().as_u16(), 403 | 422), "{}", r.status());
    assert_eq!(written(&app).await, (1, 0, 0));
    let r = app
        .post_json(&t, "/api/v1/cart/check", &json!({ "school": "126763" }))
        .await;
    assert!(r.json::<CartCheck>().await.unwrap().all_fit);
    let r = app
        .post_json(&t, "/api/v1/cart/submit", &json!({ "school": "126763" }))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sent: CartSubmitted = r.json().await.unwrap();
    let school: String = sqlx::query_scalar(
        "SELECT s.instellingsnummer FROM reservations r JOIN schools s ON s.id = r.school_id \
         WHERE r.id = $1",
    )
    .bind(sent.requests[0].reservations[0].id.0)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(school, "126763");
    assert_eq!(
        count(&app, "SELECT count(*) FROM requests r JOIN schools s ON s.id = r.school_id WHERE s.instellingsnummer = '126763'").await,
        1
    );
}

#[tokio::test]
async fn lines_loaded_together_each_keep_their_own_verdict() {
    // Lines at one point on the cart's dates are read in one query; each line must still
    // get its own kit type's verdict, in the cart's order.
    let app = TestApp::spawn().await;
    let t = login(&app, TEACHER).await;
    set_dates(&app, &t, "2026-12-08", "2026-12-10").await;
    add(&app, &t, line(MAGNET, "stem-rtc-brugge", 3)).await;
    add(&app, &t, line(PROEF, "stem-rtc-brugge", 1)).await;
    add(&app, &t, line(MOS, "mos-brugge", 1)).await;
    add(&app, &t, line(CAMERA, "stem-rtc-kortrijk", 1)).await;
    // The camera case stops being loan material after it was put in the cart.
    sqlx::query("UPDATE kit_types SET kind = 'lespakket' WHERE slug = $1")
        .bind(CAMERA)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let verdicts = check(&app, &t).await;
    let kits: Vec<&str> = verdicts.lines.iter().map(|l| l.kit.as_str()).collect();
    assert_eq!(kits, [MAGNET, PROEF, MOS, CAMERA]);
    let magnet = &verdicts.lines[0];
    assert!(!magnet.fits && !magnet.may_wait, "{magnet:?}");
    let fields = |i: usize| -> Vec<String> {
        let p = verdicts.lines[i].problem.as_ref().expect("a problem");
        p.errors.iter().map(|e| e.field.clone()).collect()
    };
    // Two units exist, three are asked: the quantity, as a single booking words it.
    assert_eq!(fields(0), ["quantity"]);
    assert!(verdicts.lines[1].fits, "{:?}", verdicts.lines[1]);
    assert!(verdicts.lines[2].fits, "{:?}", verdicts.lines[2]);
    let camera = &verdicts.lines[3];
    assert!(!camera.fits && !camera.may_wait);
    assert_eq!(fields(3), ["kit"], "no longer booked through Leenpunt");
    assert!(!verdicts.all_fit);
}
