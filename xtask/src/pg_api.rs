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
/// `env` is what the files need besides the database (the built front end, the calendar
/// parsers), as the SQLite run gets it.
pub fn run(root: &Path, env: &[(&str, &Path)], pg_url: &str) -> Result<()> {
    let mut times: Vec<(String, Duration, bool)> = Vec::new();
    for file in files(root)? {
        let started = Instant::now();
        let mut cmd = tools::cargo();
        // `--workspace`, as in the step before: with `-p leenpunt-tests` cargo resolves the
        // dependencies' features for that package alone and builds everything again.
        cmd.args(["test", "--workspace", "--test", &file]);
        for (name, value) in env {
            cmd.env(name, value);
        }
        let passed = tools::run(
            cmd.env("LEENPUNT_TEST_ENGINE", "postgres")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_files_are_read_from_the_folder() {
        let files = files(&crate::tools::workspace_root()).expect("tests/tests");
        for known in [
            "api_reservations",
            "api_traffic",
            "api_privacy",
            "api_instances",
        ] {
            assert!(files.iter().any(|f| f == known), "{known} in {files:?}");
        }
        assert!(files.iter().all(|f| f.starts_with("api_")), "{files:?}");
        assert!(files.windows(2).all(|w| w[0] < w[1]), "sorted, once each");
    }
}
