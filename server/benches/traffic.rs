//! Traffic benchmark: the real server over HTTP on loopback, release build.
//! - 16 concurrent bookers (book, then cancel), booking latency p50/p99 and errors;
//! - a burst of 150 sign-ups at once from many client addresses (behind a trusted proxy),
//!   sign-ups per second and the latency of one booker's requests during the burst;
//! - a 20 s soak: sign-up bursts every 4 s, 16 bookers and 40 idle connections, then the
//!   time until a write succeeds again, memory before and after, and integrity.
//!
//! Run with `cargo xtask bench`.

mod common;
use common::*;

use leenpunt_server::config::Config;
use leenpunt_server::domain::clock::SystemClock;
use leenpunt_server::startup::{build_state, serve_app, ConnectionLimits};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

const KIT_POINT: &str = "stem-rtc-brugge";

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

struct Bench {
    base: String,
    client: reqwest::Client,
    state: leenpunt_server::state::AppState,
    kits: Vec<String>,
}

impl Bench {
    async fn start(data: &std::path::Path) -> anyhow::Result<Bench> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let config = Config {
            bind: addr,
            data_dir: data.to_path_buf(),
            site_dir: std::env::var_os("LEENPUNT_SITE_DIR")
                .map(Into::into)
                .unwrap_or_else(|| "target/site".into()),
            trusted_proxies: vec!["127.0.0.1".into()],
            ..Config::default()
        };
        let limits = ConnectionLimits::from_config(&config);
        let state = build_state(config, Arc::new(SystemClock)).await?;
        let app = leenpunt_server::http::router(state.clone());
        tokio::spawn(serve_app(listener, app, limits, std::future::pending()));
        // Loan kit types of one pickup point, without trainings, opened up for the bench.
        let pool = state.db.writer();
        let kits: Vec<(i64, String)> = sqlx::query_as(
            "SELECT k.id, k.slug FROM kit_types k JOIN kit_type_pickup_points x ON x.kit_type_id = k.id \
             JOIN pickup_points pp ON pp.id = x.pickup_point_id \
             WHERE pp.slug = ? AND k.kind = 'uitleen' \
             AND k.id NOT IN (SELECT kit_type_id FROM kit_type_trainings) ORDER BY k.id",
        )
        .bind(KIT_POINT)
        .fetch_all(pool)
        .await?;
        anyhow::ensure!(
            !kits.is_empty(),
            "no loan kit without training at {KIT_POINT}"
        );
        let mut tx = pool.begin().await?;
        for (kit, _) in &kits {
            sqlx::query(
                "UPDATE kit_types SET max_per_school = 1000000, horizon_days = 700, \
                 lead_days = 0, needs_approval = 0 WHERE id = ?",
            )
            .bind(kit)
            .execute(&mut *tx)
            .await?;
            for i in 0..40 {
                sqlx::query(
                    "INSERT INTO units (kit_type_id, inventory_code, created_at) VALUES (?, ?, '')",
                )
                .bind(kit)
                .bind(format!("TRAFFIC-{kit}-{i:02}"))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(Bench {
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .pool_max_idle_per_host(64)
                .build()?,
            state,
            kits: kits.into_iter().map(|(_, slug)| slug).collect(),
        })
    }

    /// Teachers of different schools, signed in; their cookies.
    async fn teachers(&self, n: usize) -> anyhow::Result<Vec<String>> {
        use leenpunt_server::db::accounts::{insert_user, NewUser};
        use leenpunt_server::domain::policy::RoleGrant;
        let hash = leenpunt_server::domain::auth::hash_password("bench-wachtwoord");
        let schools: Vec<i64> = sqlx::query_scalar("SELECT id FROM schools ORDER BY id LIMIT ?")
            .bind(n as i64)
            .fetch_all(self.state.db.pool())
            .await?;
        let mut cookies = Vec::new();
        for (i, school) in schools.iter().enumerate() {
            let email = format!("bench{i}@school.be");
            let mut conn = self.state.db.writer().acquire().await?;
            insert_user(
                &mut conn,
                &NewUser {
                    email: leenpunt_shared::Email::parse(&email)?,
                    name: format!("Bench {i}"),
                    password_hash: Some(hash.clone()),
                    confirmed: true,
                    grants: vec![RoleGrant {
                        role: leenpunt_shared::Role::Teacher,
                        school: Some(leenpunt_shared::SchoolId(*school)),
                        partner: None,
                    }],
                },
                "2026-01-01T00:00:00+00:00",
            )
            .await?;
            drop(conn);
            let r = self
                .client
                .post(format!("{}/api/v1/session", self.base))
                .header("x-forwarded-for", format!("10.1.0.{i}"))
                .json(&json!({ "email": email, "password": "bench-wachtwoord" }))
                .send()
                .await?;
            anyhow::ensure!(r.status() == 204, "login {}", r.status());
            let cookie = r.headers()["set-cookie"]
                .to_str()?
                .split(';')
                .next()
                .unwrap_or_default()
                .to_owned();
            cookies.push(cookie);
        }
        Ok(cookies)
    }

    /// One booking and its cancellation; the booking's latency and status.
    async fn book_and_cancel(&self, cookie: &str, round: usize) -> (Duration, u16) {
        let today = chrono::Utc::now().date_naive();
        let pickup = today + chrono::Duration::days(14 + (round % 300) as i64);
        let body = json!({
            "kit": self.kits[round % self.kits.len()],
            "pickup_point": KIT_POINT,
            "pickup_date": pickup.to_string(),
            "return_date": (pickup + chrono::Duration::days(1)).to_string(),
            "quantity": 1
        });
        let started = Instant::now();
        let r = self
            .client
            .post(format!("{}/api/v1/reservations", self.base))
            .header("cookie", cookie)
            .header("origin", &self.base)
            .json(&body)
            .send()
            .await;
        let elapsed = started.elapsed();
        let Ok(r) = r else {
            return (elapsed, 0);
        };
        let status = r.status().as_u16();
        if status == 201 {
            if let Ok(v) = r.json::<serde_json::Value>().await {
                let id = v["id"].as_i64().unwrap_or_default();
                let _ = self
                    .client
                    .post(format!("{}/api/v1/reservations/{id}/cancel", self.base))
                    .header("cookie", cookie)
                    .header("origin", &self.base)
                    .send()
                    .await;
            }
        }
        (elapsed, status)
    }

    async fn sign_up_burst(&self, n: usize, offset: usize) -> (Duration, Vec<u16>) {
        let started = Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for i in 0..n {
            let client = self.client.clone();
            let url = format!("{}/api/v1/signup", self.base);
            let k = offset + i;
            set.spawn(async move {
                client
                    .post(url)
                    .header("x-forwarded-for", format!("10.2.{}.{}", k / 250, k % 250))
                    .json(&json!({
                        "email": format!("golf{k}@school.be"),
                        "name": format!("Golf {k}"),
                        "password": "een lang wachtwoord",
                        "school": "012345"
                    }))
                    .send()
                    .await
                    .map_or(0, |r| r.status().as_u16())
            });
        }
        let mut statuses = Vec::new();
        while let Some(s) = set.join_next().await {
            statuses.push(s.unwrap_or(0));
        }
        (started.elapsed(), statuses)
    }
}

fn tally(statuses: &[u16]) -> String {
    let mut counts = std::collections::BTreeMap::new();
    for s in statuses {
        *counts.entry(*s).or_insert(0) += 1;
    }
    counts
        .iter()
        .map(|(s, n)| format!("{s}×{n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

async fn concurrent_bookers(bench: &Arc<Bench>, cookies: &[String], rounds: usize) {
    let mut set = tokio::task::JoinSet::new();
    for (i, cookie) in cookies.iter().enumerate() {
        let bench = bench.clone();
        let cookie = cookie.clone();
        set.spawn(async move {
            let mut out = Vec::new();
            for r in 0..rounds {
                out.push(bench.book_and_cancel(&cookie, i * rounds + r).await);
            }
            out
        });
    }
    let mut times = Vec::new();
    let mut statuses = Vec::new();
    while let Some(r) = set.join_next().await {
        for (t, s) in r.unwrap_or_default() {
            times.push(t);
            statuses.push(s);
        }
    }
    times.sort();
    let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    println!(
        "16 concurrent bookers, {} bookings: p50 {p50:.2} ms, p99 {p99:.2} ms, p99/p50 {:.1} (target ≤ 10); statuses {}",
        times.len(),
        p99 / p50,
        tally(&statuses)
    );
}

async fn burst(bench: &Arc<Bench>, cookie: &str) {
    let watcher = {
        let bench = bench.clone();
        let cookie = cookie.to_owned();
        tokio::spawn(async move {
            let mut times = Vec::new();
            let until = Instant::now() + Duration::from_secs(6);
            let mut round = 100_000;
            while Instant::now() < until {
                round += 1;
                times.push(bench.book_and_cancel(&cookie, round).await.0);
            }
            times
        })
    };
    let before = rss_mib();
    let (elapsed, statuses) = bench.sign_up_burst(150, 0).await;
    let peak = rss_mib();
    let mut times = watcher.await.unwrap_or_default();
    times.sort();
    println!(
        "150 sign-ups at once: {:.0} sign-ups/s ({:.2} s), statuses {}; a booker meanwhile: p50 {:.2} ms, p99 {:.2} ms ({} bookings); RSS {before:.0} → {peak:.0} MiB",
        150.0 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64(),
        tally(&statuses),
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.len()
    );
}

async fn soak(bench: &Arc<Bench>, cookies: &[String]) -> anyhow::Result<()> {
    let rss_before = rss_mib();
    let until = Instant::now() + Duration::from_secs(20);
    let mut idle = Vec::new();
    for _ in 0..40 {
        idle.push(tokio::net::TcpStream::connect(bench.base.trim_start_matches("http://")).await?);
    }
    let mut bookers = tokio::task::JoinSet::new();
    for (i, cookie) in cookies.iter().enumerate() {
        let bench = bench.clone();
        let cookie = cookie.clone();
        bookers.spawn(async move {
            let mut statuses = Vec::new();
            let mut round = 200_000 + i * 10_000;
            while Instant::now() < until {
                round += 1;
                statuses.push(bench.book_and_cancel(&cookie, round).await.1);
            }
            statuses
        });
    }
    let mut signups = Vec::new();
    let mut offset = 1000;
    while Instant::now() < until {
        let (_, s) = bench.sign_up_burst(150, offset).await;
        signups.extend(s);
        offset += 150;
        tokio::time::sleep(Duration::from_secs(4)).await;
    }
    let mut bookings = Vec::new();
    while let Some(r) = bookers.join_next().await {
        bookings.extend(r.unwrap_or_default());
    }
    let started = Instant::now();
    let mut tx = bench.state.db.begin().await?;
    sqlx::query("UPDATE catalogue_version SET version = version")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let recovered = started.elapsed();
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(bench.state.db.pool())
        .await?;
    drop(idle);
    tokio::time::sleep(Duration::from_secs(2)).await;
    println!(
        "20 s soak: sign-ups {}, bookings {}; a write after the soak took {:.1} ms; integrity {integrity}; RSS {rss_before:.0} → {:.0} MiB",
        tally(&signups),
        tally(&bookings),
        recovered.as_secs_f64() * 1000.0,
        rss_mib()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let bench = Arc::new(Bench::start(data.path()).await?);
    let cookies = bench.teachers(16).await?;
    concurrent_bookers(&bench, &cookies, 60).await;
    burst(&bench, &cookies[0]).await;
    soak(&bench, &cookies).await?;
    Ok(())
}
