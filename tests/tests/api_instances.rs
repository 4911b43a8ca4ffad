//! Two server instances on one database (an SQLite file, or a PostgreSQL database when the
//! tests run there), as two processes behind a load balancer without sticky sessions: a
//! session, a refused form, the catalogue index, the scheduled jobs, the outbox and the last
//! unit are the same whichever instance answers. Each instance has its own pools, caches,
//! clock and background workers. The clocks start on Friday 27 November 2026; tests move
//! both together.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_server::domain::clock::Clock;
use leenpunt_server::domain::mail::Mail;
use leenpunt_shared::{Email, Reservation};
use leenpunt_tests::smtp::SmtpSink;
use leenpunt_tests::{SharedDatabase, TestApp, DEMO_PASSWORD};
use serde_json::json;
use std::time::Duration;

const ADMIN: &str = "beheerder@demo.leenpunt.be";
const PARTNER_ADMIN: &str = "partnerbeheer@demo.leenpunt.be";
const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const DESK: &str = "ambassadeur@demo.leenpunt.be";
const BEE_BOT: &str = "bee-bot-set-klein";
/// One unit.
const CAMERA: &str = "koffer-warmtecamera-energieverlies";

/// Two instances on one new database (kept while the returned value lives).
async fn two_instances(smtp: Option<&str>) -> (SharedDatabase, TestApp, TestApp) {
    let db = SharedDatabase::new().await;
    let config = |c: &mut leenpunt_server::config::Config| c.smtp_url = smtp.map(str::to_owned);
    let a = db.spawn_configured(config).await;
    let b = db.spawn_configured(config).await;
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

#[tokio::test]
async fn a_session_made_on_one_instance_works_on_the_other_until_it_ends_there() {
    let (_db, a, b) = two_instances(None).await;
    let cookie = a.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let me = b.get_as(&cookie, "/api/v1/me").await;
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["email"], TEACHER);
    // Signing out on B ends it on A too.
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
    // Failed logins count across instances: the throttle is in the database.
    let failures = |app: &TestApp| {
        let pool = app.state.db.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM login_failures WHERE email = $1")
                .bind(TEACHER)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = failures(&a).await;
    assert!(a.login(TEACHER, "fout").await.is_err());
    assert!(b.login(TEACHER, "fout").await.is_err());
    assert_eq!(failures(&b).await, before + 2);
}

async fn post_form(app: &TestApp, cookie: &str, path: &str, form: &[(&str, &str)]) -> String {
    let r = app
        .client
        .post(app.url(path))
        .header("cookie", cookie)
        .header("origin", app.base.clone())
        .form(form)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{path}: {}", r.status());
    r.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_form_refused_on_one_instance_comes_back_filled_in_on_the_other() {
    let (_db, a, b) = two_instances(None).await;
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
    let back = post_form(&a, &admin, "/beheer/register/scholen", &school).await;
    assert!(
        back.starts_with("/beheer/register/scholen/nieuw?concept="),
        "{back}"
    );
    let page = b.get_as(&admin, &back).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Vrije Basisschool De Regenboog"), "kept");
    assert!(page.contains("Schoolstraat 1"), "kept");
    assert!(
        page.contains("id=\"error-instellingsnummer\""),
        "the message sits at its field"
    );
    // Only for the one who typed it.
    let other = b.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let page = b.get_as(&other, &back).await.text().await.unwrap();
    assert!(!page.contains("Vrije Basisschool De Regenboog"));
    // Half an hour later it is gone, on both.
    set_time([&a, &b], "2026-11-27T09:31:00Z");
    for app in [&a, &b] {
        let page = app.get_as(&admin, &back).await.text().await.unwrap();
        assert!(!page.contains("Vrije Basisschool De Regenboog"));
    }
}

#[tokio::test]
async fn the_catalogue_index_of_one_instance_sees_a_kit_added_on_the_other() {
    let (_db, a, b) = two_instances(None).await;
    // B builds its index first.
    assert_eq!(b.search("q=xylofoonkwartet").await.total, 0);
    let version_before = b.state.db.catalogue_version().await.unwrap();
    let admin = a.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let rows = a.state.db.export_catalogue().await.unwrap();
    let row = rows
        .into_iter()
        .find(|r| r[0] == "mos-afvalsorteerkoffer")
        .unwrap();
    let mut new: serde_json::Map<String, serde_json::Value> =
        leenpunt_server::domain::import::CATALOGUE_COLUMNS
            .iter()
            .zip(row)
            .map(|(c, v)| ((*c).to_owned(), serde_json::Value::String(v)))
            .collect();
    new.insert("slug".into(), json!("mos-xylofoon"));
    new.insert("title".into(), json!("Xylofoonkwartet"));
    new.insert("units".into(), json!("MOS-RM-01"));
    let r = a
        .post_json(
            &admin,
            "/api/v1/admin/kits",
            &serde_json::Value::Object(new),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    assert!(b.state.db.catalogue_version().await.unwrap() > version_before);
    let found = b.search("q=xylofoonkwartet").await;
    assert_eq!(found.total, 1);
    assert_eq!(found.items[0].slug, "mos-xylofoon");
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

/// Both instances run every job at the same moment, twice.
async fn jobs_on_both(a: &TestApp, b: &TestApp) {
    for _ in 0..2 {
        tokio::join!(jobs(a), jobs(b));
    }
}

#[tokio::test]
async fn jobs_run_on_both_instances_at_once_mail_each_occasion_once() {
    let (_db, a, b) = two_instances(None).await;
    let hash = hash_password(DEMO_PASSWORD);
    let teacher = a.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    // A pickup on Monday 7 December (reminded from Thursday 3 December).
    book(&a, &teacher, 1, "2026-12-07", "2026-12-10").await;
    // A loan out 2–4 December, not brought back.
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

    // Saturday 5 December: the pickup reminder is due and the loan overdue, on both
    // instances at the same moment.
    set_time([&a, &b], "2026-12-05T10:00:00Z");
    jobs_on_both(&a, &b).await;
    let reminders =
        "SELECT count(*) FROM outbox WHERE to_addr = $1 AND subject LIKE 'Herinnering%'";
    assert_eq!(count(&a, reminders, TEACHER).await, 1);
    let overdue =
        "SELECT count(*) FROM outbox WHERE to_addr = $1 AND subject LIKE 'Je ontleende materiaal is te laat%'";
    assert_eq!(count(&a, overdue, "laat@school.be").await, 1);

    // Monday 7 December, 07:00 in Brussels: the desk's digest is due.
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

#[tokio::test]
async fn the_outboxes_of_two_instances_deliver_each_mail_once() {
    let sink = SmtpSink::start().await;
    let (_db, a, b) = two_instances(Some(&sink.url)).await;
    const MAILS: usize = 60;
    // Queued in a few transactions while both workers poll every second.
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
    // Give a second sender the time to (wrongly) send again.
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
    let attempts = "SELECT coalesce(max(attempts), 0) FROM outbox WHERE to_addr LIKE $1";
    assert_eq!(count(&b, attempts, "ontvanger%").await, 1);
}

/// 100 requests at once for the last free unit, half on each instance: exactly one wins.
#[tokio::test]
async fn a_hundred_requests_for_the_last_unit_over_two_instances_one_wins() {
    let (_db, a, b) = two_instances(None).await;
    // Lift the one-per-school limit so every refusal is about units.
    sqlx::query("UPDATE kit_types SET max_per_school = 1000 WHERE slug = $1")
        .bind(CAMERA)
        .execute(a.state.db.writer())
        .await
        .unwrap();
    let hash = hash_password(DEMO_PASSWORD);
    let schools: Vec<String> =
        sqlx::query_scalar("SELECT instellingsnummer FROM schools ORDER BY id LIMIT 10")
            .fetch_all(a.state.db.pool())
            .await
            .unwrap();
    let mut cookies = Vec::new();
    for (i, school) in schools.iter().enumerate() {
        cookies.push(a.teacher(&format!("t{i}@school.be"), school, &hash).await);
    }
    let body = json!({ "kit": CAMERA, "pickup_point": "stem-rtc-kortrijk",
                       "pickup_date": "2026-12-07", "return_date": "2026-12-10", "quantity": 1 });
    let mut set = tokio::task::JoinSet::new();
    for i in 0..100 {
        let app = if i % 2 == 0 { &a } else { &b };
        let request = app
            .client
            .post(app.url("/api/v1/reservations"))
            .header("cookie", cookies[i % cookies.len()].clone())
            .header("origin", app.base.clone())
            .json(&body);
        set.spawn(async move { request.send().await.expect("request").status().as_u16() });
    }
    let statuses = set.join_all().await;
    let created = statuses.iter().filter(|s| **s == 201).count();
    let refused = statuses.iter().filter(|s| **s == 409).count();
    assert_eq!(created, 1, "{statuses:?}");
    assert_eq!(refused, 99, "{statuses:?}");
    let held: i64 = sqlx::query_scalar(
        "SELECT CAST(coalesce(sum(quantity), 0) AS BIGINT) FROM reservations WHERE kit_type_id = \
           (SELECT id FROM kit_types WHERE slug = $1) AND status IN ('aangevraagd', 'bevestigd')",
    )
    .bind(CAMERA)
    .fetch_one(b.state.db.pool())
    .await
    .unwrap();
    assert_eq!(held, 1);
}

#[tokio::test]
async fn two_instances_starting_at_once_on_a_new_database_both_come_up() {
    let db = SharedDatabase::new().await;
    let (a, b) = tokio::join!(db.spawn(), db.spawn());
    let partners: i64 = sqlx::query_scalar("SELECT count(*) FROM partners")
        .fetch_one(a.state.db.pool())
        .await
        .unwrap();
    assert!(partners > 0);
    assert_eq!(b.search("").await.total, a.search("").await.total);
}
