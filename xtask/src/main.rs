//! `cargo xtask <command>`: build, run, test and bench Leenpunt with cargo alone.
//!
//! - `build [--release]`  build the front end (wasm) into target/site, then the server
//! - `run`                build everything in release mode and serve the demo on 127.0.0.1:3000
//! - `test`               fmt, clippy, unit/integration/browser tests (installs Chromium if missing)
//! - `bench`              catalogue search, availability, booking, feed and hand-over figures,
//!   and the same workload on SQLite and PostgreSQL (starts a throwaway cluster)
//! - `site`               only the front end
//! - `pg`                 a throwaway PostgreSQL for development; prints its URL

mod pg_api;
mod postgres;
mod site;
mod tools;

use anyhow::{bail, Result};
use std::path::Path;
use std::process::Command;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = tools::workspace_root();
    std::env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("site") => site::build(&root).map(|_| ()),
        Some("build") => {
            site::build(&root)?;
            build_server(args.iter().any(|a| a == "--release"))
        }
        Some("run") => run(),
        Some("test") => test(&root),
        Some("bench") => bench(&root),
        Some("pg") => postgres::serve(),
        _ => {
            eprintln!("usage: cargo xtask <site|build [--release]|run|test|bench|pg>");
            bail!("unknown command")
        }
    }
}

fn build_server(release: bool) -> Result<()> {
    let mut cmd = Command::new("cargo");
    cmd.args(["build", "-p", "leenpunt-server", "--bin", "leenpunt"]);
    if release {
        cmd.args(["--release", "--features", "embed-assets"]);
    }
    tools::run(&mut cmd)
}

fn run() -> Result<()> {
    let root = tools::workspace_root();
    site::build(&root)?;
    build_server(true)?;
    println!("\nDemo: the catalogue is loaded on first start into ./data/leenpunt.db");
    let status = Command::new(tools::cargo_target_dir(&root).join("release/leenpunt")).status()?;
    if !status.success() {
        bail!("leenpunt exited with {status}");
    }
    Ok(())
}

fn test(root: &std::path::Path) -> Result<()> {
    tools::step("cargo fmt --check");
    tools::run(Command::new("cargo").args(["fmt", "--all", "--", "--check"]))?;
    tools::step("clippy (server, tests, tools)");
    tools::run(tools::cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    let site = site::build(root)?;
    tools::step("clippy (browser build)");
    tools::run(
        Command::new("cargo")
            .arg("clippy")
            .args(site::WASM_BUILD_ARGS)
            .args(["--", "-D", "warnings"]),
    )?;
    tools::run(
        Command::new("cargo")
            .arg("clippy")
            .args(site::DESK_QUEUE_BUILD_ARGS)
            .args(["--", "-D", "warnings"]),
    )?;
    let (chromium, driver) = tools::ensure_chromium()?;
    let icaljs = tools::ensure_calendar_parsers(root)?;
    let axe = tools::ensure_axe(root)?;
    // Stopped and deleted when `pg` is dropped, also when the tests fail.
    let pg = postgres::Postgres::start()?;
    const TEST_ARGS: [&str; 5] = ["test", "--workspace", "--lib", "--bins", "--tests"];
    // Compile first, on its own: a link that fails (a linker crash, a full disk) is told apart
    // from a failing test, shows the free space, and is tried once more before giving up.
    tools::step("cargo test --workspace --no-run");
    tools::disk_report(root);
    if let Err(first) = tools::run(tools::cargo().args(TEST_ARGS).arg("--no-run")) {
        eprintln!("building the tests failed ({first:#}); free space now:");
        tools::disk_report(root);
        tools::run(
            tools::cargo()
                .args(TEST_ARGS)
                .arg("--no-run")
                .arg("--jobs=1"),
        )?;
    }
    tools::disk_report(root);
    tools::step("cargo test --workspace");
    tools::run(
        tools::cargo()
            .args(TEST_ARGS)
            .env("LEENPUNT_TEST_SITE_DIR", &site)
            .env("LEENPUNT_TEST_CHROMIUM", chromium)
            .env("LEENPUNT_TEST_CHROMEDRIVER", driver)
            .env("LEENPUNT_TEST_ICALJS", &icaljs)
            .env("LEENPUNT_TEST_LIBICAL", "/usr/bin/python3")
            .env("LEENPUNT_TEST_AXE", axe)
            .env("LEENPUNT_TEST_PG_URL", &pg.url)
            .env("LEENPUNT_TEST_REQUIRE_PG", "1"),
    )?;
    // Every API test file once more, each app on a fresh PostgreSQL database (`pg_schema`
    // and `pg_instances` ran in the step above). Compiled already: run time only
    // (docs/postgres.md, "Tests on PostgreSQL", has the figures and the exclusions).
    tools::step("API tests on PostgreSQL");
    let env = [
        ("LEENPUNT_TEST_SITE_DIR", site.as_path()),
        ("LEENPUNT_TEST_ICALJS", icaljs.as_path()),
        ("LEENPUNT_TEST_LIBICAL", Path::new("/usr/bin/python3")),
    ];
    pg_api::run(root, &env, &pg.url)?;
    Ok(())
}

fn bench(root: &std::path::Path) -> Result<()> {
    let site = site::build(root)?;
    for name in [
        "catalogue_search",
        "reservations",
        "feeds",
        "handover",
        "traffic",
        "stats",
    ] {
        tools::step(&format!("benchmark {name}"));
        tools::run(
            Command::new("cargo")
                .args(["bench", "-p", "leenpunt-server", "--bench", name])
                .env("LEENPUNT_SITE_DIR", &site),
        )?;
    }
    // Both engines in one run, on a throwaway PostgreSQL (stopped and deleted when `pg` is
    // dropped, also when the bench fails).
    let pg = postgres::Postgres::start()?;
    tools::step("benchmark engines (SQLite and PostgreSQL)");
    tools::run(
        Command::new("cargo")
            .args(["bench", "-p", "leenpunt-server", "--bench", "engines"])
            .env("LEENPUNT_SITE_DIR", &site)
            .env("LEENPUNT_BENCH_PG_URL", &pg.url),
    )?;
    drop(pg);
    Ok(())
}
