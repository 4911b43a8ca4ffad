//! `leenpunt migrate-to postgres://…` (issue 17): an SQLite installation with the demo data
//! and real activity through the API (bookings, a cart sent, a hand-over, a training with
//! attendance, mails in the outbox, audit rows, an uploaded photo) is moved into a fresh
//! PostgreSQL database through the command line's entry point. The test then compares every
//! table on both sides by its own means (its own column list, order and rendering, not the
//! tool's), checks that a second move without `--force` is refused and writes nothing, and
//! that `--force` replaces the data again; finally the app started on the moved database
//! signs the demo teacher in and shows their reservations.
//!
//! Needs `LEENPUNT_TEST_PG_URL` (a server where it may create databases; `cargo xtask test`
//! starts one, `cargo xtask pg` prints one). Without it the test says it was skipped, unless
//! `LEENPUNT_TEST_REQUIRE_PG=1`, which makes it fail.

use leenpunt_server::cli::{run_csv, Command};
use leenpunt_server::config::Config;
use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::{Reservation, RosterEntry, TrainingSession};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::postgres::PgRow;
use sqlx::sqlite::{SqliteConnectOptions, SqliteRow};
use sqlx::{ConnectOptions, Connection, PgConnection, Row, SqliteConnection, TypeInfo, ValueRef};
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const DESK: &str = "ambassadeur@demo.leenpunt.be";
const ADMIN: &str = "beheerder@demo.leenpunt.be";
const TRAINER: &str = "trainer@demo.leenpunt.be";
const PARTNER_ADMIN: &str = "partnerbeheer@demo.leenpunt.be";

/// The server's URL, or `None` (skipped) when it is not set and not required.
fn pg_url(test: &str) -> Option<String> {
    match std::env::var("LEENPUNT_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("LEENPUNT_TEST_REQUIRE_PG").as_deref() != Ok("1"),
                "LEENPUNT_TEST_REQUIRE_PG=1 but LEENPUNT_TEST_PG_URL is not set"
            );
            eprintln!("{test}: skipped, LEENPUNT_TEST_PG_URL is not set");
            None
        }
    }
}

/// A new, empty database on the test server (collation C, as the baseline asks): its name
/// and URL.
async fn fresh_db(admin_url: &str) -> (String, String) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!("pg_migrate_{}_{nanos}", std::process::id());
    let mut admin = PgConnection::connect(admin_url).await.expect("connect");
    sqlx::query(&format!(
        "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
    ))
    .execute(&mut admin)
    .await
    .expect("create database");
    admin.close().await.ok();
    let mut url = url::Url::parse(admin_url).expect("LEENPUNT_TEST_PG_URL");
    url.set_path(&name);
    (name, url.to_string())
}

async fn drop_db(admin_url: &str, name: &str) {
    let mut admin = PgConnection::connect(admin_url).await.expect("connect");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .expect("drop database");
}

async fn migrate(config: &Config, target: &str, force: bool) -> i32 {
    let command = Command::MigrateTo {
        target: target.to_owned(),
        force,
    };
    run_csv(command, config.clone())
        .await
        .expect("migrate-to runs")
}

/// Per table: row count and SHA-256 over its rows.
type Sums = BTreeMap<String, (i64, String)>;

/// A table's columns and the order its rows are compared in, both from the SQLite schema.
struct Shape {
    columns: Vec<String>,
    order: Vec<String>,
}

impl Shape {
    fn select(&self, table: &str) -> String {
        let cols: Vec<String> = self.columns.iter().map(|c| format!("\"{c}\"")).collect();
        let order: Vec<String> = self
            .order
            .iter()
            .map(|c| format!("\"{c}\" NULLS FIRST"))
            .collect();
        format!(
            "SELECT {} FROM \"{table}\" ORDER BY {}",
            cols.join(", "),
            order.join(", ")
        )
    }
}

/// Every SQLite table with its columns (generated ones too) and primary key.
async fn shapes(sqlite: &mut SqliteConnection) -> BTreeMap<String, Shape> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut *sqlite)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for table in tables {
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_xinfo(?) ORDER BY cid")
                .bind(&table)
                .fetch_all(&mut *sqlite)
                .await
                .unwrap();
        let mut order: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_xinfo(?) WHERE pk > 0 ORDER BY pk")
                .bind(&table)
                .fetch_all(&mut *sqlite)
                .await
                .unwrap();
        if order.is_empty() {
            order = columns.clone();
        }
        out.insert(table, Shape { columns, order });
    }
    out
}

/// A value as JSON, from what SQLite stored (its storage class, not the declared type).
fn sqlite_json(row: &SqliteRow, i: usize) -> serde_json::Value {
    let raw = row.try_get_raw(i).unwrap();
    if raw.is_null() {
        return serde_json::Value::Null;
    }
    match raw.type_info().name() {
        "INTEGER" | "BOOLEAN" => json!(row.get::<i64, _>(i)),
        "TEXT" | "DATETIME" | "DATE" | "TIME" => json!(row.get::<String, _>(i)),
        "REAL" => json!(row.get::<f64, _>(i)),
        other => panic!("column {i}: unexpected SQLite value of type {other}"),
    }
}

/// A value as JSON, from PostgreSQL's own type.
fn pg_json(row: &PgRow, i: usize) -> serde_json::Value {
    let raw = row.try_get_raw(i).unwrap();
    if raw.is_null() {
        return serde_json::Value::Null;
    }
    match raw.type_info().name() {
        "INT8" => json!(row.get::<i64, _>(i)),
        "INT4" => json!(row.get::<i32, _>(i)),
        "BOOL" => json!(i64::from(row.get::<bool, _>(i))),
        "TEXT" | "VARCHAR" => json!(row.get::<String, _>(i)),
        "FLOAT8" => json!(row.get::<f64, _>(i)),
        other => panic!("column {i}: unexpected PostgreSQL type {other}"),
    }
}

fn digest(rows: impl Iterator<Item = Vec<serde_json::Value>>) -> (i64, String) {
    let mut hash = Sha256::new();
    let mut n = 0;
    for row in rows {
        n += 1;
        hash.update(serde_json::to_string(&row).unwrap());
        hash.update(b"\n");
    }
    let hex = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    (n, hex)
}

async fn sqlite_sums(file: &Path) -> (BTreeMap<String, Shape>, Sums) {
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
        .unwrap();
    let shapes = shapes(&mut conn).await;
    let mut sums = Sums::new();
    for (table, shape) in &shapes {
        let rows = sqlx::query(&shape.select(table))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        let values = rows.iter().map(|r| {
            (0..shape.columns.len())
                .map(|i| sqlite_json(r, i))
                .collect()
        });
        sums.insert(table.clone(), digest(values));
    }
    conn.close().await.unwrap();
    (shapes, sums)
}

async fn pg_sums(url: &str, shapes: &BTreeMap<String, Shape>) -> Sums {
    let mut conn = PgConnection::connect(url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
           AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut sums = Sums::new();
    for table in tables {
        let shape = shapes
            .get(&table)
            .unwrap_or_else(|| panic!("{table} is only in PostgreSQL"));
        let rows = sqlx::query(&shape.select(&table))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        let values = rows
            .iter()
            .map(|r| (0..shape.columns.len()).map(|i| pg_json(r, i)).collect());
        sums.insert(table, digest(values));
    }
    conn.close().await.unwrap();
    sums
}

/// `_sqlx_migrations` of the target: (versions, newest).
async fn pg_history(url: &str) -> (i64, i64) {
    let mut conn = PgConnection::connect(url).await.unwrap();
    let row = sqlx::query("SELECT count(*), coalesce(max(version), 0) FROM _sqlx_migrations")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    (row.get(0), row.get(1))
}

/// What an installation that has been used looks like: bookings, a cart sent as a
/// request, a unit handed over, a training session with attendance, mails and audit rows
/// (written by those), and an uploaded photo.
async fn activity(app: &TestApp) {
    let hash = hash_password(DEMO_PASSWORD);
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    // A booking of the Bee-Bots for Wednesday 2 December (the demo teacher is trained).
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge",
                     "pickup_date": "2026-12-02", "return_date": "2026-12-09", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let booked: Reservation = r.json().await.unwrap();
    // A cart with a MOS kit, sent.
    let r = app
        .put_json(
            &teacher,
            "/api/v1/cart",
            &json!({ "pickup_date": "2026-12-08", "return_date": "2026-12-10" }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = app
        .post_json(
            &teacher,
            "/api/v1/cart/lines",
            &json!({ "kit": "mos-afvalsorteerkoffer", "pickup_point": "mos-brugge", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let r = app
        .post_json(&teacher, "/api/v1/cart/submit", &json!({}))
        .await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    // A training session on 2 December, a new teacher registers (a mail is queued).
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(
            &admin,
            "/api/v1/training-sessions",
            &json!({ "training": "bee-bot-in-de-klas", "day": "2026-12-02", "start_time": "14:00",
                     "end_time": "16:30", "place": "STEM-uitleendienst Brugge", "capacity": "10",
                     "trainers": [TRAINER] }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let session: TrainingSession = r.json().await.unwrap();
    let newcomer = app
        .untrained_teacher("nieuw@school.be", "126763", &hash)
        .await;
    let r = app
        .post_json(
            &newcomer,
            &format!("/api/v1/training-sessions/{}/registration", session.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // A photo, uploaded by the partner's admin.
    let partner = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let png = leenpunt_server::domain::labels::qr_png("verhuis", 4);
    let form = reqwest::multipart::Form::new()
        .part(
            "photo",
            reqwest::multipart::Part::bytes(png).file_name("koffer.png"),
        )
        .text("alt", "De koffer open op een tafel");
    let r = app
        .client
        .post(app.url("/beheer/materiaal/mos-afvalsorteerkoffer/foto"))
        .header("cookie", partner)
        .header("origin", app.base.clone())
        .multipart(form)
        .send()
        .await
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("ok=foto"), "{location}");

    // Wednesday morning: the desk hands the Bee-Bots over.
    app.set_time("2026-12-02T09:00:00Z");
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let code = app.label_code("BB-K-01").await;
    let r = app
        .post_json(
            &desk,
            &format!("/api/v1/reservations/{}/handover", booked.id.0),
            &json!({ "code": code }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // During the session, the trainer ticks the newcomer present.
    app.set_time("2026-12-02T14:00:00Z");
    let trainer = app.login(TRAINER, DEMO_PASSWORD).await.unwrap();
    let roster: Vec<RosterEntry> = app
        .get_as(
            &trainer,
            &format!("/api/v1/training-sessions/{}/roster", session.id),
        )
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .put_json(
            &trainer,
            &format!("/api/v1/training-sessions/{}/attendance", session.id),
            &json!({ "present": [roster[0].registration] }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn an_sqlite_installation_moves_to_postgresql_with_every_record() {
    let Some(admin) = pg_url("an_sqlite_installation_moves_to_postgresql_with_every_record") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("leenpunt.db");
    let app = TestApp::spawn_on(&file).await;
    activity(&app).await;
    let mine_before: Vec<Reservation> = {
        let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
        app.get_as(&teacher, "/api/v1/reservations?scope=mine")
            .await
            .json()
            .await
            .unwrap()
    };
    // Stopped: the pools close (the last checkpoint runs), nothing writes any more.
    app.state.db.close().await;
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url: Some(format!("sqlite://{}", file.display())),
        ..Config::default()
    };

    let (name, target) = fresh_db(&admin).await;
    let started = std::time::Instant::now();
    assert_eq!(
        migrate(&config, &target, false).await,
        0,
        "the move succeeds"
    );
    eprintln!("migrate-to took {:.2} s", started.elapsed().as_secs_f64());

    // Every table, compared by this test's own means.
    let (shapes, source) = sqlite_sums(&file).await;
    let moved = pg_sums(&target, &shapes).await;
    assert_eq!(
        source.keys().collect::<Vec<_>>(),
        moved.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, sum) in &source {
        assert_eq!(&moved[table], sum, "{table}: rows and checksum");
    }
    // The activity is in there (so the comparison compared something).
    for table in [
        "reservations",
        "requests",
        "loan_lines",
        "training_registrations",
        "qualifications",
        "outbox",
        "audit_log",
        "kit_photos",
        "sessions",
    ] {
        let rows = source.get(table).map(|s| s.0).unwrap_or(0);
        assert!(rows > 0, "{table} has rows in the source");
    }
    let (versions, newest) = pg_history(&target).await;
    assert_eq!(
        newest,
        leenpunt_server::db::backup::known_schema_version(),
        "the target is at the source's migration"
    );

    // Again without --force: refused, and nothing written.
    assert_eq!(migrate(&config, &target, false).await, 1);
    assert_eq!(pg_sums(&target, &shapes).await, moved, "nothing written");
    assert_eq!(pg_history(&target).await, (versions, newest));
    // With --force the data is replaced by the same again.
    assert_eq!(migrate(&config, &target, true).await, 0);
    assert_eq!(pg_sums(&target, &shapes).await, moved);

    // The app on the moved database: the demo teacher signs in and sees their bookings.
    let moved_app = TestApp::spawn_configured(|c| {
        c.database_url = Some(target.clone());
        c.demo_data = true;
    })
    .await;
    let teacher = moved_app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let mine: Vec<Reservation> = moved_app
        .get_as(&teacher, "/api/v1/reservations?scope=mine")
        .await
        .json()
        .await
        .unwrap();
    let ids = |list: &[Reservation]| list.iter().map(|r| r.id.0).collect::<Vec<_>>();
    assert!(!mine.is_empty());
    assert_eq!(ids(&mine), ids(&mine_before));
    moved_app.state.db.close().await;
    drop(moved_app);
    drop_db(&admin, &name).await;
}
