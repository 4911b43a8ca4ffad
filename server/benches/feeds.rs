//! Calendar feed benchmarks, server-side through the service the HTTP handler calls: a
//! feed of 500 events built from scratch (no cache, as before issue 16), the same full GET
//! served from the fingerprint-keyed cache (identity and br), and the 304 answer to a
//! client that has it.
//!
//! Run with `cargo xtask bench`.

mod common;
use common::*;

use leenpunt_server::config::Config;
use leenpunt_server::domain::clock::FixedClock;
use leenpunt_server::domain::ical::conditional::Coding;
use leenpunt_server::service::feeds::{serve, FeedCache, Served};
use leenpunt_server::startup::build_state;
use std::sync::Arc;
use std::time::Instant;

const ROUNDS: usize = 400;

/// Requests per second over 16 connections for a few seconds, counting answers that are
/// 200 or 304; returns (rate, other answers).
async fn http_rate(
    base: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> anyhow::Result<(f64, usize)> {
    const SECONDS: f64 = 4.0;
    let client = reqwest::Client::builder().no_gzip().no_brotli().build()?;
    let url = format!("{base}{path}");
    let mut map = reqwest::header::HeaderMap::new();
    for (name, value) in headers {
        map.insert(
            reqwest::header::HeaderName::from_bytes(name.as_bytes())?,
            value.parse()?,
        );
    }
    let started = Instant::now();
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (client, url, map) = (client.clone(), url.clone(), map.clone());
            tokio::spawn(async move {
                let (mut ok, mut other) = (0usize, 0usize);
                while started.elapsed().as_secs_f64() < SECONDS {
                    match client.get(&url).headers(map.clone()).send().await {
                        Ok(r) if r.status() == 200 || r.status() == 304 => {
                            let _ = r.bytes().await;
                            ok += 1;
                        }
                        _ => other += 1,
                    }
                }
                (ok, other)
            })
        })
        .collect();
    let (mut ok, mut other) = (0, 0);
    for t in tasks {
        let (o, x) = t.await?;
        ok += o;
        other += x;
    }
    if other > 0 {
        println!("  ({other} answers neither 200 nor 304)");
    }
    Ok((ok as f64 / started.elapsed().as_secs_f64(), other))
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let dir = tempfile::tempdir()?;
        let config = Config {
            data_dir: dir.path().to_path_buf(),
            demo_data: true,
            ..Config::default()
        };
        let today = BENCH_TODAY;
        let clock = FixedClock::on(today);
        let state = build_state(config, Arc::new(clock)).await?;
        let token = feed_fixture(&state, today).await?;
        let public_url = FEED_PUBLIC_URL;

        let ask = |coding, etag| feed_request(&token, coding, etag);
        // Today's path: no cache, every full GET builds the calendar.
        let FeedBuilds { times: built, body: fresh, etag } = feed_builds(&state, &token, ROUNDS).await?;
        let text = String::from_utf8_lossy(&fresh).into_owned();
        let events = text.matches("BEGIN:VEVENT").count();
        report(&format!("feed of {events} events ({} bytes), built (no cache)", fresh.len()), built.clone());

        let cache = FeedCache::default();
        let mut cached = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let started = Instant::now();
            let served = serve(&state.db, &cache, &clock, public_url, &ask(Coding::Identity, None)).await?;
            cached.push(started.elapsed());
            match served {
                Served::Calendar { body, .. } => assert_eq!(body, fresh, "the cached body is the built one"),
                other => panic!("{other:?}"),
            }
        }
        report("feed unchanged, full GET from the cache", cached.clone());
        let mut brotli = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let started = Instant::now();
            serve(&state.db, &cache, &clock, public_url, &ask(Coding::Brotli, None)).await?;
            brotli.push(started.elapsed());
        }
        report("feed unchanged, full GET from the cache, br", brotli);
        let mut not_modified = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let started = Instant::now();
            let served = serve(&state.db, &cache, &clock, public_url, &ask(Coding::Identity, Some(&etag))).await?;
            not_modified.push(started.elapsed());
            assert!(matches!(served, Served::NotModified { .. }));
        }
        report("feed unchanged, 304", not_modified);
        let mean = |t: &[std::time::Duration]| t.iter().sum::<std::time::Duration>().as_secs_f64() / t.len() as f64;
        println!(
            "full GET of an unchanged feed: {:.1}x faster from the cache (mean {:.3} ms vs {:.3} ms)",
            mean(&built) / mean(&cached),
            mean(&cached) * 1000.0,
            mean(&built) * 1000.0
        );

        // Over HTTP, as calendar clients poll: the real router on loopback, 16 connections.
        let path = format!("/agenda/{token}.ics");
        let mut uncached = state.clone();
        uncached.feed_cache = FeedCache::with_budget(0);
        let without = Instance::spawn(uncached).await?;
        let with = Instance::spawn(state.clone()).await?;
        let (rate_before, _) = http_rate(&without, &path, &[]).await?;
        println!("HTTP full GET, no cache (today's path): {rate_before:.0} req/s");
        let (rate_after, _) = http_rate(&with, &path, &[]).await?;
        println!(
            "HTTP full GET, unchanged feed from the cache: {rate_after:.0} req/s ({:.1}x)",
            rate_after / rate_before
        );
        let (rate, _) = http_rate(&with, &path, &[("accept-encoding", "br")]).await?;
        println!("HTTP full GET from the cache, br: {rate:.0} req/s");
        let (rate, _) = http_rate(&with, &path, &[("if-none-match", &etag)]).await?;
        println!("HTTP 304: {rate:.0} req/s");
        Ok(())
    })
}
