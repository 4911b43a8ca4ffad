//! The same workload on SQLite and on PostgreSQL in one run (issue 17), and booking on
//! PostgreSQL through one app instance against two instances on the same database:
//! - availability of one kit type for a month and for 12 months (p50/p95), with 10,000
//!   bookings on it and 10,000 on the other kit types (the base of the `reservations`
//!   bench);
//! - booking over HTTP (`POST /api/v1/reservations`, every rule checked) by one booker and
//!   by 16 at once: bookings created per second, p50/p95;
//! - building a calendar feed of 500 events without a cache (p50/p95);
//! - on PostgreSQL, 16 bookers against one instance and split over two instances (each
//!   with its own pools, as two processes would have; both in this process, beside the
//!   bookers, so they share its cores).
//!
//! Prints one table. PostgreSQL needs `LEENPUNT_BENCH_PG_URL`, a server where the bench may
//! create a database (`cargo xtask bench` starts a throwaway one); without it only the
//! SQLite half runs and the table says PostgreSQL was skipped. `LEENPUNT_BENCH_QUICK=1`
//! measures fewer rounds (a few minutes on a loaded two-core machine).
//!
//! Run with `cargo xtask bench`.

mod common;
use common::*;

use chrono::NaiveDate;
use leenpunt_server::config::Config;
use leenpunt_server::domain::clock::FixedClock;
use sqlx::Connection;
use std::sync::Arc;

/// How much is measured.
struct Scale {
    /// Availability answers and feed builds per figure.
    rounds: usize,
    /// Bookings by the single booker.
    single: usize,
    /// Bookings by each of the 16 bookers.
    each_of_16: usize,
}

impl Scale {
    fn from_env() -> Scale {
        if std::env::var_os("LEENPUNT_BENCH_QUICK").is_some() {
            Scale {
                rounds: 100,
                single: 100,
                each_of_16: 15,
            }
        } else {
            Scale {
                rounds: 400,
                single: 400,
                each_of_16: 60,
            }
        }
    }
}

/// One engine's figures.
struct Figures {
    month: [f64; 3],
    year: [f64; 3],
    single: Load,
    sixteen: Load,
    feed: [f64; 2],
}

/// What the two-instance comparison needs of the engine's run.
struct Running {
    instance: Instance,
    bookers: Arc<Bookers>,
    cookies: Vec<String>,
}

fn today() -> NaiveDate {
    BENCH_TODAY
}

fn config(data: &std::path::Path, database_url: Option<String>) -> Config {
    Config {
        data_dir: data.to_path_buf(),
        database_url,
        demo_data: true,
        // The bookers sign in from addresses of their own, behind this "proxy".
        trusted_proxies: vec!["127.0.0.1".into()],
        ..Config::default()
    }
}

async fn start(config: Config) -> anyhow::Result<Instance> {
    Instance::start(config, Arc::new(FixedClock::on(today()))).await
}

/// The workload on one engine, on a new database with the demo data.
async fn measure(
    engine: &str,
    config: Config,
    scale: &Scale,
) -> anyhow::Result<(Figures, Running)> {
    println!("-- {engine}");
    let instance = start(config).await?;
    let state = &instance.state;
    let pool = state.db.writer().clone();
    let started = std::time::Instant::now();
    let recent = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    add_reservations(&pool, 10_000, 1, recent, 730, Some(AVAILABILITY_KIT)).await?;
    add_reservations(&pool, 10_000, 3, recent, 730, None).await?;
    let token = feed_fixture(state, today()).await?;
    let bookers = Arc::new(Bookers::prepare(state, today(), "ENGINES").await?);
    sqlx::query("ANALYZE").execute(&pool).await?;
    println!(
        "(20,500 bookings added in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    let label = "10,000 bookings on the kit type";
    let month = availability_latency(state, label, 1, scale.rounds).await?;
    let year = availability_latency(state, label, 12, scale.rounds).await?;
    let mut builds = feed_builds(state, &token, scale.rounds).await?.times;
    builds.sort();
    let feed = [percentile(&builds, 0.5), percentile(&builds, 0.95)];
    println!(
        "feed build, {FEED_EVENTS} events: p50 {:.3} ms, p95 {:.3} ms",
        feed[0], feed[1]
    );
    let cookies = bookers
        .teachers(state, &instance.base, 16, "engines")
        .await?;
    let bases = [instance.base.clone()];
    let single = bookers
        .run(&bases, &cookies[..1], scale.single, 0, false)
        .await;
    say("booking, 1 booker", &single);
    let sixteen = bookers
        .run(&bases, &cookies, scale.each_of_16, 100_000, false)
        .await;
    say("booking, 16 bookers", &sixteen);
    let figures = Figures {
        month,
        year,
        single,
        sixteen,
        feed,
    };
    Ok((
        figures,
        Running {
            instance,
            bookers,
            cookies,
        },
    ))
}

fn say(what: &str, load: &Load) {
    println!(
        "{what}: {:.0} created/s, p50 {:.2} ms, p95 {:.2} ms; statuses {}",
        load.rate(),
        load.p(0.5),
        load.p(0.95),
        load.tally()
    );
}

/// A new database on the PostgreSQL server of `admin_url` (byte-wise collation, as the
/// baseline migration asks), replacing one a killed run left: its name and URL.
async fn pg_database(admin_url: &str) -> anyhow::Result<(String, String)> {
    let name = format!("leenpunt_bench_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(admin_url).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await?;
    sqlx::query(&format!(
        "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
    ))
    .execute(&mut admin)
    .await?;
    admin.close().await?;
    let (without_query, query) = match admin_url.split_once('?') {
        Some((url, query)) => (url, format!("?{query}")),
        None => (admin_url, String::new()),
    };
    let (server, _) = without_query
        .rsplit_once('/')
        .filter(|(server, _)| server.contains("//"))
        .ok_or_else(|| anyhow::anyhow!("LEENPUNT_BENCH_PG_URL needs a database path"))?;
    Ok((name.clone(), format!("{server}/{name}{query}")))
}

async fn drop_pg_database(admin_url: &str, name: &str) -> anyhow::Result<()> {
    let mut admin = sqlx::PgConnection::connect(admin_url).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    Ok(())
}

/// PostgreSQL: the engine's figures, then 16 bookers split over two instances.
async fn postgres(admin_url: &str, scale: &Scale) -> anyhow::Result<(Figures, Load)> {
    let (name, url) = pg_database(admin_url).await?;
    let data = tempfile::tempdir()?;
    let (figures, running) =
        measure("PostgreSQL", config(data.path(), Some(url.clone())), scale).await?;
    let second = start(config(data.path(), Some(url))).await?;
    let bases = [running.instance.base.clone(), second.base.clone()];
    let two = running
        .bookers
        .run(&bases, &running.cookies, scale.each_of_16, 200_000, false)
        .await;
    say("booking, 16 bookers over two instances", &two);
    running.instance.state.db.close().await;
    second.state.db.close().await;
    drop_pg_database(admin_url, &name).await?;
    Ok((figures, two))
}

fn pair(p: [f64; 2]) -> String {
    format!("{:.2} / {:.2} ms", p[0], p[1])
}

fn rate(load: &Load) -> String {
    let other = load.statuses.len() - load.created();
    let refused = if other == 0 {
        String::new()
    } else {
        format!(" ({other} not created: {})", load.tally())
    };
    format!(
        "{:.0}/s, {:.1} / {:.1} ms{refused}",
        load.rate(),
        load.p(0.5),
        load.p(0.95)
    )
}

fn table(sqlite: &Figures, pg: Option<&(Figures, Load)>, scale: &Scale) {
    let column = |f: &dyn Fn(&Figures) -> String| {
        (
            f(sqlite),
            pg.map_or_else(|| "skipped".to_owned(), |(p, _)| f(p)),
        )
    };
    let rows: Vec<(String, (String, String))> = vec![
        (
            "availability, 1 month: p50 / p95".into(),
            column(&|f| pair([f.month[0], f.month[1]])),
        ),
        (
            "availability, 12 months: p50 / p95".into(),
            column(&|f| pair([f.year[0], f.year[1]])),
        ),
        (
            format!("booking, 1 booker ({}): created/s, p50 / p95", scale.single),
            column(&|f| rate(&f.single)),
        ),
        (
            format!(
                "booking, 16 bookers ({}): created/s, p50 / p95",
                16 * scale.each_of_16
            ),
            column(&|f| rate(&f.sixteen)),
        ),
        (
            format!("feed build, {FEED_EVENTS} events: p50 / p95"),
            column(&|f| pair(f.feed)),
        ),
    ];
    println!(
        "\n| ({} rounds per latency figure) | SQLite | PostgreSQL |",
        scale.rounds
    );
    println!("|---|---|---|");
    for (what, (a, b)) in rows {
        println!("| {what} | {a} | {b} |");
    }
    match pg {
        Some((p, two)) => {
            println!("\n| PostgreSQL, 16 bookers | created/s, p50 / p95 |");
            println!("|---|---|");
            println!("| one instance | {} |", rate(&p.sixteen));
            println!("| two instances, bookers split | {} |", rate(two));
            println!(
                "\ntwo instances / one: {:.2}x the bookings per second",
                two.rate() / p.sixteen.rate()
            );
        }
        None => println!("\nPostgreSQL skipped: LEENPUNT_BENCH_PG_URL is not set."),
    }
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let scale = Scale::from_env();
        let data = tempfile::tempdir()?;
        let (sqlite, running) = measure("SQLite", config(data.path(), None), &scale).await?;
        running.instance.state.db.close().await;
        let pg = match std::env::var("LEENPUNT_BENCH_PG_URL") {
            Ok(url) if !url.is_empty() => Some(postgres(&url, &scale).await?),
            _ => None,
        };
        table(&sqlite, pg.as_ref(), &scale);
        Ok(())
    })
}
