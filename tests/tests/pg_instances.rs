//! Leenpunt on PostgreSQL (issue 17): the app starts on a fresh database with the demo data,
//! and two instances on one database, booking the last units of a kit type at the same
//! time, never book more than there are.
//!
//! Needs `LEENPUNT_TEST_PG_URL` (see docs/postgres.md); without it the tests say they were
//! skipped and pass, unless `LEENPUNT_TEST_REQUIRE_PG=1`.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_tests::{PgDatabase, TestApp, DEMO_PASSWORD};
use serde_json::json;

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
    let url = url.to_owned();
    TestApp::spawn_configured(move |c| c.database_url = Some(url)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "the PostgreSQL port is not through the demo start-up yet (docs/postgres.md, \"Where it stands\"); run with --ignored"]
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
#[ignore = "the PostgreSQL port is not through the demo start-up yet (docs/postgres.md, \"Where it stands\"); run with --ignored"]
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
