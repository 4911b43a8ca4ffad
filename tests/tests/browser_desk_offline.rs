//! The desk's service worker in a real browser, at 360 and 1280 px: desk staff open
//! Vandaag online, the worker (scope `/balie/`) keeps the day's hand-over pages; with the
//! network switched off through the DevTools protocol the hand-over page still opens; the
//! catalogue is not the worker's business; signing out clears what it kept.
//! (The offline queue on screen is on the `offline-queue-ui` branch: see
//! docs/offline-desk.md.)

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::Reservation;
use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};
use serde_json::json;

const DESK: &str = "ambassadeur@demo.leenpunt.be";

async fn fits_and_passes_axe(b: &Browser, what: &str) {
    assert_eq!(
        b.js("return document.documentElement.scrollWidth <= window.innerWidth")
            .await,
        true,
        "{what}: nothing scrolls sideways"
    );
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

async fn network(b: &Browser, offline: bool) {
    b.cdp("Network.enable", json!({})).await;
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({ "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
    )
    .await;
}

/// The paths the desk worker keeps (read through a promise the page stores).
async fn kept(b: &Browser) -> Vec<String> {
    b.js("window.__kept = undefined; caches.keys().then(async (names) => { const all = []; \
          for (const n of names) { for (const r of await (await caches.open(n)).keys()) all.push(new URL(r.url).pathname); } \
          window.__kept = all; }); return 1")
        .await;
    b.wait_until("Array.isArray(window.__kept)").await;
    serde_json::from_value(b.js("return window.__kept").await).unwrap()
}

async fn run(width: u32) {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask site` first"
    );
    let app = TestApp::spawn().await;
    let teacher = app
        .teacher("juf@school.be", "126763", &hash_password(DEMO_PASSWORD))
        .await;
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge", "pickup_date": "2026-12-02",
                     "return_date": "2026-12-09", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Reservation>().await.unwrap().id.0;
    app.set_time("2026-12-02T09:00:00Z");

    let b = if width < 800 {
        Browser::start_phone(width).await
    } else {
        let b = Browser::start().await;
        b.client.set_window_size(width, 900).await.unwrap();
        b
    };
    b.inject_axe().await;
    // The catalogue registers no worker.
    b.client.goto(&app.url("/catalogus")).await.unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    assert_eq!(
        b.js("return navigator.serviceWorker.controller === null")
            .await,
        true
    );
    b.client
        .goto(&app.url("/aanmelden?next=/balie/vandaag"))
        .await
        .unwrap();
    b.sign_in(DESK, DEMO_PASSWORD).await;
    b.wait_until("location.pathname === '/balie/vandaag'").await;
    b.wait_until("document.body.dataset.offlineKept === 'true'")
        .await;
    fits_and_passes_axe(&b, "Vandaag").await;
    let paths = kept(&b).await;
    let handover = format!("/balie/uitgifte/{id}");
    assert!(paths.contains(&handover), "{paths:?}");
    assert!(paths.iter().any(|p| p.ends_with(".css")), "{paths:?}");
    assert!(
        paths
            .iter()
            .all(|p| !p.starts_with("/api/") && !p.starts_with("/catalogus")),
        "only desk pages and files: {paths:?}"
    );

    // Offline: the day's hand-over page still opens.
    network(&b, true).await;
    b.wait_until("navigator.onLine === false").await;
    b.client.goto(&app.url(&handover)).await.unwrap();
    b.wait_for(".handover-form #scan-code").await;
    let summary = b
        .js("return document.querySelector('.handover-summary').textContent")
        .await;
    assert!(summary.as_str().unwrap().contains("Bee-Bot"), "{summary}");
    fits_and_passes_axe(&b, "the hand-over page offline").await;
    network(&b, false).await;

    // Signing out clears what the worker kept.
    b.client.goto(&app.url("/balie/vandaag")).await.unwrap();
    b.wait_until("document.querySelector(\"form[action='/afmelden']\") !== null")
        .await;
    b.js("document.querySelector(\"form[action='/afmelden']\").submit(); return 1")
        .await;
    b.wait_until("location.pathname === '/'").await;
    let paths = kept(&b).await;
    assert!(paths.is_empty(), "after signing out: {paths:?}");
    b.close().await;
}

#[tokio::test]
async fn the_desk_pages_open_offline_and_signing_out_clears_them_on_a_phone() {
    run(360).await;
}

#[tokio::test]
async fn the_desk_pages_open_offline_and_signing_out_clears_them_on_a_screen() {
    run(1280).await;
}
