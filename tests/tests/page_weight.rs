//! The catalogue's first load (HTML + CSS + JS + wasm, compressed as a browser gets them)
//! must stay within 250 KB. A size check, not a timing: it cannot flake.

use leenpunt_tests::{site_dir, TestApp};

const BUDGET: usize = 250_000;

#[tokio::test]
async fn catalogue_first_load_fits_the_budget() {
    let manifest = site_dir().join("manifest.json");
    assert!(
        manifest.exists(),
        "run `cargo xtask test`, which builds the front end first"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(manifest).unwrap()).unwrap();
    let app = TestApp::spawn().await;
    // A raw client: count the bytes on the wire, not the decoded ones.
    let raw = reqwest::Client::builder()
        .no_brotli()
        .no_gzip()
        .build()
        .unwrap();
    let mut total = 0;
    let mut report = String::new();
    for path in [
        "/catalogus",
        manifest["css"].as_str().unwrap(),
        manifest["js"].as_str().unwrap(),
        manifest["wasm"].as_str().unwrap(),
    ] {
        let response = raw
            .get(app.url(path))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let bytes = response.bytes().await.unwrap().len();
        report.push_str(&format!("{path}: {bytes} B\n"));
        total += bytes;
    }
    assert!(
        total <= BUDGET,
        "first load is {total} B, over the {BUDGET} B budget:\n{report}"
    );
}
