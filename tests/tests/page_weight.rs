//! The catalogue's and the camera scanner's first loads (HTML + CSS + JS + wasm, compressed
//! as a browser gets them) must stay within 250 KB. The scanner's QR decoder is loaded
//! when the camera starts, not with the page. A size check, not a timing: it cannot flake.

use leenpunt_tests::{site_dir, TestApp};

const BUDGET: usize = 250_000;

/// One app, one page after the other (two apps rendering at once in one test process once
/// left a render waiting until the request timed out).
#[tokio::test]
async fn first_loads_fit_the_budget() {
    let app = TestApp::spawn().await;
    first_load_fits(&app, "/catalogus", None).await;
    first_load_fits(&app, "/balie/scan", Some("ambassadeur@demo.leenpunt.be")).await;
}

async fn first_load_fits(app: &TestApp, page: &str, user: Option<&str>) {
    let manifest = site_dir().join("manifest.json");
    assert!(
        manifest.exists(),
        "run `cargo xtask test`, which builds the front end first"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(manifest).unwrap()).unwrap();
    // A raw client: count the bytes on the wire, not the decoded ones.
    let raw = reqwest::Client::builder()
        .no_brotli()
        .no_gzip()
        .build()
        .unwrap();
    let cookie = match user {
        Some(email) => app
            .login(email, leenpunt_tests::DEMO_PASSWORD)
            .await
            .unwrap(),
        None => String::new(),
    };
    if user.is_some() {
        let html = app.get_as(&cookie, page).await.text().await.unwrap();
        assert!(
            html.contains("start-camera"),
            "the page renders its scanner"
        );
    }
    if user.is_some() {
        let html = app.get_as(&cookie, page).await.text().await.unwrap();
        assert!(
            html.contains("start-camera"),
            "the page renders its scanner"
        );
    }
    let mut total = 0;
    let mut report = String::new();
    for path in [
        page,
        manifest["css"].as_str().unwrap(),
        manifest["js"].as_str().unwrap(),
        manifest["wasm"].as_str().unwrap(),
    ] {
        let response = raw
            .get(app.url(path))
            .header("accept-encoding", "br, gzip")
            .header("cookie", cookie.clone())
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
        "first load of {page} is {total} B, over the {BUDGET} B budget:\n{report}"
    );
}
