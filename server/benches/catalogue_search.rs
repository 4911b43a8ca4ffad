//! Catalogue benchmarks: search latency over 10,000 entries (server-side, through the same
//! service the API uses), and the compressed weight of a first catalogue page load.
//!
//! Run with `cargo xtask bench` (which builds the front end first).

mod common;
use common::*;

use axum::body::Body;
use axum::http::{header, Request};
use leenpunt_server::config::Config;
use leenpunt_server::db::Db;
use leenpunt_server::domain::clock::SystemClock;
use leenpunt_server::domain::csv_table::write_table;
use leenpunt_server::domain::import::CATALOGUE_COLUMNS;
use leenpunt_server::service::catalogue::Catalogue;
use leenpunt_server::service::import::{import_catalogue, load_data_set, DEMO};
use leenpunt_server::startup::build_state;
use leenpunt_shared::{CatalogueQuery, KitKind, Level, Theme};
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;

const ENTRIES: usize = 10_000;
const ROUNDS: usize = 400;

const WORDS: &[&str] = &[
    "robot",
    "bij",
    "bouwen",
    "natuur",
    "water",
    "bos",
    "boerderij",
    "erfgoed",
    "oorlog",
    "vrede",
    "europa",
    "wereld",
    "lezen",
    "verhaal",
    "klimaat",
    "energie",
    "programmeren",
    "meten",
    "insecten",
    "kasteel",
    "museum",
    "voeding",
    "groenten",
    "techniek",
    "elektriciteit",
    "licht",
    "geluid",
    "kaart",
    "zee",
    "duinen",
    "vogels",
    "rivier",
    "afval",
    "recycleren",
    "talent",
    "beroepen",
];

fn synthetic_catalogue(partners: &[(String, Vec<String>)]) -> String {
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let rows = (0..ENTRIES).map(|i| {
        let (partner, pickups) = &partners[next(partners.len())];
        let kind = [
            KitKind::LoanMaterial,
            KitKind::LoanMaterial,
            KitKind::LessonPackage,
            KitKind::Visit,
        ][next(4)];
        let words: Vec<&str> = (0..4).map(|_| WORDS[next(WORDS.len())]).collect();
        let title = format!("{} en {} {}", capitalise(words[0]), words[1], i);
        let themes = [
            Theme::ALL[next(Theme::ALL.len())],
            Theme::ALL[next(Theme::ALL.len())],
        ];
        let levels = [
            Level::ALL[next(Level::ALL.len())],
            Level::ALL[next(Level::ALL.len())],
        ];
        let reservable = kind.is_reservable();
        let mut row = vec![String::new(); CATALOGUE_COLUMNS.len()];
        row[0] = format!("bench-{i}");
        row[1] = title;
        row[2] = kind.code().into();
        row[3] = partner.clone();
        row[4] = themes
            .iter()
            .map(|t| t.code())
            .collect::<Vec<_>>()
            .join(";");
        row[5] = levels
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join(";");
        row[6] = format!("Een leermiddel over {} en {}.", words[2], words[3]);
        row[7] = format!(
            "Met dit materiaal ontdekken leerlingen {} , {} en {}.",
            words[1], words[2], words[3]
        );
        if reservable {
            row[8] = "Handleiding:1;Werkbladen:25".into();
            row[9] = pickups.join(";");
            row[13] = format!("B{i}-1;B{i}-2");
        } else {
            row[12] = "https://klasbakken.west-vlaanderen.example/aanbod".into();
        }
        row
    });
    write_table(CATALOGUE_COLUMNS, rows)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn query(qs: &str) -> CatalogueQuery {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(qs).expect("query");
    CatalogueQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).0
}

async fn search_latency() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = Db::open(&format!(
        "sqlite://{}",
        dir.path().join("bench.db").display()
    ))
    .await?;
    let now = chrono::Utc::now().to_rfc3339();
    let empty_catalogue = leenpunt_server::service::import::DemoData { catalogue: "slug,title,kind,partner,themes,levels,summary,description,parts,pickup_points,trainings,photos,external_url,units,lead_days,horizon_days,min_loan_days,max_loan_days,buffer_days,max_per_school,needs_approval\n", ..DEMO };
    load_data_set(&db, &empty_catalogue, &now).await?;
    let partners: Vec<(String, Vec<String>)> = {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT p.slug, group_concat(pp.slug, ';') FROM partners p JOIN pickup_points pp ON pp.partner_id = p.id GROUP BY p.slug",
        )
        .fetch_all(db.pool())
        .await?;
        rows.into_iter()
            .map(|(p, pp)| (p, pp.split(';').map(String::from).collect()))
            .collect()
    };
    let csv = synthetic_catalogue(&partners);
    let started = Instant::now();
    let counts = import_catalogue(&db, &csv, &now)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!(
        "imported {} entries in {:.1} s",
        counts.created,
        started.elapsed().as_secs_f64()
    );

    let catalogue = Catalogue::new(db.clone());
    let cases = [
        ("everything", ""),
        ("one word", "q=robot"),
        ("two words", "q=bouwen+natuur"),
        ("prefix", "q=prog"),
        ("facets", "theme=stem&level=lager&kind=uitleen"),
        ("text + facets", "q=water&theme=natuur-milieu&level=so-1"),
        ("page 20, by title", "sort=title&page=20"),
        ("newest", "sort=newest&level=kleuter"),
    ];
    let queries: Vec<(&str, CatalogueQuery)> = cases.iter().map(|(n, q)| (*n, query(q))).collect();
    for (_, q) in &queries {
        catalogue.search(q).await?; // warm the index and SQLite's page cache
    }
    println!(
        "\nCatalogue search over {ENTRIES} entries ({ROUNDS} rounds per query, server-side, ms)"
    );
    println!(
        "{:<22} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "query", "results", "p50", "p95", "p99", "max"
    );
    let mut all = Vec::new();
    for (name, q) in &queries {
        let mut times = Vec::with_capacity(ROUNDS);
        let mut total = 0;
        for _ in 0..ROUNDS {
            let t = Instant::now();
            total = catalogue.search(q).await?.total;
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "{:<22} {:>8} {:>8.3} {:>8.3} {:>8.3} {:>8.3}",
            name,
            total,
            percentile(&times, 0.50),
            percentile(&times, 0.95),
            percentile(&times, 0.99),
            percentile(&times, 1.0)
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "{:<22} {:>8} {:>8.3} {:>8.3} {:>8.3} {:>8.3}   (target: p99 < 5 ms)",
        "ALL",
        "",
        percentile(&all, 0.50),
        percentile(&all, 0.95),
        percentile(&all, 0.99),
        percentile(&all, 1.0)
    );
    db.close().await;
    Ok(())
}

async fn page_weight() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        site_dir: std::env::var_os("LEENPUNT_SITE_DIR")
            .map(Into::into)
            .unwrap_or_else(|| "target/site".into()),
        ..Config::default()
    };
    let state = build_state(config, Arc::new(SystemClock)).await?;
    let Some(manifest) = state.assets.manifest.clone() else {
        println!("\n(no built front end: run `cargo xtask bench` for the page-weight figures)");
        return Ok(());
    };
    let app = leenpunt_server::http::router(state);
    println!("\nFirst load of /catalogus (brotli where the browser accepts it)");
    println!("{:<44} {:>10} {:>14}", "resource", "bytes", "encoding");
    let mut total = 0usize;
    for path in [
        "/catalogus",
        manifest.css.as_str(),
        manifest.js.as_str(),
        manifest.wasm.as_str(),
    ] {
        let request = Request::get(path)
            .header(header::ACCEPT_ENCODING, "br, gzip")
            .body(Body::empty())?;
        let response = app.clone().oneshot(request).await?;
        let encoding = response
            .headers()
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("identity")
            .to_owned();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        println!("{:<44} {:>10} {:>14}", path, bytes.len(), encoding);
        total += bytes.len();
    }
    println!(
        "{:<44} {:>10}   (target: <= 250 KB = 250000 bytes)",
        "TOTAL", total
    );
    let raw = std::fs::metadata(
        std::path::Path::new(
            &std::env::var("LEENPUNT_SITE_DIR").unwrap_or_else(|_| "target/site".into()),
        )
        .join(manifest.wasm.trim_start_matches('/')),
    )?
    .len();
    println!("wasm raw: {raw} bytes");
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        search_latency().await?;
        page_weight().await
    })
}
