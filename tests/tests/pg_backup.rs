//! Backup and restore on PostgreSQL (issue 17), exactly as docs/deployment.md tells an
//! operator: while the app runs, `pg_dump --format=custom` and then a copy of the photos
//! folder; restore with `pg_restore --clean --if-exists --no-owner` into a new database and
//! copy the photos back; start the app on the restored database. The data made through the
//! API before the backup (a booking handed over at the desk, an uploaded photo) must be
//! there, every table must hold the same rows, and the app must go on writing (the id
//! sequences came along).
//!
//! Uses Debian's client programs (`/usr/lib/postgresql/<version>/bin`, installed with the
//! server that `cargo xtask test` starts). Needs `LEENPUNT_TEST_PG_URL` (see
//! docs/postgres.md); without it the test says it was skipped and passes, unless
//! `LEENPUNT_TEST_REQUIRE_PG=1`.

use leenpunt_shared::Reservation;
use leenpunt_tests::{PgDatabase, TestApp, DEMO_PASSWORD};
use serde_json::json;
use sqlx::{Connection, PgConnection};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const DESK: &str = "ambassadeur@demo.leenpunt.be";
const PARTNER_ADMIN: &str = "partnerbeheer@demo.leenpunt.be";
const PHOTO_KIT: &str = "mos-afvalsorteerkoffer";

fn pg_url() -> Option<String> {
    match std::env::var("LEENPUNT_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("LEENPUNT_TEST_REQUIRE_PG").as_deref() == Ok("1") => {
            panic!("LEENPUNT_TEST_REQUIRE_PG=1 but LEENPUNT_TEST_PG_URL is not set")
        }
        _ => {
            eprintln!("skipped: LEENPUNT_TEST_PG_URL is not set");
            None
        }
    }
}

/// A PostgreSQL client program from Debian's newest version folder.
fn pg_program(name: &str) -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("Debian's PostgreSQL in /usr/lib/postgresql")
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin").join(name)))
        })
        .filter(|(_, program)| program.is_file())
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, p)| p)
        .unwrap_or_else(|| panic!("{name} is not installed"))
}

/// Runs an operator's command; panics with its output unless it exits with 0.
fn run(command: &mut Command) {
    let out = command.output().expect("start the program");
    assert!(
        out.status.success(),
        "{command:?} exited with {}:\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `cp -r <from> <to>`, as the operator copies the photos folder.
fn copy_folder(from: &Path, to: &Path) {
    run(Command::new("cp").arg("-r").arg(from).arg(to));
}

/// Per table of the database: its row count and an MD5 over its rows as text, sorted.
async fn tables(url: &str) -> BTreeMap<String, (i64, String)> {
    let mut conn = PgConnection::connect(url).await.unwrap();
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for name in names {
        let row: (i64, Option<String>) = sqlx::query_as(&format!(
            "SELECT count(*), md5(string_agg(t::text, E'\\n' ORDER BY t::text)) FROM \"{name}\" t"
        ))
        .fetch_one(&mut conn)
        .await
        .unwrap();
        out.insert(name, (row.0, row.1.unwrap_or_default()));
    }
    conn.close().await.unwrap();
    out
}

/// The activity to back up, through the API: the demo teacher books the Bee-Bots, the
/// desk hands them over, the partner's admin uploads a photo. Returns the photo's path.
async fn activity(app: &TestApp) -> String {
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
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

    let partner = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let png = leenpunt_server::domain::labels::qr_png("back-up", 4);
    let form = reqwest::multipart::Form::new()
        .part(
            "photo",
            reqwest::multipart::Part::bytes(png).file_name("koffer.png"),
        )
        .text("alt", "De koffer open op een tafel");
    let r = app
        .client
        .post(app.url(&format!("/beheer/materiaal/{PHOTO_KIT}/foto")))
        .header("cookie", partner)
        .header("origin", app.base.clone())
        .multipart(form)
        .send()
        .await
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("ok=foto"), "{location}");

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

    let kit: serde_json::Value = app
        .get(&format!("/api/v1/catalogue/{PHOTO_KIT}"))
        .await
        .json()
        .await
        .unwrap();
    kit["photos"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["url"].as_str())
        .find(|u| u.starts_with("/fotos/"))
        .expect("the uploaded photo is on the kit")
        .to_owned()
}

/// What the API shows that the restored app must show too.
struct Seen {
    mine: serde_json::Value,
    photo: String,
    photo_bytes: Vec<u8>,
}

async fn seen(app: &TestApp, photo: String) -> Seen {
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = app
        .get_as(&teacher, "/api/v1/reservations?scope=mine")
        .await;
    assert_eq!(r.status(), 200);
    let mine: serde_json::Value = r.json().await.unwrap();
    let r = app.get(&photo).await;
    assert_eq!(r.status(), 200, "{photo}");
    Seen {
        mine,
        photo,
        photo_bytes: r.bytes().await.unwrap().to_vec(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pg_dump_and_the_photos_restore_into_a_new_database() {
    let Some(admin) = pg_url() else { return };
    let source = PgDatabase::create(&admin).await;
    let url = source.url.clone();
    let app = TestApp::spawn_configured(move |c| c.database_url = Some(url)).await;
    let photo = activity(&app).await;
    let before = seen(&app, photo).await;
    let handed_over = before
        .mine
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["kit_slug"] == "bee-bot-set-klein" && r["status"] == json!("afgehaald"));
    assert!(handed_over, "the loan is out: {}", before.mine);

    // The backup, while the app runs: the dump, then the photos folder.
    let backup = tempfile::tempdir().unwrap();
    let dump = backup.path().join("leenpunt.dump");
    run(Command::new(pg_program("pg_dump"))
        .arg("--format=custom")
        .arg(format!("--file={}", dump.display()))
        .arg(&source.url));
    let photos = app.state.config.data_dir.join("photos");
    copy_folder(&photos, &backup.path().join("photos"));
    // The instance stops; what it held is what the dump holds.
    app.state.db.close().await;
    drop(app);
    let original = tables(&source.url).await;

    // The restore, into a new database made as docs/postgres.md says (byte-wise collation).
    let target = PgDatabase::create(&admin).await;
    run(Command::new(pg_program("pg_restore"))
        .args(["--clean", "--if-exists", "--no-owner"])
        .arg(format!("--dbname={}", target.url))
        .arg(&dump));
    let restored = tables(&target.url).await;
    assert_eq!(
        original.keys().collect::<Vec<_>>(),
        restored.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, rows) in &original {
        assert_eq!(&restored[table], rows, "{table}: row count and rows");
    }
    for table in [
        "reservations",
        "loan_lines",
        "kit_photos",
        "audit_log",
        "sessions",
    ] {
        assert!(original[table].0 > 0, "{table} has rows to compare");
    }

    // A new data folder gets the photos back; the app starts on the restored database.
    let data = tempfile::tempdir().unwrap();
    copy_folder(&backup.path().join("photos"), &data.path().join("photos"));
    let (url, dir) = (target.url.clone(), data.path().to_path_buf());
    let app = TestApp::spawn_configured(move |c| {
        c.database_url = Some(url);
        c.data_dir = dir;
    })
    .await;
    app.set_time("2026-12-03T09:00:00Z");
    let after = seen(&app, before.photo.clone()).await;
    assert_eq!(after.mine, before.mine, "the teacher's reservations");
    assert_eq!(after.photo_bytes, before.photo_bytes, "the photo");

    // It goes on writing: a new booking gets an id after every restored one.
    let largest = before
        .mine
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .max()
        .unwrap();
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge",
                     "pickup_date": "2026-12-15", "return_date": "2026-12-18", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let new: Reservation = r.json().await.unwrap();
    assert!(new.id.0 > largest, "{} after {largest}", new.id.0);
    app.state.db.close().await;
    drop(app);
    drop((source, target));
}
