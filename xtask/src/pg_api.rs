//! The PostgreSQL step of `cargo xtask test`: every `tests/tests/api_*.rs` file once more,
//! each app on a fresh PostgreSQL database (`LEENPUNT_TEST_ENGINE=postgres`). The files are
//! read from the folder, so a new API test file runs on both engines without being listed.

use crate::tools;
use anyhow::{bail, Result};
use std::path::Path;
use std::time::{Duration, Instant};

/// API test files that cannot run on PostgreSQL, each with the reason. Keep it short: a
/// file that only *uses* SQLite-specific SQL gets an engine-aware helper
/// (`leenpunt_tests::schema`) instead of a place here.
const SQLITE_ONLY: &[(&str, &str)] = &[];

/// The API test files' names (`api_x` for `tests/tests/api_x.rs`), sorted, minus
/// `SQLITE_ONLY`. Fails when an exclusion names no file (a renamed or removed file).
pub fn files(root: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(root.join("tests/tests"))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".rs") {
            if stem.starts_with("api_") {
                names.push(stem.to_owned());
            }
        }
    }
    for (excluded, _) in SQLITE_ONLY {
        if !names.iter().any(|n| n == excluded) {
            bail!("xtask's SQLITE_ONLY names {excluded}, which is not in tests/tests");
        }
    }
    names.retain(|n| !SQLITE_ONLY.iter().any(|(x, _)| x == n));
    names.sort();
    Ok(names)
}

/// Runs each file on PostgreSQL (compiled already by the step before), all of them even
/// when one fails, then prints the wall time of each, slowest first, and the sum.
/// `site` is the built front end, for the files that load pages.
pub fn run(root: &Path, site: &Path, pg_url: &str) -> Result<()> {
    let mut times: Vec<(String, Duration, bool)> = Vec::new();
    for file in files(root)? {
        let started = Instant::now();
        let passed = tools::run(
            tools::cargo()
                .args(["test", "-p", "leenpunt-tests", "--test", &file])
                .env("LEENPUNT_TEST_SITE_DIR", site)
                .env("LEENPUNT_TEST_ENGINE", "postgres")
                .env("LEENPUNT_TEST_PG_URL", pg_url)
                .env("LEENPUNT_TEST_REQUIRE_PG", "1"),
        )
        .is_ok();
        times.push((file, started.elapsed(), passed));
    }
    let total: Duration = times.iter().map(|(_, t, _)| *t).sum();
    times.sort_by_key(|t| std::cmp::Reverse(t.1));
    println!("\nAPI tests on PostgreSQL, wall time per file:");
    for (file, time, passed) in &times {
        let mark = if *passed { "" } else { "  FAILED" };
        println!("  {file:<28} {:>6.1} s{mark}", time.as_secs_f64());
    }
    println!("  {:<28} {:>6.1} s", "sum", total.as_secs_f64());
    let failed: Vec<&str> = times
        .iter()
        .filter(|(_, _, passed)| !passed)
        .map(|(file, _, _)| file.as_str())
        .collect();
    if !failed.is_empty() {
        bail!("API tests failed on PostgreSQL: {}", failed.join(", "));
    }
    for (excluded, why) in SQLITE_ONLY {
        println!("  not run on PostgreSQL: {excluded} ({why})");
    }
    Ok(())
}
