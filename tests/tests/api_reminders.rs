//! Reminders before a pickup and a return: due on the right day, sent exactly once (also
//! by two instances at the same moment and after a missed run), in the borrower's
//! language, never for a cancelled reservation, never to someone who switched them off.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_server::service::reminders::{
    send_desk_digests, send_loan_reminders, send_session_reminders,
};
use leenpunt_shared::Reservation;
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const BEE_BOT: &str = "bee-bot-set-klein";
const URL: &str = "https://leenpunt.example";

async fn book(app: &TestApp, cookie: &str, pickup: &str, ret: &str) -> Reservation {
    let r = app
        .post_json(
            cookie,
            "/api/v1/reservations",
            &json!({ "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge", "pickup_date": pickup, "return_date": ret, "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

/// Reminder mails to an address: (subject, body).
async fn reminders(app: &TestApp, to: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT subject, body FROM outbox WHERE to_addr = $1 \
         AND (subject LIKE 'Herinnering%' OR subject LIKE 'Reminder%') ORDER BY id",
    )
    .bind(to)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap()
}

async fn run(app: &TestApp) -> usize {
    send_loan_reminders(&app.state.db, app.clock.as_ref(), URL)
        .await
        .unwrap()
}

async fn run_digests(app: &TestApp) -> usize {
    send_desk_digests(&app.state.db, app.clock.as_ref(), URL, 7)
        .await
        .unwrap()
}

/// Digest mails to an address about 7 or 8 December: (subject, body). (The app's start, on
/// 27 November, has its own.)
async fn digests(app: &TestApp, to: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT subject, body FROM outbox WHERE to_addr = $1 \
         AND (subject LIKE 'Je balie op 7 december%' OR subject LIKE 'Je balie op 8 december%') \
         ORDER BY id",
    )
    .bind(to)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap()
}

async fn run_sessions(app: &TestApp) -> usize {
    send_session_reminders(&app.state.db, app.clock.as_ref(), URL)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_pickup_reminder_goes_two_open_days_ahead_exactly_once() {
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    // Pickup Monday 7 December: two open days ahead is Thursday 3 December.
    let r = book(&app, &teacher, "2026-12-07", "2026-12-10").await;
    app.set_time("2026-12-02T09:00:00Z");
    assert_eq!(run(&app).await, 0, "Wednesday is too early");
    assert!(reminders(&app, TEACHER).await.is_empty());
    app.set_time("2026-12-03T09:00:00Z");
    assert_eq!(run(&app).await, 1);
    assert_eq!(run(&app).await, 0, "once per occasion");
    let mails = reminders(&app, TEACHER).await;
    assert_eq!(mails.len(), 1);
    let (subject, body) = &mails[0];
    assert_eq!(
        subject,
        "Herinnering: Bee-Bot set klein (6 robots) afhalen op 7 december 2026"
    );
    for part in [
        "1 × Bee-Bot set klein (6 robots)",
        "Afhalen: 7 december 2026",
        "Terugbrengen: 10 december 2026",
        &r.pickup_point,
        "https://leenpunt.example/mijn-reservaties",
        &format!(
            "https://leenpunt.example/api/v1/reservations/{}/ics",
            r.id.0
        ),
    ] {
        assert!(body.contains(part), "{part}: {body}");
    }
    // The day itself: nothing more.
    app.set_time("2026-12-07T07:00:00Z");
    assert_eq!(run(&app).await, 0);
}

#[tokio::test]
async fn two_instances_at_once_and_a_missed_run_still_send_one() {
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    book(&app, &teacher, "2026-12-07", "2026-12-10").await;
    // The scheduler was down on Thursday and Friday: Saturday catches up.
    app.set_time("2026-12-05T10:00:00Z");
    let (a, b) = tokio::join!(run(&app), run(&app));
    assert_eq!(a + b, 1, "one of the two instances sends it");
    assert_eq!(reminders(&app, TEACHER).await.len(), 1);
}

#[tokio::test]
async fn cancelled_moved_or_switched_off_reservations_get_no_stale_reminder() {
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = book(&app, &teacher, "2026-12-07", "2026-12-10").await;
    let cancel = app
        .post_json(
            &teacher,
            &format!("/api/v1/reservations/{}/cancel", r.id.0),
            &json!({}),
        )
        .await;
    assert_eq!(cancel.status(), 200);
    let hash = hash_password(DEMO_PASSWORD);
    let other = app.teacher("b@school.be", "126763", &hash).await;
    book(&app, &other, "2026-12-08", "2026-12-10").await;
    // The other teacher switches reminders off on their account.
    let off = app
        .put_json(&other, "/api/v1/me/reminders", &json!({ "on": false }))
        .await;
    assert_eq!(off.status(), 204);
    let me: serde_json::Value = app.get_as(&other, "/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["reminders"], false);
    app.set_time("2026-12-04T09:00:00Z");
    assert_eq!(run(&app).await, 0);
    assert!(reminders(&app, TEACHER).await.is_empty());
    assert!(reminders(&app, "b@school.be").await.is_empty());
}

#[tokio::test]
async fn the_return_reminder_comes_the_evening_before_in_the_borrowers_language() {
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = book(&app, &teacher, "2026-12-07", "2026-12-10").await;
    // Picked up (the hand-over itself is tested elsewhere), and the teacher reads English.
    sqlx::query("UPDATE reservations SET status = 'afgehaald' WHERE id = $1")
        .bind(r.id.0)
        .execute(&mut *app.state.db.writer().acquire().await.unwrap())
        .await
        .unwrap();
    sqlx::query("UPDATE users SET lang = 'en' WHERE email = $1")
        .bind(TEACHER)
        .execute(&mut *app.state.db.writer().acquire().await.unwrap())
        .await
        .unwrap();
    // 9 December 15:59 UTC is 16:59 in Brussels: not yet.
    app.set_time("2026-12-09T15:59:00Z");
    assert_eq!(run(&app).await, 0);
    app.set_time("2026-12-09T16:00:00Z");
    assert_eq!(run(&app).await, 1);
    assert_eq!(run(&app).await, 0);
    let mails = reminders(&app, TEACHER).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].0,
        "Reminder: return Bee-Bot set klein (6 robots) on 10 December 2026"
    );
    assert!(mails[0].1.contains("Tomorrow you return"), "{}", mails[0].1);
}

#[tokio::test]
async fn participants_and_trainers_are_reminded_the_day_before_a_session() {
    let app = TestApp::spawn().await;
    // The first session of the demo data still to come, with the demo teacher registered
    // and the demo trainer giving it.
    let (session, starts_at): (i64, String) = sqlx::query_as(
        "SELECT id, starts_at FROM training_sessions WHERE cancelled_at IS NULL \
         AND starts_at > '2026-11-28' ORDER BY starts_at LIMIT 1",
    )
    .fetch_one(app.state.db.pool())
    .await
    .expect("the demo data has a session to come");
    let mut conn = app.state.db.writer().acquire().await.unwrap();
    for (sql, email) in [
        ("INSERT OR IGNORE INTO training_registrations (session_id, user_id, status, created_at, updated_at) \
          SELECT $1, id, 'ingeschreven', '2026-11-27', '2026-11-27' FROM users WHERE email = $2", TEACHER),
        ("INSERT OR IGNORE INTO training_session_trainers (session_id, user_id) SELECT $1, id FROM users WHERE email = $2",
         "trainer@demo.leenpunt.be"),
    ] {
        sqlx::query(sql).bind(session).bind(email).execute(&mut *conn).await.unwrap();
    }
    drop(conn);
    let registered: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.email, u.name FROM training_registrations r JOIN users u ON u.id = r.user_id \
         WHERE r.session_id = $1 AND r.status = 'ingeschreven'",
    )
    .bind(session)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    let trainers: Vec<String> = sqlx::query_scalar(
        "SELECT u.email FROM training_session_trainers t JOIN users u ON u.id = t.user_id \
         WHERE t.session_id = $1",
    )
    .bind(session)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    let starts = chrono::DateTime::parse_from_rfc3339(&starts_at).unwrap();
    let day_before = (starts - chrono::Duration::days(1)).date_naive();
    // 06:59 UTC is 07:59 in Brussels in winter: not yet.
    app.set_time(&format!("{day_before}T06:59:00Z"));
    assert_eq!(
        run_sessions(&app).await,
        0,
        "not before 08:00 the day before"
    );
    app.set_time(&format!("{day_before}T07:00:00Z"));
    // Called off: nothing.
    let set_cancelled = |value: Option<&'static str>| {
        let app = &app;
        async move {
            sqlx::query("UPDATE training_sessions SET cancelled_at = $1 WHERE id = $2")
                .bind(value)
                .bind(session)
                .execute(&mut *app.state.db.writer().acquire().await.unwrap())
                .await
                .unwrap();
        }
    };
    set_cancelled(Some("2026-11-27")).await;
    assert_eq!(run_sessions(&app).await, 0, "a called-off session");
    set_cancelled(None).await;
    assert_eq!(run_sessions(&app).await, registered.len() + trainers.len());
    assert_eq!(run_sessions(&app).await, 0, "once");
    for (email, _) in &registered {
        let mails: Vec<(String, String)> = sqlx::query_as(
            "SELECT subject, body FROM outbox WHERE to_addr = $1 AND subject LIKE 'Herinnering: opleiding%'",
        )
        .bind(email)
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
        assert_eq!(mails.len(), 1, "{email}");
        assert!(mails[0].1.contains("Waar: "), "{}", mails[0].1);
    }
    for email in &trainers {
        let body: String = sqlx::query_scalar(
            "SELECT body FROM outbox WHERE to_addr = $1 AND subject LIKE 'Morgen:%'",
        )
        .bind(email)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
        for (_, name) in &registered {
            assert!(
                body.contains(name.as_str()),
                "the roster names {name}: {body}"
            );
        }
        assert!(
            body.contains(&format!("/opleidingen/sessies/{session}")),
            "{body}"
        );
    }
}

const DESK: &str = "ambassadeur@demo.leenpunt.be";

#[tokio::test]
async fn the_desk_gets_one_morning_digest_of_its_day_and_none_when_it_is_empty() {
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = book(&app, &teacher, "2026-12-07", "2026-12-10").await;
    // 06:59 in Brussels (UTC+1 in December): not yet.
    app.set_time("2026-12-07T05:59:00Z");
    assert_eq!(run_digests(&app).await, 0);
    assert!(digests(&app, DESK).await.is_empty());
    // From 07:00, two instances at once: one digest.
    app.set_time("2026-12-07T06:00:00Z");
    let (a, b) = tokio::join!(run_digests(&app), run_digests(&app));
    assert!(a + b >= 1, "the STEM desk has a pickup today");
    let mails = digests(&app, DESK).await;
    assert_eq!(mails.len(), 1, "one digest per person and day: {mails:#?}");
    let (subject, body) = &mails[0];
    assert!(
        subject.starts_with("Je balie op 7 december 2026: "),
        "{subject}"
    );
    for part in [
        "Af te halen (",
        &format!("1 × {} — ", r.kit_title),
        &r.school,
        &r.pickup_point,
        "https://leenpunt.example/balie/vandaag",
        "https://leenpunt.example/mijn-account",
    ] {
        assert!(body.contains(part), "{part}: {body}");
    }
    // Later that day and after a restart: nothing more.
    app.set_time("2026-12-07T15:00:00Z");
    assert_eq!(run_digests(&app).await, 0);
    assert_eq!(digests(&app, DESK).await.len(), 1);
    // The teacher never gets one; the reservation is not the partner admin's (MOS).
    assert!(digests(&app, TEACHER).await.is_empty());
    let mos: Vec<(String, String)> = digests(&app, "partnerbeheer@demo.leenpunt.be").await;
    assert!(mos.iter().all(|(_, b)| !b.contains(&r.school)), "{mos:?}");

    // The desk switches digests off: the next morning brings nothing, although the loan
    // is still on its list.
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let off = app
        .put_json(&desk, "/api/v1/me/reminders", &json!({ "on": false }))
        .await;
    assert_eq!(off.status(), 204);
    app.set_time("2026-12-08T06:30:00Z");
    run_digests(&app).await;
    assert_eq!(digests(&app, DESK).await.len(), 1);
}

#[tokio::test]
async fn an_empty_desk_day_sends_no_digest_but_is_decided_once() {
    let app = TestApp::spawn().await;
    // A new partner service without kits, and its ambassador.
    let hash = hash_password(DEMO_PASSWORD);
    app.teacher("balie@leeg.be", "126763", &hash).await;
    let mut conn = app.state.db.writer().acquire().await.unwrap();
    sqlx::query("INSERT INTO partners (slug, name) VALUES ('leeg', 'Lege dienst')")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO user_roles (user_id, role, partner_id) \
         SELECT u.id, 'ambassador', p.id FROM users u, partners p \
         WHERE u.email = 'balie@leeg.be' AND p.slug = 'leeg'",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    drop(conn);
    app.set_time("2026-12-07T06:00:00Z");
    run_digests(&app).await;
    assert!(digests(&app, "balie@leeg.be").await.is_empty());
    let decided: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM reminders_sent WHERE occasion LIKE 'digest:%:2026-12-07'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert!(decided >= 2, "every desk's day is decided, empty or not");
}
