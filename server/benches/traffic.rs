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
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    bookers: Arc<Bookers>,
}

impl Bench {
    async fn start(data: &std::path::Path) -> anyhow::Result<Bench> {
        let config = Config {
            data_dir: data.to_path_buf(),
            site_dir: std::env::var_os("LEENPUNT_SITE_DIR")
                .map(Into::into)
                .unwrap_or_else(|| "target/site".into()),
            trusted_proxies: vec!["127.0.0.1".into()],
            ..Config::default()
        };
        let Instance { base, state } = Instance::start(config, Arc::new(SystemClock)).await?;
        // Loan kit types of one pickup point, without trainings, opened up for the bench.
        let today = chrono::Utc::now().date_naive();
        let bookers = Bookers::prepare(&state, today, "TRAFFIC").await?;
        Ok(Bench {
            base,
            client: bookers.client.clone(),
            state,
            bookers: Arc::new(bookers),
        })
    }

    /// Teachers of different schools, signed in; their cookies.
    async fn teachers(&self, n: usize) -> anyhow::Result<Vec<String>> {
        self.bookers
            .teachers(&self.state, &self.base, n, "bench")
            .await
    }

    /// One booking and its cancellation; the booking's latency and status.
    async fn book_and_cancel(&self, cookie: &str, round: usize) -> (Duration, u16) {
        let booked = self.bookers.book(&self.base, cookie, round).await;
        if let Some(id) = booked.id {
            self.bookers.cancel(&self.base, cookie, id).await;
        }
        (booked.latency, booked.status)
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

async fn concurrent_bookers(bench: &Arc<Bench>, cookies: &[String], rounds: usize) {
    let load = bench
        .bookers
        .run(std::slice::from_ref(&bench.base), cookies, rounds, 0, true)
        .await;
    let (p50, p99) = (load.p(0.5), load.p(0.99));
    println!(
        "16 concurrent bookers, {} bookings: p50 {p50:.2} ms, p99 {p99:.2} ms, p99/p50 {:.1} (target ≤ 10); statuses {}",
        load.times.len(),
        p99 / p50,
        load.tally()
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
