//! Leenpunt on PostgreSQL (issue 17): the app starts on a fresh database with the demo data,
//! and two instances on one database, booking the last units of a kit type at the same
//! time, never book more than there are.
//!
//! Needs `LEENPUNT_TEST_PG_URL` (see docs/postgres.md); without it the tests say they were
//! skipped and pass, unless `LEENPUNT_TEST_REQUIRE_PG=1`.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_server::domain::clock::Clock;
use leenpunt_server::domain::mail::Mail;
use leenpunt_shared::{Email, Reservation};
use leenpunt_tests::smtp::SmtpSink;
use leenpunt_tests::{PgDatabase, TestApp, DEMO_PASSWORD};
use serde_json::json;
use std::time::Duration;

const ADMIN: &str = "beheerder@demo.leenpunt.be";
const PARTNER_ADMIN: &str = "partnerbeheer@demo.leenpunt.be";
const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const DESK: &str = "ambassadeur@demo.leenpunt.be";

const BEE_BOT: &str = "bee-bot-set-klein";

fn pg_url() -> Option<String> {
    match std::env::var("LEENPUNT_TEST_PG_URL") {
        Ok(url) => Some(url),
        Err(_) if std::env::var("LEENPUNT_TEST_REQUIRE_PG").as_deref() == Ok("1") => {
            panic!("LEENPUNT_TEST_REQUIRE_PG=1 but LEENPUNT_TEST_PG_URL is not set")
        }
        Err(_) => {
            eprintln!("skipped: LEENPUNT_TEST_PG_URL is not set");
            None
        }
    }
}

async fn on(url: &str) -> TestApp {
    on_with(url, None).await
}

async fn on_with(url: &str, smtp: Option<&str>) -> TestApp {
    let (url, smtp) = (url.to_owned(), smtp.map(str::to_owned));
    TestApp::spawn_configured(move |c| {
        c.database_url = Some(url);
        c.smtp_url = smtp;
    })
    .await
}

/// Two instances on one new PostgreSQL database (dropped with the returned value).
async fn two_instances(admin: &str, smtp: Option<&str>) -> (PgDatabase, TestApp, TestApp) {
    let db = PgDatabase::create(admin).await;
    let a = on_with(&db.url, smtp).await;
    let b = on_with(&db.url, smtp).await;
    (db, a, b)
}

/// Moves both instances' clocks.
fn set_time(apps: [&TestApp; 2], rfc3339: &str) {
    for app in apps {
        app.set_time(rfc3339);
    }
}

async fn book(app: &TestApp, cookie: &str, quantity: u32, pickup: &str, ret: &str) -> Reservation {
    let r = app
        .post_json(
            cookie,
            "/api/v1/reservations",
            &json!({ "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge", "pickup_date": pickup,
                     "return_date": ret, "quantity": quantity }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_app_starts_on_postgres_and_books() {
    let Some(admin) = pg_url() else { return };
    let db = PgDatabase::create(&admin).await;
    let app = on(&db.url).await;
    assert_eq!(app.state.db.engine(), leenpunt_server::db::Engine::Postgres);
    let kits: i64 = sqlx::query_scalar("SELECT count(*) FROM kit_types")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert!(kits > 0, "the demo catalogue is loaded");
    let hash = hash_password(DEMO_PASSWORD);
    let cookie = app.teacher("pg@school.be", "012345", &hash).await;
    let r = app
        .post_json(
            &cookie,
            "/api/v1/reservations",
            &json!({
                "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge",
                "pickup_date": "2026-12-08", "return_date": "2026-12-11", "quantity": 1
            }),
        )
        .await;
    let status = r.status().as_u16();
    assert_eq!(status, 201, "{}", r.text().await.unwrap());
    drop(app);
    drop(db);
}

/// Two instances on one database, 150 bookings of one day split over both: never more
/// units booked than the kit type has in service.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_never_overbook_the_last_units() {
    let Some(admin) = pg_url() else { return };
    let db = PgDatabase::create(&admin).await;
    let a = on(&db.url).await;
    let b = on(&db.url).await;
    let units: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM units u JOIN kit_types k ON k.id = u.kit_type_id \
         WHERE k.slug = $1 AND u.status = 'in-dienst'",
    )
    .bind(BEE_BOT)
    .fetch_one(a.state.db.pool())
    .await
    .unwrap();
    assert!(units > 0);
    let schools: Vec<String> =
        sqlx::query_scalar("SELECT instellingsnummer FROM schools ORDER BY id LIMIT 30")
            .fetch_all(a.state.db.pool())
            .await
            .unwrap();
    let hash = hash_password(DEMO_PASSWORD);
    let mut cookies = Vec::new();
    for (i, school) in schools.iter().enumerate() {
        // Each school may book one set at a time: many schools, half on each instance.
        let app = if i % 2 == 0 { &a } else { &b };
        let cookie = app
            .teacher(&format!("pg{i}@school.be"), school, &hash)
            .await;
        cookies.push((i % 2 == 0, cookie));
    }
    let mut all = tokio::task::JoinSet::new();
    for n in 0..150 {
        let (on_a, cookie) = cookies[n % cookies.len()].clone();
        let app = if on_a { &a } else { &b };
        let (client, base) = (app.client.clone(), app.base.clone());
        all.spawn(async move {
            client
                .post(format!("{base}/api/v1/reservations"))
                .header("cookie", &cookie)
                .header("origin", &base)
                .json(&json!({
                    "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge",
                    "pickup_date": "2026-12-15", "return_date": "2026-12-18", "quantity": 1
                }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let mut statuses = Vec::new();
    while let Some(s) = all.join_next().await {
        statuses.push(s.unwrap());
    }
    let created = statuses.iter().filter(|s| **s == 201).count() as i64;
    assert!(
        statuses
            .iter()
            .all(|s| matches!(*s, 201 | 409 | 422 | 429 | 503)),
        "{statuses:?}"
    );
    let held: i64 = sqlx::query_scalar(
        "SELECT CAST(coalesce(sum(r.quantity), 0) AS BIGINT) FROM reservations r \
         JOIN kit_types k ON k.id = r.kit_type_id WHERE k.slug = $1 \
         AND r.status IN ('aangevraagd', 'bevestigd') AND r.pickup_date = '2026-12-15'",
    )
    .bind(BEE_BOT)
    .fetch_one(a.state.db.pool())
    .await
    .unwrap();
    assert!(created > 0, "some bookings went through: {statuses:?}");
    assert!(
        held <= units,
        "{held} units booked of {units} ({created} acknowledged)"
    );
    drop((a, b));
    drop(db);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_made_on_one_instance_works_on_the_other() {
    let Some(admin) = pg_url() else { return };
    let (_db, a, b) = two_instances(&admin, None).await;
    let cookie = a.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let me = b.get_as(&cookie, "/api/v1/me").await;
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["email"], TEACHER);
    let out = b
        .client
        .delete(b.url("/api/v1/session"))
        .header("cookie", &cookie)
        .header("origin", b.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(a.get_as(&cookie, "/api/v1/me").await.status(), 401);
    let failures = "SELECT count(*) FROM login_failures WHERE email = $1";
    let before = count(&a, failures, TEACHER).await;
    assert!(a.login(TEACHER, "fout").await.is_err());
    assert!(b.login(TEACHER, "fout").await.is_err());
    assert_eq!(count(&b, failures, TEACHER).await, before + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_form_refused_on_one_instance_comes_back_filled_in_on_the_other() {
    let Some(admin_url) = pg_url() else { return };
    let (_db, a, b) = two_instances(&admin_url, None).await;
    let admin = a.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let school = [
        ("instellingsnummer", "12a456"),
        ("name", "Vrije Basisschool De Regenboog"),
        ("street", "Schoolstraat 1"),
        ("postcode", "8000"),
        ("municipality", "Brugge"),
        ("network", "katholiek"),
        ("levels", "kleuter;lager"),
    ];
    let r = a
        .client
        .post(a.url("/beheer/register/scholen"))
        .header("cookie", &admin)
        .header("origin", a.base.clone())
        .form(&school)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        back.starts_with("/beheer/register/scholen/nieuw?concept="),
        "{back}"
    );
    let page = b.get_as(&admin, &back).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Vrije Basisschool De Regenboog"), "kept");
    assert!(page.contains("Schoolstraat 1"), "kept");
    assert!(page.contains("id=\"error-instellingsnummer\""));
    let other = b.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let page = b.get_as(&other, &back).await.text().await.unwrap();
    assert!(
        !page.contains("Vrije Basisschool De Regenboog"),
        "only its owner's"
    );
}

/// One pass of every scheduled job, as an instance's scheduler runs it.
async fn jobs(app: &TestApp) {
    let settings = leenpunt_server::service::jobs::JobSettings {
        public_url: "x".into(),
        digest_hour: leenpunt_server::domain::reminders::DEFAULT_DIGEST_HOUR,
        retention: Default::default(),
    };
    leenpunt_server::service::jobs::run_once(&app.state.db, app.clock.as_ref(), &settings).await;
}

/// Both instances run every job at the same moment, three times.
async fn jobs_on_both(a: &TestApp, b: &TestApp) {
    for _ in 0..3 {
        tokio::join!(jobs(a), jobs(b));
    }
}

/// Each job occasion (a pickup reminder, an overdue loan, a desk's digest, a lapsed
/// waiting-list offer) is handled once and mailed once, though both instances run every
/// job at the same moment.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn jobs_on_two_instances_handle_each_occasion_once() {
    let Some(admin) = pg_url() else { return };
    let (_db, a, b) = two_instances(&admin, None).await;
    let hash = hash_password(DEMO_PASSWORD);
    let teacher = a.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    book(&a, &teacher, 1, "2026-12-07", "2026-12-10").await;
    let late = b.teacher("laat@school.be", "126763", &hash).await;
    let out = book(&b, &late, 1, "2026-12-02", "2026-12-04").await;
    set_time([&a, &b], "2026-12-02T09:00:00Z");
    let desk = a.login(DESK, DEMO_PASSWORD).await.unwrap();
    let code = a.label_code("BB-K-01").await;
    let r = a
        .post_json(
            &desk,
            &format!("/api/v1/reservations/{}/handover", out.id.0),
            &json!({ "code": code }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    set_time([&a, &b], "2026-12-05T10:00:00Z");
    jobs_on_both(&a, &b).await;
    let reminders =
        "SELECT count(*) FROM outbox WHERE to_addr = $1 AND subject LIKE 'Herinnering%'";
    assert_eq!(count(&a, reminders, TEACHER).await, 1);
    let overdue = "SELECT count(*) FROM outbox WHERE to_addr = $1 \
                   AND subject LIKE 'Je ontleende materiaal is te laat%'";
    assert_eq!(count(&a, overdue, "laat@school.be").await, 1);

    set_time([&a, &b], "2026-12-07T06:00:00Z");
    jobs_on_both(&a, &b).await;
    assert_eq!(count(&b, overdue, "laat@school.be").await, 1, "still one");
    let digests =
        "SELECT count(*) FROM outbox WHERE to_addr = $1 AND subject LIKE 'Je balie op 7 december%'";
    assert_eq!(count(&b, digests, DESK).await, 1);
    let overdue_since: Option<String> =
        sqlx::query_scalar("SELECT overdue_since FROM reservations WHERE id = $1")
            .bind(out.id.0)
            .fetch_one(b.state.db.pool())
            .await
            .unwrap();
    assert_eq!(overdue_since.as_deref(), Some("2026-12-05T10:00:00+00:00"));
    assert_eq!(count(&b, reminders, TEACHER).await, 1, "still one");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_outboxes_of_two_instances_deliver_each_mail_once() {
    let Some(admin) = pg_url() else { return };
    let sink = SmtpSink::start().await;
    let (_db, a, _b) = two_instances(&admin, Some(&sink.url)).await;
    const MAILS: usize = 60;
    for round in 0..3 {
        let mut tx = a.state.db.begin().await.unwrap();
        for i in 0..MAILS / 3 {
            let n = round * (MAILS / 3) + i;
            let mail = Mail {
                to: Email::parse(&format!("ontvanger{n}@school.be")).unwrap(),
                subject: format!("Bericht {n}"),
                body: "Hallo".into(),
            };
            leenpunt_server::db::mail::enqueue(&mut tx, &mail, &a.clock.now().to_rfc3339())
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    let unsent = "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND to_addr LIKE $1";
    for _ in 0..150 {
        if count(&a, unsent, "ontvanger%").await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(count(&a, unsent, "ontvanger%").await, 0, "all delivered");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let received = sink.received.lock().unwrap().clone();
    let mut to: Vec<String> = received
        .iter()
        .flat_map(|m| m.to.clone())
        .filter(|t| t.starts_with("ontvanger"))
        .collect();
    to.sort();
    let all = to.len();
    to.dedup();
    assert_eq!(to.len(), MAILS, "every mail arrived");
    assert_eq!(all, MAILS, "and none twice");
}
