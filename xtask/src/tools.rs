//! Small helpers: running commands, finding tools, installing the test browser.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Cargo's output folder (`CARGO_TARGET_DIR` or `<root>/target`). The built site always
/// goes to `<root>/target/site`, where the server and its embedding look for it.
pub fn cargo_target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

pub fn step(name: &str) {
    println!("\n==> {name}");
}

/// `cargo` for the test run: no incremental caches, which a one-off run never reuses and
/// which would otherwise take gigabytes of the target directory's disk.
pub fn cargo() -> Command {
    let mut cmd = Command::new("cargo");
    cmd.env("CARGO_INCREMENTAL", "0");
    cmd
}

/// Prints the free space where the build writes (`df -h`), so a CI log shows it next to a
/// failing link. Best effort: a missing `df` prints nothing.
pub fn disk_report(root: &std::path::Path) {
    let target = cargo_target_dir(root);
    let _ = Command::new("df")
        .arg("-h")
        .arg(if target.exists() { &target } else { root })
        .status();
}

/// Runs a command, failing with its name when it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("starting {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

pub fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd.output().with_context(|| format!("starting {cmd:?}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The wasm target is not on a fresh machine and rustup will not add it by itself here.
pub fn ensure_wasm_target() -> Result<()> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        step("rustup target add wasm32-unknown-unknown");
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// wasm-opt from the npm registry's `binaryen` (Debian's old one breaks hydration).
/// Returns `None` when npm is not available; the unoptimised wasm still works.
pub fn wasm_opt(root: &Path) -> Option<PathBuf> {
    let tools = root.join("target/tools");
    let bin = tools.join("node_modules/.bin/wasm-opt");
    if bin.exists() {
        return Some(bin);
    }
    step("npm install binaryen (wasm-opt)");
    let _ = std::fs::create_dir_all(&tools);
    let ok = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&tools)
        .arg("binaryen@132.0.0")
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if ok && bin.exists() {
        Some(bin)
    } else {
        eprintln!("warning: wasm-opt unavailable; the wasm is served unoptimised");
        None
    }
}

pub fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

/// Chromium and chromedriver from Debian's packages, installed when missing.
pub fn ensure_chromium() -> Result<(PathBuf, PathBuf)> {
    if let (Some(c), Some(d)) = (which("chromium"), which("chromedriver")) {
        return Ok((c, d));
    }
    step("apt-get install chromium chromium-driver");
    run(Command::new("apt-get").arg("update").arg("-qq"))?;
    run(Command::new("apt-get")
        .args([
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    match (which("chromium"), which("chromedriver")) {
        (Some(c), Some(d)) => Ok((c, d)),
        _ => bail!("chromium or chromedriver still missing after install"),
    }
}

/// Three independent iCalendar parsers the tests check our feeds with: Python's
/// `icalendar` and libical (through `gir1.2-ical-3.0`), both Debian packages for Debian's
/// Python, and Mozilla's ical.js (npm). Returns ical.js's folder.
pub fn ensure_calendar_parsers(root: &Path) -> Result<PathBuf> {
    // Debian's own Python: the package installs for it, whatever else is on PATH.
    let has_python = Command::new("/usr/bin/python3")
        .args([
            "-c",
            "import icalendar, gi; gi.require_version('ICalGLib', '3.0')",
        ])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !has_python {
        step("apt-get install python3-icalendar python3-gi gir1.2-ical-3.0");
        run(Command::new("apt-get").arg("update").arg("-qq"))?;
        run(Command::new("apt-get")
            .args([
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                "python3-icalendar",
                "python3-gi",
                "gir1.2-ical-3.0",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"))?;
    }
    let tools = root.join("target/tools");
    let icaljs = tools.join("node_modules/ical.js");
    if !icaljs.exists() {
        step("npm install ical.js");
        std::fs::create_dir_all(&tools)?;
        run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&tools)
            .arg("ical.js@2.2.1"))?;
    }
    Ok(icaljs)
}

/// axe-core (npm), the accessibility checker the browser tests inject into every page of
/// the route walk. Returns the path of its `axe.min.js`.
pub fn ensure_axe(root: &Path) -> Result<PathBuf> {
    let tools = root.join("target/tools");
    let axe = tools.join("node_modules/axe-core/axe.min.js");
    let wanted = "\"version\": \"4.14.1\"";
    let installed = std::fs::read_to_string(tools.join("node_modules/axe-core/package.json"))
        .is_ok_and(|p| p.contains(wanted));
    if !installed {
        step("npm install axe-core");
        std::fs::create_dir_all(&tools)?;
        run(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&tools)
            .arg("axe-core@4.14.1"))?;
    }
    Ok(axe)
}
