//! Builds the front end into target/site: the hydrate wasm and its JS glue (content-hashed,
//! optimised with wasm-opt, precompressed), the stylesheet, and the static assets.

use crate::tools::{ensure_wasm_target, run, step, wasm_opt};
use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_PROFILE: &str = "wasm-release";

/// The package, target, features and profile of the browser build (for `build` and `clippy`).
pub const WASM_BUILD_ARGS: &[&str] = &[
    "-p",
    "leenpunt-frontend",
    "--lib",
    "--target",
    "wasm32-unknown-unknown",
    "--no-default-features",
    "--features",
    "hydrate",
    "--profile",
    WASM_PROFILE,
];

pub fn build(root: &Path) -> Result<PathBuf> {
    ensure_wasm_target()?;
    step("build the browser wasm");
    run(Command::new("cargo").arg("build").args(WASM_BUILD_ARGS))?;
    let site = root.join("target/site");
    let pkg = site.join("pkg");
    if site.exists() {
        std::fs::remove_dir_all(&site)?;
    }
    std::fs::create_dir_all(&pkg)?;

    step("wasm-bindgen");
    let input = crate::tools::cargo_target_dir(root).join(format!(
        "wasm32-unknown-unknown/{WASM_PROFILE}/leenpunt_frontend.wasm"
    ));
    let staging = root.join("target/site-staging");
    let _ = std::fs::remove_dir_all(&staging);
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&input)
        .web(true)?
        .out_name("leenpunt")
        .typescript(false)
        .generate(&staging)
        .context("wasm-bindgen")?;
    let wasm_path = staging.join("leenpunt_bg.wasm");
    optimise(root, &wasm_path)?;
    let js = place(
        &pkg,
        "leenpunt",
        "js",
        &std::fs::read(staging.join("leenpunt.js"))?,
    )?;
    let wasm = place(&pkg, "leenpunt_bg", "wasm", &std::fs::read(&wasm_path)?)?;
    let css = place(
        &pkg,
        "style",
        "css",
        &std::fs::read(root.join("frontend/style/main.css"))?,
    )?;
    let roster = place(
        &pkg,
        "roster",
        "js",
        &std::fs::read(root.join("frontend/scripts/roster.js"))?,
    )?;
    let (scanner_boot, scanner_files) = scanner(root, &pkg)?;
    let (queue_boot, queue_files) = desk_queue(root, &pkg)?;
    copy_dir(&root.join("frontend/public"), &site)?;
    compress_tree(&site)?;
    let manifest = format!(
        "{{\"js\":\"/pkg/{js}\",\"wasm\":\"/pkg/{wasm}\",\"css\":\"/pkg/{css}\",\"scanner\":\"/pkg/{scanner_boot}\",\"roster\":\"/pkg/{roster}\",\"deskqueue\":\"/pkg/{queue_boot}\"}}"
    );
    std::fs::write(site.join("manifest.json"), manifest)?;
    print_sizes(
        &pkg,
        &[
            &js,
            &wasm,
            &css,
            &roster,
            &scanner_files.0,
            &scanner_files.1,
            &queue_boot,
            &queue_files.0,
            &queue_files.1,
        ],
    )?;
    Ok(site)
}

/// Builds the camera scanner's QR decoder (its own wasm module, loaded by the scanner page
/// when the camera starts) and a boot module that puts `decode_qr_turn` (frame by frame)
/// and `decode_qr` (every pass at once) on `window`. Returns the
/// boot module's file name and the (js, wasm) file names.
fn scanner(root: &Path, pkg: &Path) -> Result<(String, (String, String))> {
    step("build the scanner's QR decoder (wasm)");
    run(Command::new("cargo").args([
        "build",
        "-p",
        "leenpunt-scanner",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        WASM_PROFILE,
    ]))?;
    let input = crate::tools::cargo_target_dir(root).join(format!(
        "wasm32-unknown-unknown/{WASM_PROFILE}/leenpunt_scanner.wasm"
    ));
    let staging = root.join("target/site-staging-scanner");
    let _ = std::fs::remove_dir_all(&staging);
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&input)
        .web(true)?
        .out_name("scanner")
        .typescript(false)
        .generate(&staging)
        .context("wasm-bindgen (scanner)")?;
    let wasm_path = staging.join("scanner_bg.wasm");
    optimise(root, &wasm_path)?;
    let js = place(
        pkg,
        "scanner",
        "js",
        &std::fs::read(staging.join("scanner.js"))?,
    )?;
    let wasm = place(pkg, "scanner_bg", "wasm", &std::fs::read(&wasm_path)?)?;
    let boot = format!(
        "import init, {{ decode_qr, decode_qr_turn }} from '/pkg/{js}';\n\
         await init({{ module_or_path: '/pkg/{wasm}' }});\n\
         window.leenpuntDecodeQrAll = decode_qr;\n\
         window.leenpuntDecodeQr = decode_qr_turn;\n"
    );
    let boot = place(pkg, "scanner-boot", "js", boot.as_bytes())?;
    Ok((boot, (js, wasm)))
}

/// Builds the desk's offline queue (its own wasm module, loaded by the desk pages only, so
/// the islands' wasm that the catalogue loads does not grow) and a boot module that starts
/// it. Returns the boot module's file name and the (js, wasm) file names.
fn desk_queue(root: &Path, pkg: &Path) -> Result<(String, (String, String))> {
    step("build the desk's offline queue (wasm)");
    run(Command::new("cargo")
        .arg("build")
        .args(DESK_QUEUE_BUILD_ARGS))?;
    let input = crate::tools::cargo_target_dir(root).join(format!(
        "wasm32-unknown-unknown/{WASM_PROFILE}/leenpunt_deskqueue.wasm"
    ));
    let staging = root.join("target/site-staging-deskqueue");
    let _ = std::fs::remove_dir_all(&staging);
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&input)
        .web(true)?
        .out_name("deskqueue")
        .typescript(false)
        .generate(&staging)
        .context("wasm-bindgen (desk queue)")?;
    let wasm_path = staging.join("deskqueue_bg.wasm");
    optimise(root, &wasm_path)?;
    let js = place(
        pkg,
        "deskqueue",
        "js",
        &std::fs::read(staging.join("deskqueue.js"))?,
    )?;
    let wasm = place(pkg, "deskqueue_bg", "wasm", &std::fs::read(&wasm_path)?)?;
    let boot = format!(
        "import init, {{ start }} from '/pkg/{js}';\n\
         await init({{ module_or_path: '/pkg/{wasm}' }});\n\
         start();\n"
    );
    let boot = place(pkg, "deskqueue-boot", "js", boot.as_bytes())?;
    Ok((boot, (js, wasm)))
}

/// The desk queue's browser build (for `build` and `clippy`).
pub const DESK_QUEUE_BUILD_ARGS: &[&str] = &[
    "-p",
    "leenpunt-deskqueue",
    "--lib",
    "--target",
    "wasm32-unknown-unknown",
    "--profile",
    WASM_PROFILE,
];

/// Shrinks a wasm file in place with wasm-opt (when the npm binaryen is there).
///
/// `-Os` rather than `-Oz`: on the islands bundle `-Os` compresses smaller (brotli 226,296 B
/// against 227,053 B), since `-Oz`'s denser code repeats less. `--low-memory-unused` lets
/// wasm-opt fold constant offsets into loads and stores (another 1.4 KB): it assumes the
/// first 1 KB of memory is never used, which holds for Rust's wasm32 targets, whose linker
/// puts the stack first (`--stack-first`): those bytes would be reached only by a stack
/// that has already overflowed its 1 MB.
fn optimise(root: &Path, wasm_path: &Path) -> Result<()> {
    if let Some(opt) = wasm_opt(root) {
        step("wasm-opt -Os");
        run(Command::new(opt)
            .arg(wasm_path)
            .arg("-o")
            .arg(wasm_path)
            .args([
                "-Os",
                "--low-memory-unused",
                "--strip-debug",
                "--strip-producers",
                "--enable-bulk-memory",
                "--enable-mutable-globals",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-reference-types",
                "--enable-multivalue",
            ]))?;
    }
    Ok(())
}

/// Writes `name.<hash>.ext` and returns the file name.
fn place(dir: &Path, name: &str, ext: &str, bytes: &[u8]) -> Result<String> {
    let hash = Sha256::digest(bytes);
    let short: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let file = format!("{name}.{short}.{ext}");
    std::fs::write(dir.join(&file), bytes)?;
    Ok(file)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn compressible(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("js" | "wasm" | "css" | "svg" | "json")
    )
}

/// Writes `.br` and `.gz` siblings so the server never compresses static files per request.
fn compress_tree(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            compress_tree(&path)?;
        } else if compressible(&path) {
            let bytes = std::fs::read(&path)?;
            std::fs::write(with_suffix(&path, "br"), brotli_bytes(&bytes)?)?;
            std::fs::write(with_suffix(&path, "gz"), gzip_bytes(&bytes)?)?;
        }
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

pub fn brotli_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes)?;
    }
    Ok(out)
}

pub fn gzip_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(bytes)?;
    Ok(w.finish()?)
}

fn print_sizes(pkg: &Path, files: &[&str]) -> Result<()> {
    println!(
        "\n{:<36} {:>10} {:>10} {:>10}",
        "front-end file", "raw", "gzip", "brotli"
    );
    for f in files {
        let size = |p: PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let path = pkg.join(f);
        println!(
            "{:<36} {:>10} {:>10} {:>10}",
            f,
            size(path.clone()),
            size(with_suffix(&path, "gz")),
            size(with_suffix(&path, "br"))
        );
    }
    Ok(())
}
