//! Reservations over HTTP against a real database: availability, booking, the rules'
//! refusals, the life cycle, idempotency and the last unit under 200 concurrent requests.
//! The clock is fixed on Friday 27 November 2026.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::{MonthAvailability, Problem, Reservation, ReservationStatus};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const DESK: &str = "ambassadeur@demo.leenpunt.be";
/// STEM-uitleendienst: lead time 3 open days, buffer 2, one per school, no approval;
/// five units, one of them in maintenance.
const BEE_BOT: &str = "bee-bot-set-klein";
/// STEM-uitleendienst, one unit, needs approval.
const CAMERA: &str = "koffer-warmtecamera-energieverlies";

fn booking(kit: &str, point: &str, pickup: &str, ret: &str, quantity: u32) -> serde_json::Value {
    json!({ "kit": kit, "pickup_point": point, "pickup_date": pickup, "return_date": ret, "quantity": quantity })
}

async fn month(app: &TestApp, kit: &str, month: &str) -> MonthAvailability {
    let r = app
        .get(&format!(
            "/api/v1/catalogue/{kit}/availability?month={month}"
        ))
        .await;
    assert_eq!(r.status(), 200);
    let mut months: Vec<MonthAvailability> = r.json().await.unwrap();
    months.remove(0)
}

#[tokio::test]
async fn availability_shows_free_units_closed_days_and_the_lead_time() {
    let app = TestApp::spawn().await;
    let m = month(&app, BEE_BOT, "2026-12").await;
    assert_eq!(m.month, "2026-12");
    assert_eq!(m.prev_month, "2026-11");
    assert_eq!(m.next_month, "2027-01");
    assert_eq!(m.first_weekday, 1, "1 December 2026 is a Tuesday");
    assert_eq!(m.units_in_service, 4);
    assert_eq!(m.days.len(), 31);
    let day = |d: usize| &m.days[d - 1];
    assert!(
        day(1).open && !day(1).bookable,
        "too soon: three open days of lead time"
    );
    assert!(
        day(2).bookable,
        "Wednesday 2 December is the earliest pickup"
    );
    assert!(!day(5).open && day(5).closed_reason.is_none(), "Saturday");
    assert!(
        !day(25).open && day(25).closed_reason.is_some(),
        "Christmas"
    );
    assert!(m.days.iter().all(|d| d.free == 4));
    // Twelve months in one call.
    let r = app
        .get(&format!(
            "/api/v1/catalogue/{BEE_BOT}/availability?month=2026-12&months=12"
        ))
        .await;
    let months: Vec<MonthAvailability> = r.json().await.unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[11].month, "2027-11");
    // Bad input.
    let r = app
        .get(&format!(
            "/api/v1/catalogue/{BEE_BOT}/availability?month=december"
        ))
        .await;
    assert_eq!(r.status(), 422);
    let r = app.get("/api/v1/catalogue/bestaat-niet/availability").await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn a_teacher_reserves_sees_it_and_cancels_it() {
    let app = TestApp::spawn().await;
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(
            &cookie,
            "/api/v1/reservations",
            &booking(BEE_BOT, "stem-rtc-brugge", "2026-12-07", "2026-12-10", 2),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/api/v1/reservations/"));
    let created: Reservation = r.json().await.unwrap();
    assert_eq!(created.status, ReservationStatus::Confirmed);
    assert_eq!(created.quantity, 2);
    assert_eq!(
        created.held_until, "2026-12-14",
        "two open days of buffer after Thursday"
    );
    assert_eq!(created.school, "Vrije Basisschool Sint-Lodewijk");

    // Availability counts it, buffer included.
    let m = month(&app, BEE_BOT, "2026-12").await;
    assert_eq!(m.days[6].free, 2);
    assert_eq!(m.days[13].free, 2);
    assert_eq!(m.days[14].free, 4);

    // Listed as the teacher's own.
    let mine: Vec<Reservation> = app
        .get_as(&cookie, "/api/v1/reservations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, created.id);

    // A confirmation mail went into the outbox in the same transaction.
    let mails: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE to_addr = $1 AND subject LIKE '%bevestigd%'",
    )
    .bind(TEACHER)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(mails, 1);

    // Cancel: the units are free again.
    let r = app
        .post_json(
            &cookie,
            &format!("/api/v1/reservations/{}/cancel", created.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let cancelled: Reservation = r.json().await.unwrap();
    assert_eq!(cancelled.status, ReservationStatus::Cancelled);
    let m = month(&app, BEE_BOT, "2026-12").await;
    assert!(m.days.iter().all(|d| d.free == 4));
    // Cancelling twice is refused with a clear message, not a 500.
    let r = app
        .post_json(
            &cookie,
            &format!("/api/v1/reservations/{}/cancel", created.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 409);
}

#[tokio::test]
async fn bad_requests_get_per_field_messages_and_write_nothing() {
    let app = TestApp::spawn().await;
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let cases = [
        // (body, field, words in the message)
        (
            booking(BEE_BOT, "stem-rtc-brugge", "2026-11-20", "2026-11-24", 1),
            "pickup_date",
            "voorbij",
        ),
        (
            booking(BEE_BOT, "stem-rtc-brugge", "2026-11-30", "2026-12-03", 1),
            "pickup_date",
            "2 december 2026",
        ),
        (
            booking(BEE_BOT, "stem-rtc-brugge", "2026-12-10", "2026-12-08", 1),
            "return_date",
            "voor de afhaaldag",
        ),
        (
            booking(BEE_BOT, "stem-rtc-brugge", "2026-12-07", "2026-12-10", 0),
            "quantity",
            "minstens 1",
        ),
        (
            booking(BEE_BOT, "stem-rtc-brugge", "2026-12-07", "2026-12-10", 9),
            "quantity",
            "maar 5",
        ),
        (
            booking(BEE_BOT, "stem-rtc-brugge", "2026-12-07", "2026-12-25", 1),
            "return_date",
            "gesloten",
        ),
        (
            booking(BEE_BOT, "stem-rtc-brugge", "2026-12-07", "2026-12-12", 1),
            "return_date",
            "gesloten",
        ),
        (
            booking(BEE_BOT, "stem-rtc-brugge", "2027-12-06", "2027-12-07", 1),
            "pickup_date",
            "ver vooruit",
        ),
        (
            booking(BEE_BOT, "stem-rtc-brugge", "2026-12-07", "2027-01-29", 1),
            "return_date",
            "hoogstens 21",
        ),
        (
            booking(BEE_BOT, "xr-junior-kortrijk", "2026-12-07", "2026-12-10", 1),
            "pickup_point",
            "afhaalpunt",
        ),
        (
            booking(BEE_BOT, "stem-rtc-brugge", "7/12/2026", "2026-12-10", 1),
            "pickup_date",
            "geldige datum",
        ),
    ];
    for (body, field, words) in cases {
        let r = app.post_json(&cookie, "/api/v1/reservations", &body).await;
        assert_eq!(r.status(), 422, "{body}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let p: Problem = r.json().await.unwrap();
        let e = p
            .errors
            .iter()
            .find(|e| e.field == field)
            .unwrap_or_else(|| panic!("no {field} error for {body}: {p:?}"));
        assert!(e.message.contains(words), "{field}: {}", e.message);
    }
    // Not JSON at all.
    let r = app
        .client
        .post(app.url("/api/v1/reservations"))
        .header("cookie", &cookie)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "malformed JSON cannot be read at all");
    let r = app
        .post_json(
            &cookie,
            "/api/v1/reservations",
            &booking(
                "bestaat-niet",
                "stem-rtc-brugge",
                "2026-12-07",
                "2026-12-10",
                1,
            ),
        )
        .await;
    assert_eq!(r.status(), 404);
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM reservations")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 0, "nothing written");
    // Anonymous and staff without a school cannot book.
    let anonymous = app
        .post_json(
            "",
            "/api/v1/reservations",
            &booking(BEE_BOT, "stem-rtc-brugge", "2026-12-07", "2026-12-10", 1),
        )
        .await;
    assert_eq!(anonymous.status(), 401);
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(
            &desk,
            "/api/v1/reservations",
            &booking(BEE_BOT, "stem-rtc-brugge", "2026-12-07", "2026-12-10", 1),
        )
        .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn a_full_kit_is_refused_with_the_nearest_dates_that_work() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let first = app.teacher("a@school.be", "126763", &hash).await;
    let second = app.teacher("b@school.be", "023417", &hash).await;
    let r = app
        .post_json(
            &first,
            "/api/v1/reservations",
            &booking(BEE_BOT, "stem-rtc-brugge", "2026-12-07", "2026-12-10", 4),
        )
        .await;
    assert_eq!(r.status(), 201);
    let r = app
        .post_json(
            &second,
            "/api/v1/reservations",
            &booking(BEE_BOT, "stem-rtc-brugge", "2026-12-09", "2026-12-11", 1),
        )
        .await;
    assert_eq!(r.status(), 409);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.kind, "/problems/not-enough-units");
    assert_eq!(p.title, "Niet genoeg exemplaren vrij");
    assert!(
        p.detail.as_deref().unwrap().contains("9 december 2026"),
        "{p:?}"
    );
    assert!(!p.alternatives.is_empty());
    // The first alternative really works.
    let alt = &p.alternatives[0];
    let r = app
        .post_json(
            &second,
            "/api/v1/reservations",
            &booking(
                BEE_BOT,
                "stem-rtc-brugge",
                &alt.pickup_date,
                &alt.return_date,
                1,
            ),
        )
        .await;
    assert_eq!(r.status(), 201, "{alt:?}");
    // One reservation per school at a time.
    let r = app
        .post_json(
            &second,
            "/api/v1/reservations",
            &booking(
                BEE_BOT,
                "stem-rtc-brugge",
                &alt.pickup_date,
                &alt.return_date,
                1,
            ),
        )
        .await;
    assert_eq!(r.status(), 409);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.kind, "/problems/school-limit");
}

#[tokio::test]
async fn a_retried_post_with_the_same_key_books_once() {
    let app = TestApp::spawn().await;
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let send = || {
        app.client
            .post(app.url("/api/v1/reservations"))
            .header("cookie", &cookie)
            .header("idempotency-key", "retry-42")
            .json(&booking(
                BEE_BOT,
                "stem-rtc-brugge",
                "2026-12-07",
                "2026-12-10",
                1,
            ))
            .send()
    };
    let a: Reservation = send().await.unwrap().json().await.unwrap();
    let second = send().await.unwrap();
    assert_eq!(second.status(), 201);
    let b: Reservation = second.json().await.unwrap();
    assert_eq!(a.id, b.id);
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM reservations")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn desk_staff_approve_and_reject_requests_of_their_own_partner_only() {
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &booking(CAMERA, "stem-rtc-kortrijk", "2026-12-07", "2026-12-10", 1),
        )
        .await;
    assert_eq!(r.status(), 201);
    let requested: Reservation = r.json().await.unwrap();
    assert_eq!(requested.status, ReservationStatus::Requested);

    // The desk sees it in its queue.
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let queue: Vec<Reservation> = app
        .get_as(&desk, "/api/v1/reservations?scope=desk&status=aangevraagd")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        queue.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![requested.id]
    );
    // A partner admin of another partner neither sees nor approves it.
    let other = app
        .login("partnerbeheer@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let theirs: Vec<Reservation> = app
        .get_as(&other, "/api/v1/reservations?scope=desk")
        .await
        .json()
        .await
        .unwrap();
    assert!(theirs.is_empty());
    let r = app
        .post_json(
            &other,
            &format!("/api/v1/reservations/{}/approve", requested.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 404);
    // The teacher cannot approve their own request.
    let r = app
        .post_json(
            &teacher,
            &format!("/api/v1/reservations/{}/approve", requested.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 403);
    // A rejection needs a reason.
    let r = app
        .post_json(
            &desk,
            &format!("/api/v1/reservations/{}/reject", requested.id),
            &json!({ "reason": " " }),
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_json(
            &desk,
            &format!("/api/v1/reservations/{}/approve", requested.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let approved: Reservation = r.json().await.unwrap();
    assert_eq!(approved.status, ReservationStatus::Confirmed);
    // Approving twice: the state moved on.
    let r = app
        .post_json(
            &desk,
            &format!("/api/v1/reservations/{}/approve", requested.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 409);
    // Staff cancel with a reason; the teacher reads it.
    let r = app
        .post_json(
            &desk,
            &format!("/api/v1/reservations/{}/cancel", requested.id),
            &json!({ "reason": "Camera defect" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let seen: Reservation = app
        .get_as(&teacher, &format!("/api/v1/reservations/{}", requested.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen.status, ReservationStatus::Cancelled);
    assert_eq!(seen.reason.as_deref(), Some("Camera defect"));
}

#[tokio::test]
async fn a_teacher_of_another_school_sees_nothing() {
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &booking(BEE_BOT, "stem-rtc-brugge", "2026-12-07", "2026-12-10", 1),
        )
        .await;
    let mine: Reservation = r.json().await.unwrap();
    let stranger = app
        .teacher("c@school.be", "126763", &hash_password(DEMO_PASSWORD))
        .await;
    let r = app
        .get_as(&stranger, &format!("/api/v1/reservations/{}", mine.id))
        .await;
    assert_eq!(r.status(), 404);
    let r = app
        .post_json(
            &stranger,
            &format!("/api/v1/reservations/{}/cancel", mine.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 404);
    let list: Vec<Reservation> = app
        .get_as(&stranger, "/api/v1/reservations")
        .await
        .json()
        .await
        .unwrap();
    assert!(list.is_empty());
    let r = app
        .get_as(&stranger, "/api/v1/reservations?scope=desk")
        .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn an_extension_is_granted_only_when_it_fits() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let a = app.teacher("a@school.be", "126763", &hash).await;
    let b = app.teacher("b@school.be", "023417", &hash).await;
    let first: Reservation = app
        .post_json(
            &a,
            "/api/v1/reservations",
            &booking(CAMERA, "stem-rtc-kortrijk", "2026-12-07", "2026-12-08", 1),
        )
        .await
        .json()
        .await
        .unwrap();
    // Held until Thursday 10 (two open days of buffer); the next loan starts Monday 14.
    let r = app
        .post_json(
            &b,
            "/api/v1/reservations",
            &booking(CAMERA, "stem-rtc-kortrijk", "2026-12-14", "2026-12-15", 1),
        )
        .await;
    assert_eq!(r.status(), 201);
    let path = format!("/api/v1/reservations/{}/extend", first.id);
    let r = app
        .post_json(&a, &path, &json!({ "return_date": "2026-12-09" }))
        .await;
    assert_eq!(r.status(), 200);
    let extended: Reservation = r.json().await.unwrap();
    assert_eq!(extended.return_date, "2026-12-09");
    assert_eq!(extended.held_until, "2026-12-11");
    let r = app
        .post_json(&a, &path, &json!({ "return_date": "2026-12-11" }))
        .await;
    assert_eq!(r.status(), 409, "the buffer would run into the next loan");
}

/// 200 requests at once for the last free unit: exactly one wins.
#[tokio::test]
async fn two_hundred_concurrent_requests_for_the_last_unit() {
    let app = TestApp::spawn().await;
    // Lift the one-per-school limit so every refusal is about units.
    sqlx::query("UPDATE kit_types SET max_per_school = 1000 WHERE slug = $1")
        .bind(CAMERA)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let hash = hash_password(DEMO_PASSWORD);
    let schools: Vec<String> =
        sqlx::query_scalar("SELECT instellingsnummer FROM schools ORDER BY id LIMIT 20")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    let mut cookies = Vec::new();
    for (i, school) in schools.iter().enumerate() {
        cookies.push(app.teacher(&format!("t{i}@school.be"), school, &hash).await);
    }
    let body = booking(CAMERA, "stem-rtc-kortrijk", "2026-12-07", "2026-12-10", 1);
    let mut set = tokio::task::JoinSet::new();
    for i in 0..200 {
        let cookie = cookies[i % cookies.len()].clone();
        let request = app
            .client
            .post(app.url("/api/v1/reservations"))
            .header("cookie", cookie)
            .header("origin", app.base.clone())
            .json(&body);
        set.spawn(async move {
            let r = request.send().await.expect("request");
            let status = r.status().as_u16();
            (status, Some(r))
        });
    }
    let results = set.join_all().await;
    let created = results.iter().filter(|(s, _)| *s == 201).count();
    let conflicts = results.iter().filter(|(s, _)| *s == 409).count();
    assert_eq!(created, 1);
    assert_eq!(conflicts, 199);
    for response in results
        .into_iter()
        .filter_map(|(s, r)| (s == 409).then_some(r))
        .take(3)
    {
        let p: Problem = response.unwrap().json().await.unwrap();
        assert_eq!(p.kind, "/problems/not-enough-units");
        assert!(p.detail.unwrap().contains("0 vrij"));
    }
    // The per-day invariant holds: never more held than in service.
    let m = month(&app, CAMERA, "2026-12").await;
    assert!(m.days.iter().all(|d| d.free <= m.units_in_service));
    let held: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(quantity), 0) FROM reservations WHERE kit_type_id = \
           (SELECT id FROM kit_types WHERE slug = $1) AND status IN ('aangevraagd', 'bevestigd')",
    )
    .bind(CAMERA)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(held, 1);
}

#[tokio::test]
async fn the_page_forms_cancel_and_come_back_with_a_message() {
    let app = TestApp::spawn().await;
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let mine: Reservation = app
        .post_json(
            &cookie,
            "/api/v1/reservations",
            &booking(BEE_BOT, "stem-rtc-brugge", "2026-12-07", "2026-12-10", 1),
        )
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .client
        .post(app.url(&format!("/reservaties/{}/annuleren", mine.id)))
        .header("cookie", &cookie)
        .header("origin", app.base.clone())
        .form(&[("next", "/mijn-reservaties")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("/mijn-reservaties?ok=annuleren&id={}", mine.id).as_str()
    );
    // Again: the reason comes back in the address, for the page to show.
    let r = app
        .client
        .post(app.url(&format!("/reservaties/{}/annuleren", mine.id)))
        .header("cookie", &cookie)
        .header("origin", app.base.clone())
        .form(&[("next", "/mijn-reservaties")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().contains("fout="));
    // From another site: refused.
    let r = app
        .client
        .post(app.url(&format!("/reservaties/{}/annuleren", mine.id)))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .form(&[("next", "/mijn-reservaties")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn the_catalogue_answers_what_is_free_in_a_period() {
    let app = TestApp::spawn().await;
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(
            &cookie,
            "/api/v1/reservations",
            &booking(BEE_BOT, "stem-rtc-brugge", "2026-12-07", "2026-12-10", 4),
        )
        .await;
    assert_eq!(r.status(), 201);
    let slugs = |results: leenpunt_shared::SearchResults| {
        results
            .items
            .into_iter()
            .map(|k| k.slug)
            .collect::<Vec<_>>()
    };
    let busy = slugs(app.search("q=bee-bot&from=2026-12-08&to=2026-12-09").await);
    assert!(!busy.contains(&BEE_BOT.to_owned()), "{busy:?}");
    assert!(busy.contains(&"bee-bot-set-groot".to_owned()), "{busy:?}");
    // The two-day buffer after the return still holds the units on Monday 14 December.
    let buffer = slugs(app.search("q=bee-bot&from=2026-12-14").await);
    assert!(!buffer.contains(&BEE_BOT.to_owned()));
    let later = slugs(app.search("q=bee-bot&from=2026-12-15&to=2026-12-18").await);
    assert!(later.contains(&BEE_BOT.to_owned()));
    // Only loan material can be free; lesson packages and visits are left out.
    let all = app.search("from=2026-12-15&to=2026-12-18").await;
    assert!(all
        .facets
        .kind
        .iter()
        .filter(|k| k.value != "uitleen")
        .all(|k| k.count == 0));
    assert!(all.total > 0 && all.total < app.search("").await.total);
    assert!(all
        .items
        .iter()
        .all(|k| k.kind == leenpunt_shared::KitKind::LoanMaterial));
    // A backwards or too long range is refused.
    let r = app
        .get("/api/v1/catalogue?from=2026-12-10&to=2026-12-01")
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .get("/api/v1/catalogue?from=2026-12-01&to=2028-12-01")
        .await;
    assert_eq!(r.status(), 422);
}

#[tokio::test]
async fn the_waiting_list_offers_freed_units_in_turn() {
    use leenpunt_server::domain::clock::FixedClock;
    use leenpunt_shared::WaitlistEntry;
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let a = app.teacher("a@school.be", "126763", &hash).await;
    let b = app.teacher("b@school.be", "023417", &hash).await;
    let c = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let week = booking(CAMERA, "stem-rtc-kortrijk", "2026-12-07", "2026-12-10", 1);
    let first: Reservation = app
        .post_json(&a, "/api/v1/reservations", &week)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        app.post_json(&b, "/api/v1/reservations", &week)
            .await
            .status(),
        409
    );
    // B and then C wait.
    let r = app.post_json(&b, "/api/v1/waitlist", &week).await;
    assert_eq!(r.status(), 201);
    let waiting: WaitlistEntry = r.json().await.unwrap();
    assert_eq!(waiting.status, "wachtend");
    let again = app.post_json(&b, "/api/v1/waitlist", &week).await;
    assert_eq!(again.status(), 409);
    assert_eq!(
        again.json::<Problem>().await.unwrap().kind,
        "/problems/already-waiting"
    );
    assert_eq!(
        app.post_json(&c, "/api/v1/waitlist", &week).await.status(),
        201
    );
    // Dates that are free need no waiting list.
    let free = booking(CAMERA, "stem-rtc-kortrijk", "2027-01-11", "2027-01-12", 1);
    let r = app.post_json(&c, "/api/v1/waitlist", &free).await;
    assert_eq!(
        r.json::<Problem>().await.unwrap().kind,
        "/problems/fits-now"
    );

    // A cancels: B, first in line, gets an offer that holds the unit for 48 hours.
    let r = app
        .post_json(
            &a,
            &format!("/api/v1/reservations/{}/cancel", first.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let offers: Vec<Reservation> = app
        .get_as(&b, "/api/v1/reservations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].status, ReservationStatus::Offered);
    assert!(offers[0]
        .offer_expires_at
        .as_deref()
        .unwrap()
        .starts_with("2026-11-29T09:00:00"));
    let mailed: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE to_addr = 'b@school.be' AND subject LIKE 'Er is plaats vrijgekomen%'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(mailed, 1);
    let m = month(&app, CAMERA, "2026-12").await;
    assert_eq!(m.days[7].free, 0, "the offer holds the unit");
    let c_list: Vec<Reservation> = app
        .get_as(&c, "/api/v1/reservations")
        .await
        .json()
        .await
        .unwrap();
    assert!(c_list.is_empty(), "C still waits");

    // B lets it lapse: two days later the scheduler's job moves the offer on to C.
    let later = FixedClock::on(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    let lapsed =
        leenpunt_server::service::reservations::lapse_offers(&app.state.db, &later, &app.base)
            .await
            .unwrap();
    assert_eq!(lapsed, 1);
    let b_list: Vec<Reservation> = app
        .get_as(&b, "/api/v1/reservations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b_list[0].status, ReservationStatus::Cancelled);
    let c_list: Vec<Reservation> = app
        .get_as(&c, "/api/v1/reservations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c_list.len(), 1);
    assert_eq!(c_list[0].status, ReservationStatus::Offered);

    // C accepts; the camera needs approval, so it becomes a request for the desk.
    let r = app
        .post_json(
            &c,
            &format!("/api/v1/reservations/{}/accept", c_list[0].id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Reservation>().await.unwrap().status,
        ReservationStatus::Requested
    );
    // Someone else cannot accept or see it.
    let r = app
        .post_json(
            &a,
            &format!("/api/v1/reservations/{}/accept", c_list[0].id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn leaving_the_waiting_list() {
    use leenpunt_shared::WaitlistEntry;
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let a = app.teacher("a@school.be", "126763", &hash).await;
    let b = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let week = booking(CAMERA, "stem-rtc-kortrijk", "2026-12-07", "2026-12-10", 1);
    assert_eq!(
        app.post_json(&a, "/api/v1/reservations", &week)
            .await
            .status(),
        201
    );
    let entry: WaitlistEntry = app
        .post_json(&b, "/api/v1/waitlist", &week)
        .await
        .json()
        .await
        .unwrap();
    let mine: Vec<WaitlistEntry> = app
        .get_as(&b, "/api/v1/waitlist")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    // Not someone else's to withdraw.
    let r = app
        .post_json(
            &a,
            &format!("/api/v1/waitlist/{}/withdraw", entry.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 404);
    let r = app
        .post_json(
            &b,
            &format!("/api/v1/waitlist/{}/withdraw", entry.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let mine: Vec<WaitlistEntry> = app
        .get_as(&b, "/api/v1/waitlist")
        .await
        .json()
        .await
        .unwrap();
    assert!(mine.is_empty());
}

#[tokio::test]
async fn units_leaving_service_flag_the_reservations_that_no_longer_fit() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let a = app.teacher("a@school.be", "126763", &hash).await;
    let b = app.teacher("b@school.be", "023417", &hash).await;
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let first: Reservation = app
        .post_json(
            &a,
            "/api/v1/reservations",
            &booking(BEE_BOT, "stem-rtc-brugge", "2026-12-07", "2026-12-10", 2),
        )
        .await
        .json()
        .await
        .unwrap();
    let second: Reservation = app
        .post_json(
            &b,
            "/api/v1/reservations",
            &booking(BEE_BOT, "stem-rtc-brugge", "2026-12-08", "2026-12-11", 2),
        )
        .await
        .json()
        .await
        .unwrap();
    // Teachers do not manage units.
    let r = app
        .post_json(
            &a,
            "/api/v1/units/BB-K-01/status",
            &json!({ "status": "onderhoud" }),
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = app
        .post_json(
            &desk,
            "/api/v1/units/BB-K-01/status",
            &json!({ "status": "kapot" }),
        )
        .await;
    assert_eq!(r.status(), 422);
    // Three units left for four booked: the younger reservation is at risk.
    let r = app
        .post_json(
            &desk,
            "/api/v1/units/BB-K-01/status",
            &json!({ "status": "onderhoud" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let outcome: serde_json::Value = r.json().await.unwrap();
    assert_eq!(outcome["flagged"], json!([second.id.0]));
    let seen: Reservation = app
        .get_as(&b, &format!("/api/v1/reservations/{}", second.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(seen.at_risk);
    let safe: Reservation = app
        .get_as(&a, &format!("/api/v1/reservations/{}", first.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(!safe.at_risk);
    let mailed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE to_addr = 'b@school.be' AND subject LIKE 'Let op%'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(mailed, 1);
    let flagged: Vec<Reservation> = app
        .get_as(&desk, "/api/v1/reservations?scope=desk&at_risk=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        flagged.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![second.id]
    );
    // Another unit comes back from maintenance: it fits again.
    let r = app
        .post_json(
            &desk,
            "/api/v1/units/BB-K-03/status",
            &json!({ "status": "in-dienst" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    let seen: Reservation = app
        .get_as(&b, &format!("/api/v1/reservations/{}", second.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(!seen.at_risk);
    // A retired unit stays retired.
    assert_eq!(
        app.post_json(
            &desk,
            "/api/v1/units/BB-K-02/status",
            &json!({ "status": "afgevoerd" })
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.post_json(
            &desk,
            "/api/v1/units/BB-K-02/status",
            &json!({ "status": "in-dienst" })
        )
        .await
        .status(),
        409
    );
}
