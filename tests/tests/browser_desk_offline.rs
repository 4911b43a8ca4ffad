//! The desk keeps working offline, in a real browser at 360 and 1280 px: desk staff open
//! Vandaag online (the service worker keeps the day's desk pages), the network is switched
//! off with the DevTools protocol, three units of two reservations are handed over by typed
//! code (queued in IndexedDB), the page is reloaded (the queue is still there), a third
//! reservation is cancelled meanwhile, and back online the queue replays: three hand-overs
//! recorded once each with one receipt per completed reservation, and a red line for the
//! cancelled one with nothing written for it.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::Reservation;
use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};
use serde_json::json;

const DESK: &str = "ambassadeur@demo.leenpunt.be";

async fn book(app: &TestApp, email: &str, school: &str, quantity: u32) -> Reservation {
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
    r.json().await.unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

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

/// Opens a hand-over page (offline: from the service worker) and types a code + Enter.
async fn hand_over_offline(b: &Browser, app: &TestApp, reservation: i64, code: &str, lines: usize) {
    b.client
        .goto(&app.url(&format!("/balie/uitgifte/{reservation}")))
        .await
        .unwrap();
    b.wait_until("document.querySelector(\".desk-queue[data-loaded='true']\") !== null")
        .await;
    let field = b.wait_for("#scan-code").await;
    field.send_keys(&format!("{code}\u{E007}")).await.unwrap();
    b.wait_until(&format!(
        "document.querySelectorAll('.queue-line.waiting').length === {lines}"
    ))
    .await;
    assert_eq!(
        b.js("return location.pathname").await,
        format!("/balie/uitgifte/{reservation}"),
        "queued, not posted"
    );
}

async fn run(width: u32) {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask site` first"
    );
    let app = TestApp::spawn().await;
    let a = book(&app, "juf@school.be", "126763", 2).await.id.0;
    let b_res = book(&app, "meester@school.be", "023417", 1).await.id.0;
    let c = book(&app, "klimop@school.be", "031884", 1).await.id.0;
    let codes = [
        app.label_code("BB-K-01").await,
        app.label_code("BB-K-02").await,
        app.label_code("BB-K-04").await,
        app.label_code("BB-K-05").await,
    ];
    app.set_time("2026-12-02T09:00:00Z");

    let b = if width < 800 {
        Browser::start_phone(width).await
    } else {
        let b = Browser::start().await;
        b.client.set_window_size(width, 900).await.unwrap();
        b
    };
    b.inject_axe().await;
    b.client
        .goto(&app.url("/aanmelden?next=/balie/vandaag"))
        .await
        .unwrap();
    b.sign_in(DESK, DEMO_PASSWORD).await;
    b.wait_until("location.pathname === '/balie/vandaag'").await;
    // Online: the queue says so, the service worker keeps today's pages.
    b.wait_for(".desk-queue[data-loaded='true'][data-online='true'][data-waiting='0']")
        .await;
    b.wait_until("document.body.dataset.offlineKept === 'true'")
        .await;
    let kept = b
        .js("return document.querySelector('.desk-list.pickups').textContent")
        .await;
    assert!(kept.as_str().unwrap().contains("Bee-Bot"), "{kept}");
    fits_and_passes_axe(&b, "Vandaag online").await;

    // Offline: three units of two reservations, and one for a reservation that is
    // cancelled while the desk cannot know.
    network(&b, true).await;
    b.wait_for(".desk-queue[data-online='false']").await;
    hand_over_offline(&b, &app, a, &codes[0], 1).await;
    hand_over_offline(&b, &app, a, &codes[1].to_lowercase(), 2).await;
    // The same unit again is refused on the spot.
    let field = b.wait_for("#scan-code").await;
    field
        .send_keys(&format!("{}\u{E007}", codes[1]))
        .await
        .unwrap();
    b.wait_for(".queue-notice.error").await;
    hand_over_offline(&b, &app, b_res, &codes[2], 3).await;
    hand_over_offline(&b, &app, c, &codes[3], 4).await;
    fits_and_passes_axe(&b, "a hand-over page with waiting scans").await;
    let status = b
        .js("return document.querySelector('.queue-status').textContent")
        .await;
    assert!(
        status
            .as_str()
            .unwrap()
            .contains("4 wachten op synchronisatie"),
        "{status}"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM loan_lines").await, 0);

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
    b.wait_for(".desk-queue[data-loaded='true'][data-waiting='4']")
        .await;
    assert_eq!(
        b.js("return document.querySelectorAll('.queue-line.waiting').length")
            .await,
        4
    );

    // Back online: replayed in order, three green lines and one red.
    network(&b, false).await;
    b.wait_until("document.querySelectorAll('.queue-line.synced').length === 3")
        .await;
    b.wait_for(".queue-line.conflict").await;
    let red = b
        .js("return document.querySelector('.queue-line.conflict').textContent")
        .await;
    let red = red.as_str().unwrap();
    assert!(red.contains("BB-K-05") || red.contains(&codes[3]), "{red}");
    assert!(red.contains("geannuleerd"), "{red}");
    b.wait_for(".desk-queue[data-waiting='0'][data-online='true']")
        .await;
    fits_and_passes_axe(&b, "the queue after the sync").await;

    // Recorded once each; one receipt per reservation handed over completely.
    let receipts = "SELECT count(*) FROM outbox WHERE subject LIKE 'Ontvangstbewijs%'";
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
        assert_eq!(count(&app, receipts).await, 2);
    };
    check().await;
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
    check().await;
    b.close().await;
}

#[tokio::test]
async fn desk_hands_over_offline_and_syncs_once_on_a_phone() {
    run(360).await;
}

#[tokio::test]
async fn desk_hands_over_offline_and_syncs_once_on_a_screen() {
    run(1280).await;
}
