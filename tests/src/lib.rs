//! Test harness: the real application on a free loopback port with a fresh database, and
//! a real headless Chromium driven over WebDriver.

pub mod browser;
pub mod camera;
pub mod ical;
pub mod openapi;
pub mod schema;
pub mod smtp;

use leenpunt_server::config::Config;
use leenpunt_server::domain::clock::{FixedClock, SettableClock};
use leenpunt_server::startup::build_state;
use leenpunt_shared::SearchResults;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// One `/api/` answer as the server sent it, recorded by the TestApp's tap.
pub struct Tapped {
    pub method: String,
    /// Path and query, as requested.
    pub path: String,
    pub status: u16,
    pub content_type: String,
    /// Compressed (`Content-Encoding`): only status and content type can be checked.
    pub encoded: bool,
    pub body: axum::body::Bytes,
}

/// A running Leenpunt with the demo data in its own database.
pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub client: reqwest::Client,
    pub state: leenpunt_server::state::AppState,
    /// The app's clock: 2026-11-27 (a Friday) 09:00 UTC until a test moves it.
    pub clock: Arc<SettableClock>,
    _data: tempfile::TempDir,
    /// Every `/api/` answer this app gave; checked against the OpenAPI document when the
    /// app is dropped (see `check_contract`).
    tap: Arc<Mutex<Vec<Tapped>>>,
    /// The PostgreSQL database of this app, dropped with it (`LEENPUNT_TEST_ENGINE=postgres`).
    _pg: Option<PgDatabase>,
}

/// A fresh PostgreSQL database on the test server (`LEENPUNT_TEST_PG_URL`), made for one
/// test app and dropped when the app is.
pub struct PgDatabase {
    admin_url: String,
    name: String,
    /// The URL of the new database.
    pub url: String,
}

impl PgDatabase {
    /// Makes `leenpunt_t<random>` (byte-wise collation, as the baseline migration asks).
    pub async fn create(admin_url: &str) -> PgDatabase {
        use sqlx::Connection;
        static COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .subsec_nanos();
        let name = format!(
            "leenpunt_t{}_{}_{nanos}",
            std::process::id(),
            COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .expect("connect to the test PostgreSQL");
        sqlx::query(&format!(
            "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
        ))
        .execute(&mut admin)
        .await
        .expect("create a test database");
        admin.close().await.ok();
        let mut url = url::Url::parse(admin_url).expect("LEENPUNT_TEST_PG_URL");
        url.set_path(&name);
        PgDatabase {
            admin_url: admin_url.to_owned(),
            name,
            url: url.to_string(),
        }
    }

    /// The test server's URL when the tests are to run on PostgreSQL.
    pub fn wanted() -> Option<String> {
        let engine = std::env::var("LEENPUNT_TEST_ENGINE").unwrap_or_default();
        if engine != "postgres" {
            return None;
        }
        Some(
            std::env::var("LEENPUNT_TEST_PG_URL")
                .expect("LEENPUNT_TEST_ENGINE=postgres needs LEENPUNT_TEST_PG_URL"),
        )
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot block on itself: a thread of
        // its own with a runtime of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                use sqlx::Connection;
                if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

/// One database that several instances share, on the engine the tests run on: a new SQLite
/// file, or with `LEENPUNT_TEST_ENGINE=postgres` a fresh PostgreSQL database. Kept (and
/// on PostgreSQL dropped) with this value, so let it outlive the apps.
pub struct SharedDatabase {
    url: String,
    _dir: tempfile::TempDir,
    _pg: Option<PgDatabase>,
}

impl SharedDatabase {
    pub async fn new() -> SharedDatabase {
        let dir = tempfile::tempdir().expect("temp dir");
        let pg = match PgDatabase::wanted() {
            Some(admin) => Some(PgDatabase::create(&admin).await),
            None => None,
        };
        let url = match &pg {
            Some(db) => db.url.clone(),
            None => format!("sqlite://{}", dir.path().join("gedeeld.db").display()),
        };
        SharedDatabase {
            url,
            _dir: dir,
            _pg: pg,
        }
    }

    /// Starts one more instance on this database: the first one creates the schema and
    /// loads the demo data, the next ones find it filled.
    pub async fn spawn(&self) -> TestApp {
        self.spawn_configured(|_| {}).await
    }

    /// Like `spawn`, with a configuration adjusted by `adjust`.
    pub async fn spawn_configured(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let url = self.url.clone();
        TestApp::spawn_configured(move |c| {
            c.database_url = Some(url);
            adjust(c);
        })
        .await
    }
}

/// The built front end, when the test command built it.
pub fn site_dir() -> PathBuf {
    std::env::var_os("LEENPUNT_TEST_SITE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site")))
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(true).await
    }

    /// Starts the app; `demo` loads the demo data set.
    pub async fn spawn_with(demo: bool) -> TestApp {
        Self::spawn_configured(|c| c.demo_data = demo).await
    }

    /// Starts another instance on an SQLite database file shared with other instances: the
    /// first one started on a new file creates it and loads the demo data, the next ones
    /// find it filled. Each instance has its own clock, pools, caches and background jobs,
    /// as separate processes would.
    pub async fn spawn_on(db_file: &std::path::Path) -> TestApp {
        Self::spawn_on_configured(db_file, |_| {}).await
    }

    /// Like `spawn_on`, with a configuration adjusted by `adjust`.
    pub async fn spawn_on_configured(
        db_file: &std::path::Path,
        adjust: impl FnOnce(&mut Config),
    ) -> TestApp {
        let url = format!("sqlite://{}", db_file.display());
        Self::spawn_configured(move |c| {
            c.database_url = Some(url);
            adjust(c);
        })
        .await
    }

    /// Starts the app with the demo data and a configuration adjusted by `adjust`.
    pub async fn spawn_configured(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let data = tempfile::tempdir().expect("temp dir");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut config = Config {
            bind: addr,
            data_dir: data.path().to_path_buf(),
            site_dir: site_dir(),
            ..Config::default()
        };
        adjust(&mut config);
        // On PostgreSQL when the test command asks for it (not for the instances that
        // were given a database of their own).
        let pg = match PgDatabase::wanted() {
            Some(admin) if config.database_url.is_none() => {
                let db = PgDatabase::create(&admin).await;
                config.database_url = Some(db.url.clone());
                Some(db)
            }
            _ => None,
        };
        // The jobs run once now, as at a real start, and then only when a test runs them:
        // a scheduler in the background would race with the test's clock.
        let jobs = config
            .run_jobs
            .then(|| leenpunt_server::service::jobs::JobSettings::from_config(&config));
        config.run_jobs = false;
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let clock = Arc::new(SettableClock::new(FixedClock::on(today).0));
        let limits = leenpunt_server::startup::ConnectionLimits::from_config(&config);
        let state = build_state(config, clock.clone()).await.expect("state");
        if let Some(jobs) = jobs {
            leenpunt_server::service::jobs::run_once(&state.db, clock.as_ref(), &jobs).await;
        }
        let tap: Arc<Mutex<Vec<Tapped>>> = Arc::default();
        let recorder = tap.clone();
        let app = leenpunt_server::http::router(state.clone()).layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                let recorder = recorder.clone();
                async move { record(&recorder, request, next).await }
            },
        ));
        tokio::spawn(async move {
            let _ =
                leenpunt_server::startup::serve_app(listener, app, limits, std::future::pending())
                    .await;
        });
        TestApp {
            addr,
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            state,
            clock,
            _data: data,
            tap,
            _pg: pg,
        }
    }

    /// Checks every `/api/` answer so far against the OpenAPI document (status documented
    /// for the operation, content type, JSON body against the schema; CSV, ICS, images and
    /// compressed answers by status and content type only; no 4xx that is not
    /// problem+json) and returns the mismatches. The answers checked are forgotten.
    pub fn contract_failures(&self) -> Vec<String> {
        use utoipa::OpenApi;
        let tapped = std::mem::take(&mut *self.tap.lock().unwrap_or_else(|e| e.into_inner()));
        if tapped.is_empty() {
            return Vec::new();
        }
        let doc = serde_json::to_value(leenpunt_server::http::openapi::ApiDoc::openapi())
            .expect("the document as JSON");
        let mut checker = openapi::Checker::for_document(doc);
        for t in &tapped {
            checker.check_tapped(t);
        }
        checker.failures
    }

    /// Panics listing every `/api/` answer so far that does not match the OpenAPI
    /// document. Dropping the app does this too (unless the test is already failing).
    pub fn check_contract(&self) {
        let failures = self.contract_failures();
        assert!(
            failures.is_empty(),
            "answers that do not match the OpenAPI document:\n{}",
            failures.join("\n")
        );
    }

    /// Moves the app's clock to a UTC instant (`2026-12-02T15:00:00Z`).
    pub fn set_time(&self, rfc3339: &str) {
        let at = chrono::DateTime::parse_from_rfc3339(rfc3339).expect("instant");
        self.clock.set(at.with_timezone(&chrono::Utc));
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// `GET /api/v1/catalogue?<query>`, expecting success.
    pub async fn search(&self, query: &str) -> SearchResults {
        let response = self.get(&format!("/api/v1/catalogue?{query}")).await;
        assert_eq!(response.status(), 200, "search {query}");
        response.json().await.expect("search json")
    }

    /// Signs in through the API and returns the `Cookie` header value for the session.
    pub async fn login(&self, email: &str, password: &str) -> Result<String, reqwest::StatusCode> {
        let response = self
            .client
            .post(self.url("/api/v1/session"))
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("login request");
        if response.status() != reqwest::StatusCode::NO_CONTENT {
            return Err(response.status());
        }
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .to_owned();
        Ok(cookie.split(';').next().expect("name=value").to_owned())
    }

    /// Creates a confirmed teacher of a school (by instellingsnummer) with `password_hash`
    /// (hash once with `hash_password` and reuse it: hashing is slow on purpose), who
    /// followed the Bee-Bot training (as the demo teacher did, so the Bee-Bot sets the
    /// reservation tests book may be borrowed), signs them in and returns the cookie.
    pub async fn teacher(&self, email: &str, school: &str, password_hash: &str) -> String {
        let cookie = self.untrained_teacher(email, school, password_hash).await;
        self.qualify(email, "bee-bot-in-de-klas").await;
        cookie
    }

    /// Grants a qualification for a training (by slug) to an account, as attended today.
    pub async fn qualify(&self, email: &str, training: &str) {
        use leenpunt_server::db::trainings::{
            grant, training_row, user_by_email, NewQualification,
        };
        let mut conn = self.state.db.writer().acquire().await.expect("connection");
        let (user, _) = user_by_email(&mut conn, email)
            .await
            .expect("lookup")
            .expect("user");
        let training = training_row(&mut conn, training)
            .await
            .expect("lookup")
            .expect("training");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        grant(
            &mut conn,
            &NewQualification {
                user,
                training: training.id,
                session: None,
                granted_on: today,
                valid_until: None,
                granted_by: None,
                reason: "test",
            },
            "2026-11-27T09:00:00+00:00",
        )
        .await
        .expect("grant");
    }

    /// Like `teacher`, without any training.
    pub async fn untrained_teacher(
        &self,
        email: &str,
        school: &str,
        password_hash: &str,
    ) -> String {
        use leenpunt_server::db::accounts::{insert_user, NewUser};
        use leenpunt_server::domain::policy::RoleGrant;
        let school_id = self
            .state
            .db
            .school_id(school)
            .await
            .expect("school lookup")
            .expect("demo school");
        let mut conn = self.state.db.writer().acquire().await.expect("connection");
        insert_user(
            &mut conn,
            &NewUser {
                email: leenpunt_shared::Email::parse(email).expect("email"),
                name: format!("Leerkracht {school}"),
                password_hash: Some(password_hash.to_owned()),
                confirmed: true,
                grants: vec![RoleGrant {
                    role: leenpunt_shared::Role::Teacher,
                    school: Some(school_id),
                    partner: None,
                }],
            },
            "2026-11-27T09:00:00+00:00",
        )
        .await
        .expect("insert teacher");
        // The writer connection is the only one: give it back before signing in.
        drop(conn);
        self.login(email, DEMO_PASSWORD)
            .await
            .expect("teacher login")
    }

    /// The current label code of a unit, by its inventory code (`BB-K-01`).
    pub async fn label_code(&self, inventory: &str) -> String {
        sqlx::query_scalar(
            "SELECT t.code FROM unit_tags t JOIN units u ON u.id = t.unit_id \
             WHERE u.inventory_code = $1 AND t.retired_at IS NULL",
        )
        .bind(inventory)
        .fetch_one(self.state.db.pool())
        .await
        .expect("label code")
    }

    /// A JSON POST with a session cookie, as a same-origin browser script would send it.
    pub async fn post_json(
        &self,
        cookie: &str,
        path: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("cookie", cookie)
            .header("origin", self.base.clone())
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// A JSON PUT with a session cookie, as a same-origin browser script would send it.
    pub async fn patch_json(
        &self,
        cookie: &str,
        path: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        self.client
            .patch(self.url(path))
            .header("cookie", cookie)
            .header("origin", self.base.clone())
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn put_json(
        &self,
        cookie: &str,
        path: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        self.client
            .put(self.url(path))
            .header("cookie", cookie)
            .header("origin", self.base.clone())
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// A GET with a session cookie.
    pub async fn get_as(&self, cookie: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .expect("request")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.check_contract();
        }
    }
}

/// The tap: copies every `/api/` answer (buffered; no `/api/` answer is an endless stream).
async fn record(
    tap: &Mutex<Vec<Tapped>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = request.method().to_string();
    let path = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let response = next.run(request).await;
    if !path.starts_with("/api/") {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let header = |name: http::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (encoded, plain) = match decompress(header(http::header::CONTENT_ENCODING), &body) {
        Some(plain) => (false, plain),
        None => (true, axum::body::Bytes::new()),
    };
    let tapped = Tapped {
        method,
        path,
        status: parts.status.as_u16(),
        content_type: header(http::header::CONTENT_TYPE).unwrap_or_default(),
        encoded,
        body: plain,
    };
    tap.lock().unwrap_or_else(|e| e.into_inner()).push(tapped);
    axum::response::Response::from_parts(parts, axum::body::Body::from(body))
}

/// The body as sent before compression (gzip, deflate, br); None for another encoding.
fn decompress(encoding: Option<String>, body: &axum::body::Bytes) -> Option<axum::body::Bytes> {
    use std::io::Read;
    let mut plain = Vec::new();
    let read = match encoding.as_deref().map(str::trim) {
        None | Some("identity") => return Some(body.clone()),
        Some("gzip") => flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut plain),
        Some("deflate") => flate2::read::ZlibDecoder::new(&body[..]).read_to_end(&mut plain),
        Some("br") => {
            brotli_decompressor::Decompressor::new(&body[..], 4096).read_to_end(&mut plain)
        }
        Some(_) => return None,
    };
    read.ok().map(|_| plain.into())
}

/// The demo accounts' password.
pub const DEMO_PASSWORD: &str = leenpunt_server::service::accounts::DEMO_PASSWORD;
