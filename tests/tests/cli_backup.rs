//! `leenpunt backup` and `leenpunt restore`, through the same entry point as the command line:
//! a backup taken while twenty teachers keep booking restores every reservation that was
//! acknowledged before it began, with the uploaded photos, into a database that passes
//! `PRAGMA integrity_check` and that a fresh server serves; restore never replaces a database
//! by accident.

use leenpunt_server::cli::{run_csv, Command};
use leenpunt_server::config::Config;
use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::Reservation;
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PARTNER_ADMIN: &str = "partnerbeheer@demo.leenpunt.be";
const BEE_BOT: &str = "bee-bot-set-klein";
const BOOKERS: usize = 20;

/// A configuration whose data lives in `dir`, as the command line would get it.
fn config_in(dir: &Path) -> Config {
    Config {
        data_dir: dir.to_path_buf(),
        ..Config::default()
    }
}

async fn backup(config: &Config, target: &Path) -> i32 {
    let command = Command::Backup {
        target: target.to_path_buf(),
    };
    run_csv(command, config.clone()).await.expect("backup runs")
}

async fn restore(config: &Config, source: &Path, force: bool) -> i32 {
    let command = Command::Restore {
        source: source.to_path_buf(),
        force,
    };
    run_csv(command, config.clone())
        .await
        .expect("restore runs")
}

/// Opens a restored database file directly (not through the server).
async fn open(file: &Path) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(&format!("sqlite://{}", file.display()))
        .await
        .expect("open restored database")
}

/// Uploads a photo of a MOS kit type as its partner admin; returns its URL and bytes.
async fn upload_photo(app: &TestApp) -> (String, Vec<u8>) {
    let admin = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let png = leenpunt_server::domain::labels::qr_png("back-up", 4);
    let form = reqwest::multipart::Form::new()
        .part(
            "photo",
            reqwest::multipart::Part::bytes(png.clone()).file_name("koffer.png"),
        )
        .text("alt", "De koffer open op een tafel");
    let r = app
        .client
        .post(app.url("/beheer/materiaal/mos-afvalsorteerkoffer/foto"))
        .header("cookie", admin)
        .header("origin", app.base.clone())
        .multipart(form)
        .send()
        .await
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("ok=foto"), "{location}");
    let kit: leenpunt_shared::KitDetail = app
        .get("/api/v1/catalogue/mos-afvalsorteerkoffer")
        .await
        .json()
        .await
        .unwrap();
    let url = kit.photos.last().unwrap().url.clone();
    assert!(url.starts_with("/fotos/"), "{url}");
    (url, png)
}

/// Makes room for hundreds of bookings of one kit type: many units, no per-school limit.
async fn room_for_many(app: &TestApp) {
    let pool = app.state.db.writer();
    sqlx::query("UPDATE kit_types SET max_per_school = 100000 WHERE slug = ?")
        .bind(BEE_BOT)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) \
         INSERT INTO units (kit_type_id, inventory_code, created_at) \
         SELECT k.id, 'LOAD-' || n.i, '2026-11-27T09:00:00+00:00' FROM kit_types k, n \
         WHERE k.slug = ?",
    )
    .bind(BEE_BOT)
    .execute(pool)
    .await
    .unwrap();
}

/// One acknowledged booking: the reservation id and when the 201 arrived.
type Ack = (i64, Instant);
type Acks = Arc<Mutex<Vec<Ack>>>;

/// Books one unit again and again until `stop`, recording every 201.
async fn booker(app: Arc<TestApp>, cookie: String, stop: Arc<AtomicBool>, acks: Acks) {
    let body = json!({ "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge",
        "pickup_date": "2026-12-07", "return_date": "2026-12-10", "quantity": 1 });
    while !stop.load(Ordering::Relaxed) {
        let r = app.post_json(&cookie, "/api/v1/reservations", &body).await;
        let status = r.status().as_u16();
        if status == 201 {
            let created: Reservation = r.json().await.unwrap();
            acks.lock().unwrap().push((created.id.0, Instant::now()));
        } else {
            // Shedding load is allowed; failing a write is not.
            assert_eq!(status, 503, "{}", r.text().await.unwrap_or_default());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Waits until `n` more bookings than now have been acknowledged.
async fn wait_for_acks(acks: &Acks, n: usize) {
    let goal = acks.lock().unwrap().len() + n;
    let deadline = Instant::now() + Duration::from_secs(120);
    while acks.lock().unwrap().len() < goal {
        assert!(Instant::now() < deadline, "the bookers stalled");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn reservation_ids(pool: &sqlx::AnyPool) -> HashSet<i64> {
    sqlx::query_scalar("SELECT id FROM reservations")
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_write_load_restores_every_acknowledged_reservation() {
    let app = Arc::new(TestApp::spawn().await);
    let (photo_url, photo) = upload_photo(&app).await;
    room_for_many(&app).await;
    let hash = hash_password(DEMO_PASSWORD);
    let schools: Vec<String> =
        sqlx::query_scalar("SELECT instellingsnummer FROM schools ORDER BY id LIMIT ?")
            .bind(BOOKERS as i64)
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(schools.len(), BOOKERS);
    let mut cookies = Vec::new();
    for (i, school) in schools.iter().enumerate() {
        cookies.push(app.teacher(&format!("b{i}@school.be"), school, &hash).await);
    }
    let demo = reservation_ids(app.state.db.pool()).await;

    let stop = Arc::new(AtomicBool::new(false));
    let acks: Acks = Arc::default();
    let mut bookers = tokio::task::JoinSet::new();
    for cookie in cookies.iter().cloned() {
        let (app, stop, acks) = (app.clone(), stop.clone(), acks.clone());
        bookers.spawn(booker(app, cookie, stop, acks));
    }
    wait_for_acks(&acks, 100).await;

    // The backup, in the middle of the load, while the server has the database open.
    let backups = tempfile::tempdir().unwrap();
    let target = backups.path().join("backup-2026-11-27");
    let started = Instant::now();
    assert_eq!(backup(&app.state.config, &target).await, 0);
    let finished = Instant::now();
    // The load goes on: at most one request per booker was in flight when the backup
    // finished, so at least 30 of these were sent (and committed) after it.
    wait_for_acks(&acks, BOOKERS + 30).await;
    stop.store(true, Ordering::Relaxed);
    bookers.join_all().await;
    let acks = acks.lock().unwrap().clone();
    let before: Vec<i64> = acks
        .iter()
        .filter(|(_, at)| *at < started)
        .map(|(id, _)| *id)
        .collect();
    assert!(before.len() >= 100, "{} acknowledged before", before.len());
    assert!(acks.iter().filter(|(_, at)| *at > finished).count() >= BOOKERS + 30);

    // The backup is one directory: the database alone (no -wal) and the photos.
    assert!(target.join("leenpunt.db").is_file());
    assert!(!target.join("leenpunt.db-wal").exists());
    let photo_file = photo_url.trim_start_matches("/fotos/");
    assert_eq!(
        std::fs::read(target.join("photos").join(photo_file)).unwrap(),
        photo
    );

    // Restore into a fresh data directory.
    let fresh = tempfile::tempdir().unwrap();
    let restored_dir = fresh.path().join("data");
    assert_eq!(restore(&config_in(&restored_dir), &target, false).await, 0);
    let db = open(&restored_dir.join("leenpunt.db")).await;
    let check: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(check, vec!["ok".to_owned()]);
    let ids = reservation_ids(&db).await;
    db.close().await;
    let lost: Vec<&i64> = before.iter().filter(|id| !ids.contains(id)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged reservations lost: {lost:?}",
        lost.len(),
        before.len()
    );
    // A snapshot of one moment: only acknowledged bookings, and not those sent after it.
    let acked: HashSet<i64> = acks.iter().map(|(id, _)| *id).collect();
    assert!(ids.iter().all(|id| demo.contains(id) || acked.contains(id)));
    assert!(ids.len() < demo.len() + acked.len());

    // A server started on the restored data serves the bookings and the photo.
    let again = TestApp::spawn_configured(|c| c.data_dir = restored_dir.clone()).await;
    let r = again.get(&photo_url).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), photo.as_slice());
    // Every booker's session came back, and each sees their acknowledged bookings.
    let mut served = HashSet::new();
    for cookie in &cookies {
        let r = again.get_as(cookie, "/api/v1/reservations").await;
        assert_eq!(r.status(), 200);
        let mine: Vec<Reservation> = r.json().await.unwrap();
        served.extend(mine.into_iter().map(|r| r.id.0));
    }
    assert!(before.iter().all(|id| served.contains(id)));
}

#[tokio::test]
async fn restore_never_replaces_a_database_by_accident() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("backup");
    assert_eq!(backup(&app.state.config, &target).await, 0);
    // A used directory is refused: one backup never mixes with another.
    assert_eq!(backup(&app.state.config, &target).await, 1);
    // A folder that is not a backup.
    let data = dir.path().join("data");
    let config = config_in(&data);
    assert_eq!(
        restore(&config, &dir.path().join("nothing"), false).await,
        1
    );
    assert!(!data.join("leenpunt.db").exists());

    assert_eq!(restore(&config, &target, false).await, 0);
    let db_file = data.join("leenpunt.db");
    // Mark the restored database, so a replacement shows.
    let db = open(&db_file).await;
    sqlx::query("UPDATE schools SET name = 'Gewijzigd' WHERE id = 1")
        .execute(&db)
        .await
        .unwrap();
    db.close().await;
    let marked = std::fs::read(&db_file).unwrap();
    // Without --force: refused, nothing touched.
    assert_eq!(restore(&config, &target, false).await, 1);
    assert_eq!(std::fs::read(&db_file).unwrap(), marked);
    // With --force: replaced, and stale SQLite files beside it are gone.
    let stale: PathBuf = data.join("leenpunt.db-wal");
    std::fs::write(&stale, b"stale write-ahead log").unwrap();
    std::fs::write(data.join("leenpunt.db-shm"), b"stale index").unwrap();
    assert_eq!(restore(&config, &target, true).await, 0);
    assert!(!stale.exists() && !data.join("leenpunt.db-shm").exists());
    let db = open(&db_file).await;
    let name: String = sqlx::query_scalar("SELECT name FROM schools WHERE id = 1")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_ne!(name, "Gewijzigd");
    db.close().await;
    // No temporary file is left beside the database.
    let left: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // A photo the catalogue names but nobody uploaded (a CSV import can do that) was
    // already missing: backup and restore say so and still succeed.
    sqlx::query(
        "INSERT INTO kit_photos (kit_type_id, position, url, alt) \
         SELECT id, 99, '/fotos/nooit-geupload.png', 'x' FROM kit_types WHERE slug = ?",
    )
    .bind(BEE_BOT)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    let second = dir.path().join("backup-2");
    let photos = app.state.config.data_dir.join("photos");
    let url = app.state.config.database_url();
    let summary = leenpunt_server::service::backup::backup(&url, &photos, &second)
        .await
        .unwrap();
    assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
    assert!(summary.warnings[0].contains("nooit-geupload.png"));
    let other = dir.path().join("data-3");
    let url = format!("sqlite://{}", other.join("leenpunt.db").display());
    let restored =
        leenpunt_server::service::restore::restore(&second, &url, &other.join("photos"), false)
            .await
            .unwrap();
    assert_eq!(restored.warnings.len(), 1, "{:?}", restored.warnings);
}
