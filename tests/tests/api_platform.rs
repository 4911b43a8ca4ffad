//! Health, OpenAPI, headers, language switch, static assets and HTML pages.

use leenpunt_tests::TestApp;

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::spawn_with(false).await;
    assert_eq!(app.get("/healthz").await.text().await.unwrap(), "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert!(ready.headers().contains_key("x-request-id"));
    app.state.db.close().await;
    let down = app.get("/readyz").await;
    assert_eq!(down.status(), 503);
    assert_eq!(down.headers()["content-type"], "application/problem+json");
    // A browser asking for a page gets a friendly page instead of JSON.
    let page = app
        .client
        .get(app.url("/readyz"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 503);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    assert!(page.text().await.unwrap().contains("Er ging iets mis"));
    let catalogue = app
        .client
        .get(app.url("/catalogus"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(
        catalogue.status(),
        500,
        "a page whose data fails says so in its status"
    );
}

#[tokio::test]
async fn unknown_api_paths_answer_with_a_problem() {
    let app = TestApp::spawn_with(false).await;
    let response = app.get("/api/v1/bestaat-niet").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}

#[tokio::test]
async fn precompressed_assets_respect_accept_encoding() {
    let app = TestApp::spawn_with(false).await;
    let svg = "/assets/kits/bee-bot.svg";
    if !leenpunt_tests::site_dir()
        .join("assets/kits/bee-bot.svg.br")
        .exists()
    {
        return; // the front end is not built: `cargo xtask test` builds it first
    }
    let raw = reqwest::Client::builder()
        .no_brotli()
        .no_gzip()
        .build()
        .unwrap();
    let br = raw
        .get(app.url(svg))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["vary"], "accept-encoding");
    let refused = raw
        .get(app.url(svg))
        .header("accept-encoding", "gzip, br;q=0")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.headers()["content-encoding"], "gzip");
    let plain = raw
        .get(app.url(svg))
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert!(plain.text().await.unwrap().starts_with("<svg"));
    assert_eq!(app.get("/assets/..%2F..%2FCargo.toml").await.status(), 404);
}

#[tokio::test]
async fn openapi_document_describes_the_catalogue() {
    let app = TestApp::spawn_with(false).await;
    let doc: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/v1/catalogue"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/catalogue/{slug}"]["get"].is_object());
    assert!(doc["components"]["schemas"]["SearchResults"].is_object());
}

#[tokio::test]
async fn pages_render_on_the_server_with_security_headers() {
    let app = TestApp::spawn().await;
    let response = app.get("/catalogus?q=bee-bot").await;
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"nl-BE\">"));
    assert!(
        html.contains("Bee-Bot"),
        "results are in the HTML, readable without wasm"
    );
    // Every inline script carries this response's nonce (there is at least the boot script
    // when the front end is built).
    if leenpunt_tests::site_dir().join("manifest.json").exists() {
        assert!(html.contains("<script type=\"module\" nonce="));
    }
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap();
    for script in html.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap();
        if !tag.contains("src=") {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "inline script without nonce: {tag}"
            );
        }
    }
}

#[tokio::test]
async fn kit_page_and_not_found_pages() {
    let app = TestApp::spawn().await;
    let slug = app.search("q=creatool&kind=uitleen").await.items[0]
        .slug
        .clone();
    let page = app.get(&format!("/catalogus/{slug}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Inhoud van de set"));
    assert!(html.contains("Bouwen met creatool"));
    let missing = app.get("/catalogus/bestaat-niet").await;
    assert_eq!(missing.status(), 404);
    assert!(missing
        .text()
        .await
        .unwrap()
        .contains("Pagina niet gevonden"));
    assert_eq!(app.get("/niets-hier").await.status(), 404);
}

#[tokio::test]
async fn language_switch_sets_a_cookie_and_returns_to_the_page() {
    let app = TestApp::spawn().await;
    let response = app.get("/taal/en?next=%2Fcatalogus%3Fq%3Dbee").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/catalogus?q=bee");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("leenpunt_lang=en;") && cookie.contains("SameSite=Lax"));
    let english = app
        .client
        .get(app.url("/catalogus"))
        .header("cookie", "leenpunt_lang=en")
        .send()
        .await
        .unwrap();
    let html = english.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Search the catalogue"));
    for evil in [
        "%2F%2Fevil.example",
        "%2F%09%2Fevil.example",
        "%2F%0A",
        "https%3A%2F%2Fevil.example",
    ] {
        let response = app.get(&format!("/taal/en?next={evil}")).await;
        assert_eq!(response.status(), 303, "{evil}");
        assert_eq!(response.headers()["location"], "/", "{evil}");
    }
}
