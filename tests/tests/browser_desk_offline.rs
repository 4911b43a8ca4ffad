//! The desk keeps working offline, in a real browser at 360 and 1280 px.
//!
//! - The service worker: desk staff open Vandaag online, the worker (scope `/balie/`)
//!   keeps the day's hand-over pages; with the network switched off through the DevTools
//!   protocol the hand-over page still opens; the catalogue is not the worker's business;
//!   signing out clears what it kept.
//! - The queue (`frontend/deskqueue`): offline, three units of two reservations are handed
//!   over (two typed, one by Chromium's fake camera filming the label), and one for a
//!   reservation that is cancelled meanwhile; the page is reloaded (the queue is still
//!   there); back online the queue replays: three hand-overs recorded once each, one
//!   receipt per completed reservation through SMTP, and a red line with the reason for the
//!   cancelled one, nothing written for it. See docs/offline-desk.md.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::Reservation;
use leenpunt_tests::browser::Browser;
use leenpunt_tests::camera::{camera_args, labels_video};
use leenpunt_tests::smtp::SmtpSink;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

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

// ---- the queue -------------------------------------------------------------------------

/// A TCP relay in front of the app: the browser reaches the server through it only, and
/// the test can cut it (new connections closed at once, open ones dropped), as when the
/// basement's network goes down. The DevTools emulation alone is not enough for a test
/// that must write nothing while "offline": a freshly loaded page may run (and send) a
/// moment before the emulation applies to it, and the service worker's own fetches are
/// not emulated at all. Through the relay nothing reaches the server while it is cut, and
/// the pages that open come from the worker's cache.
struct Relay {
    base: String,
    up: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Relay {
    async fn start(target: std::net::SocketAddr) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let up = Arc::new(AtomicBool::new(true));
        let open = Arc::new(Mutex::new(Vec::new()));
        let (up2, open2) = (up.clone(), open.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                open2.lock().unwrap().push(task.abort_handle());
            }
        });
        Relay { base, up, open }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn set_up(&self, up: bool) {
        self.up.store(up, Ordering::SeqCst);
        if !up {
            for task in self.open.lock().unwrap().drain(..) {
                task.abort();
            }
        }
    }
}

/// The network goes down (the relay is cut, then the DevTools emulation says offline) or
/// comes back (the relay first, then the emulation: its `online` event starts the replay).
async fn go_offline(b: &Browser, relay: &Relay, offline: bool) {
    if offline {
        relay.set_up(false);
        network(b, true).await;
    } else {
        relay.set_up(true);
        network(b, false).await;
    }
}

async fn book(app: &TestApp, email: &str, school: &str, quantity: u32) -> i64 {
    let cookie = app
        .teacher(email, school, &hash_password(DEMO_PASSWORD))
        .await;
    let r = app
        .post_json(
            &cookie,
            "/api/v1/reservations",
            &json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge", "pickup_date": "2026-12-02",
                     "return_date": "2026-12-09", "quantity": quantity }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json::<Reservation>().await.unwrap().id.0
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// Waits until the page's queue has read what was stored and knows it is offline.
async fn queue_offline_ready(b: &Browser) {
    b.wait_for(".desk-queue[data-loaded='true'][data-online='false']")
        .await;
}

/// Opens a hand-over page (offline: from the service worker) and types a code + Enter.
async fn hand_over_offline(b: &Browser, relay: &Relay, reservation: i64, code: &str, lines: usize) {
    b.client
        .goto(&relay.url(&format!("/balie/uitgifte/{reservation}")))
        .await
        .unwrap();
    queue_offline_ready(b).await;
    type_code(b, code, lines).await;
    assert_eq!(
        b.js("return location.pathname").await,
        format!("/balie/uitgifte/{reservation}"),
        "queued, not posted"
    );
}

async fn type_code(b: &Browser, code: &str, lines: usize) {
    let field = b.wait_for("#scan-code").await;
    field.send_keys(&format!("{code}\u{E007}")).await.unwrap();
    b.wait_until(&format!(
        "document.querySelectorAll('.queue-line.waiting').length === {lines}"
    ))
    .await;
    b.wait_for(".queue-notice.ok").await;
}

async fn queue_run(width: u32) {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask site` first"
    );
    let sink = SmtpSink::start().await;
    let smtp = sink.url.clone();
    let app = TestApp::spawn_configured(|c| c.smtp_url = Some(smtp)).await;
    let a = book(&app, "juf@school.be", "126763", 2).await;
    let b_res = book(&app, "meester@school.be", "023417", 1).await;
    let c = book(&app, "klimop@school.be", "031884", 1).await;
    let codes = [
        app.label_code("BB-K-01").await,
        app.label_code("BB-K-02").await,
        app.label_code("BB-K-04").await,
        app.label_code("BB-K-05").await,
    ];
    app.set_time("2026-12-02T09:00:00Z");
    let relay = Relay::start(app.addr).await;
    let base = app.state.config.public_url();
    let dir = tempfile::tempdir().unwrap();
    let video = dir.path().join("label.y4m");
    std::fs::write(&video, labels_video(&[format!("{base}/s/{}", codes[2])])).unwrap();
    let args = camera_args(&video);

    let b = if width < 800 {
        Browser::start_phone_with(width, &args).await
    } else {
        let b = Browser::start_with(&args).await;
        b.client.set_window_size(width, 900).await.unwrap();
        b
    };
    b.inject_axe().await;
    b.client
        .goto(&relay.url("/aanmelden?next=/balie/scan"))
        .await
        .unwrap();
    b.sign_in(DESK, DEMO_PASSWORD).await;
    // Online: the camera scanner once (the worker keeps its files), then Vandaag (the
    // worker keeps the day's pages, the pickups' scanner pages among them).
    b.wait_until("location.pathname === '/balie/scan'").await;
    b.wait_until("document.body.dataset.offlineKept === 'true'")
        .await;
    b.client.goto(&relay.url("/balie/vandaag")).await.unwrap();
    b.wait_for(".desk-queue[data-loaded='true'][data-online='true'][data-waiting='0']")
        .await;
    b.wait_until("document.body.dataset.offlineKept === 'true'")
        .await;
    let status = b
        .js("return document.querySelector('.queue-status').textContent")
        .await;
    assert!(
        status
            .as_str()
            .unwrap()
            .starts_with("Online · 0 wachten op synchronisatie · laatste synchronisatie: nog niet"),
        "{status}"
    );
    let paths = kept(&b).await;
    assert!(
        paths.iter().any(|p| p.starts_with("/pkg/deskqueue_bg.")),
        "the queue's wasm is kept: {paths:?}"
    );
    fits_and_passes_axe(&b, "Vandaag online").await;

    // The server cannot be reached while the browser still thinks it is online: the
    // first unit of A is kept all the same, and the page says it is offline.
    relay.set_up(false);
    b.client
        .goto(&relay.url(&format!("/balie/uitgifte/{a}")))
        .await
        .unwrap();
    b.wait_for(".desk-queue[data-loaded='true']").await;
    assert_eq!(b.js("return navigator.onLine").await, true);
    type_code(&b, &codes[0], 1).await;
    queue_offline_ready(&b).await;

    // Offline (DevTools emulation too): the second unit of A typed, one of B by camera,
    // one of C typed.
    go_offline(&b, &relay, true).await;
    b.wait_until("navigator.onLine === false").await;
    hand_over_offline(&b, &relay, a, &codes[1].to_lowercase(), 2).await;
    // The same unit again is refused on the spot.
    let field = b.wait_for("#scan-code").await;
    field
        .send_keys(&format!("{}\u{E007}", codes[1]))
        .await
        .unwrap();
    b.wait_for(".queue-notice.error").await;
    assert_eq!(
        b.js("return document.querySelectorAll('.queue-line.waiting').length")
            .await,
        2
    );

    b.client
        .goto(&relay.url(&format!("/balie/scan?reservatie={b_res}")))
        .await
        .unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    queue_offline_ready(&b).await;
    b.wait_for(".start-camera").await.click().await.unwrap();
    b.wait_until("document.querySelectorAll('.queue-line.waiting').length === 3")
        .await;
    b.wait_for(".scan-line.ok").await;
    b.wait_for(".stop-camera").await.click().await.unwrap();
    let camera_line = b
        .js("return document.querySelectorAll('.queue-line.waiting')[2].textContent")
        .await;
    assert!(
        camera_line
            .as_str()
            .unwrap()
            .contains(&format!("reservatie {b_res}")),
        "{camera_line}"
    );
    assert_eq!(
        b.js("return document.documentElement.scrollWidth <= window.innerWidth")
            .await,
        true,
        "the scanner offline: nothing scrolls sideways"
    );

    hand_over_offline(&b, &relay, c, &codes[3], 4).await;
    fits_and_passes_axe(&b, "a hand-over page with waiting scans").await;
    let status = b
        .js("return document.querySelector('.queue-status').textContent")
        .await;
    assert!(
        status
            .as_str()
            .unwrap()
            .contains("Offline: scans worden op dit toestel bewaard · 4 wachten op synchronisatie"),
        "{status}"
    );
    let written: Vec<(i64, String)> = sqlx::query_as(
        "SELECT l.reservation_id, u.inventory_code FROM loan_lines l JOIN units u ON u.id = l.unit_id",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert!(written.is_empty(), "nothing written offline: {written:?}");

    // The teacher's school called: the desk's colleague cancels reservation C meanwhile.
    let colleague = app
        .login("beheerder@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let r = app
        .post_json(
            &colleague,
            &format!("/api/v1/reservations/{c}/cancel"),
            &json!({ "reason": "De school belde af" }),
        )
        .await;
    assert_eq!(r.status(), 200);

    // A reload (still offline) keeps the queue.
    b.client.refresh().await.unwrap();
    b.wait_for(".desk-queue[data-loaded='true'][data-waiting='4'][data-online='false']")
        .await;
    assert_eq!(
        b.js("return document.querySelectorAll('.queue-line.waiting').length")
            .await,
        4
    );

    // Back online: replayed in order, three green lines and one red.
    go_offline(&b, &relay, false).await;
    b.wait_until("document.querySelectorAll('.queue-line.synced').length === 3")
        .await;
    b.wait_for(".queue-line.conflict").await;
    let red = b
        .js("return document.querySelector('.queue-line.conflict').textContent")
        .await;
    let red = red.as_str().unwrap();
    assert!(red.contains(&codes[3].to_string()), "{red}");
    assert!(red.contains("niets geregistreerd"), "{red}");
    assert!(red.contains("geannuleerd"), "{red}");
    assert!(red.contains("bel de school"), "{red}");
    b.wait_for(".desk-queue[data-waiting='0'][data-online='true']")
        .await;
    let status = b
        .js("return document.querySelector('.queue-status').textContent")
        .await;
    assert!(
        !status.as_str().unwrap().contains("nog niet"),
        "the last sync time is shown: {status}"
    );
    fits_and_passes_axe(&b, "the queue after the sync").await;

    // Recorded once each; one receipt per reservation handed over completely.
    let check = || async {
        assert_eq!(count(&app, "SELECT count(*) FROM loan_lines").await, 3);
        assert_eq!(
            count(
                &app,
                "SELECT count(DISTINCT unit_id) FROM loan_lines WHERE reservation_id IN (SELECT id FROM reservations WHERE status = 'afgehaald')"
            )
            .await,
            3
        );
        assert_eq!(
            count(
                &app,
                &format!("SELECT count(*) FROM loan_lines WHERE reservation_id = {c}")
            )
            .await,
            0,
            "nothing for the cancelled reservation"
        );
        assert_eq!(
            count(
                &app,
                "SELECT count(*) FROM outbox WHERE subject LIKE 'Ontvangstbewijs%'"
            )
            .await,
            2
        );
    };
    check().await;
    sink.wait_for("juf@school.be").await;
    sink.wait_for("meester@school.be").await;
    // Another reload online sends nothing again.
    b.client.refresh().await.unwrap();
    b.wait_for(".desk-queue[data-loaded='true'][data-waiting='0']")
        .await;
    assert_eq!(
        b.js("return document.querySelectorAll('.queue-line.conflict').length")
            .await,
        1,
        "a refused line stays until the desk clears it"
    );
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    check().await;
    let receipts: Vec<Vec<String>> = sink
        .received
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.data.contains("Ontvangstbewijs"))
        .map(|m| m.to.clone())
        .collect();
    assert_eq!(receipts.len(), 2, "one receipt each: {receipts:?}");
    b.close().await;
}

#[tokio::test]
async fn desk_hands_over_offline_and_syncs_once_on_a_phone() {
    queue_run(360).await;
}

#[tokio::test]
async fn desk_hands_over_offline_and_syncs_once_on_a_screen() {
    queue_run(1280).await;
}

// ---- the queue on a request -------------------------------------------------------------

/// The demo teacher sends a cart of two lines (2 × electricity, 1 × magnetism) at the
/// Brugge desk for 2–9 December; answers the request's id.
async fn send_cart(app: &TestApp) -> i64 {
    let t = app
        .login("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let r = app
        .put_json(
            &t,
            "/api/v1/cart",
            &json!({ "pickup_date": "2026-12-02", "return_date": "2026-12-09" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    for (kit, quantity) in [
        ("proefjeskoffer-elektriciteit", 2),
        ("ontdekkoffer-magnetisme", 1),
    ] {
        let r = app
            .post_json(
                &t,
                "/api/v1/cart/lines",
                &json!({ "kit": kit, "pickup_point": "stem-rtc-brugge", "quantity": quantity }),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }
    let r = app.post_json(&t, "/api/v1/cart/submit", &json!({})).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sent: leenpunt_shared::cart::CartSubmitted = r.json().await.unwrap();
    sent.requests[0].id
}

/// Offline on a request's hand-over page: a unit typed, a unit the request does not ask
/// for typed (the page cannot know; the server refuses it at replay), the first unit again
/// (refused on the spot), a unit by the camera on the request's scanner page. Back online
/// the lines go to the request's endpoint: two green, one red with the reason; then the
/// last unit typed online completes the request, and one receipt goes out.
async fn request_queue_run(width: u32) {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask site` first"
    );
    let app = TestApp::spawn().await;
    let request = send_cart(&app).await;
    let magnet = app.label_code("MAG-01").await;
    let bee_bot = app.label_code("BB-K-01").await;
    let el = [app.label_code("EL-01").await, app.label_code("EL-02").await];
    app.set_time("2026-12-02T09:00:00Z");
    let relay = Relay::start(app.addr).await;
    let base = app.state.config.public_url();
    let dir = tempfile::tempdir().unwrap();
    let video = dir.path().join("label.y4m");
    std::fs::write(&video, labels_video(&[format!("{base}/s/{}", el[1])])).unwrap();
    let args = camera_args(&video);
    let b = if width < 800 {
        Browser::start_phone_with(width, &args).await
    } else {
        let b = Browser::start_with(&args).await;
        b.client.set_window_size(width, 900).await.unwrap();
        b
    };
    b.inject_axe().await;
    b.client
        .goto(&relay.url("/aanmelden?next=/balie/scan"))
        .await
        .unwrap();
    b.sign_in(DESK, DEMO_PASSWORD).await;
    b.wait_until("location.pathname === '/balie/scan'").await;
    b.wait_until("document.body.dataset.offlineKept === 'true'")
        .await;
    b.client.goto(&relay.url("/balie/vandaag")).await.unwrap();
    b.wait_for(".desk-queue[data-loaded='true'][data-online='true']")
        .await;
    b.wait_until("document.body.dataset.offlineKept === 'true'")
        .await;
    let paths = kept(&b).await;
    let page = format!("/balie/aanvraag/{request}");
    assert!(
        paths.contains(&page),
        "the request's page is kept: {paths:?}"
    );

    go_offline(&b, &relay, true).await;
    b.wait_until("navigator.onLine === false").await;
    b.client.goto(&relay.url(&page)).await.unwrap();
    queue_offline_ready(&b).await;
    type_code(&b, &magnet, 1).await;
    assert_eq!(
        b.js("return location.pathname").await,
        page,
        "queued, not posted"
    );
    type_code(&b, &bee_bot, 2).await;
    let field = b.wait_for("#scan-code").await;
    field
        .send_keys(&format!("{}\u{E007}", magnet.to_lowercase()))
        .await
        .unwrap();
    b.wait_for(".queue-notice.error").await;
    assert_eq!(
        b.js("return document.querySelectorAll('.queue-line.waiting').length")
            .await,
        2,
        "the same unit again is refused on the spot"
    );
    fits_and_passes_axe(&b, "a request's page with waiting scans").await;

    b.client
        .goto(&relay.url(&format!("/balie/scan?aanvraag={request}")))
        .await
        .unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    queue_offline_ready(&b).await;
    b.wait_for(".start-camera").await.click().await.unwrap();
    b.wait_until("document.querySelectorAll('.queue-line.waiting').length === 3")
        .await;
    b.wait_for(".scan-line.ok").await;
    b.wait_for(".stop-camera").await.click().await.unwrap();
    let camera_line = b
        .js("return document.querySelectorAll('.queue-line.waiting')[2].textContent")
        .await;
    assert!(
        camera_line
            .as_str()
            .unwrap()
            .contains(&format!("aanvraag {request}")),
        "{camera_line}"
    );
    assert_eq!(
        count(&app, "SELECT count(*) FROM loan_lines").await,
        0,
        "nothing written offline"
    );

    // Back online on the request's page: replayed to the request's endpoint.
    b.client.goto(&relay.url(&page)).await.unwrap();
    b.wait_for(".desk-queue[data-loaded='true'][data-waiting='3']")
        .await;
    go_offline(&b, &relay, false).await;
    b.wait_until("document.querySelectorAll('.queue-line.synced').length === 2")
        .await;
    let red = b
        .wait_for(".queue-line.conflict")
        .await
        .text()
        .await
        .unwrap();
    assert!(red.contains(&bee_bot), "{red}");
    assert!(red.contains("niets geregistreerd"), "{red}");
    assert!(red.contains("ander materiaal"), "{red}");
    b.wait_for(".desk-queue[data-waiting='0'][data-online='true']")
        .await;
    fits_and_passes_axe(&b, "a request's queue after the sync").await;
    let out: Vec<(String, String)> = sqlx::query_as(
        "SELECT k.slug, u.inventory_code FROM loan_lines l JOIN units u ON u.id = l.unit_id \
         JOIN reservations r ON r.id = l.reservation_id JOIN kit_types k ON k.id = r.kit_type_id \
         WHERE r.request_id = $1 ORDER BY u.inventory_code",
    )
    .bind(request)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(
        out,
        [
            (
                "proefjeskoffer-elektriciteit".to_owned(),
                "EL-02".to_owned()
            ),
            ("ontdekkoffer-magnetisme".to_owned(), "MAG-01".to_owned())
        ],
        "each unit on its own line, once"
    );
    // Online, the last unit typed goes through the module at once and completes it.
    b.client.goto(&relay.url(&page)).await.unwrap();
    b.wait_for(".desk-queue[data-loaded='true'][data-online='true']")
        .await;
    let field = b.wait_for("#scan-code").await;
    field
        .send_keys(&format!("{}\u{E007}", el[0]))
        .await
        .unwrap();
    b.wait_until("location.search.includes('ok=')").await;
    assert_eq!(
        b.js("return document.querySelector('.remaining').dataset.remaining")
            .await,
        "0"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM loan_lines").await, 3);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE subject LIKE 'Ontvangstbewijs%'"
        )
        .await,
        1,
        "one receipt for the request"
    );
    b.close().await;
}

#[tokio::test]
async fn desk_hands_a_request_over_offline_and_syncs_it_on_a_phone() {
    request_queue_run(360).await;
}

#[tokio::test]
async fn desk_hands_a_request_over_offline_and_syncs_it_on_a_screen() {
    request_queue_run(1280).await;
}
