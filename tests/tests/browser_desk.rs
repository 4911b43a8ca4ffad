//! The desk on a phone (a 390 px window): the inventory code written on a kit typed at
//! the desk hands it over, a reservation picked up in part stays on "Vandaag" as
//! "1 van 2 meegegeven", and the next unit's page offers its hand-over. The clock is
//! moved to the pickup day.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::Reservation;
use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};
use serde_json::json;

const DESK: &str = "ambassadeur@demo.leenpunt.be";

/// Types into the focused scan field and presses Enter, as a barcode scanner does.
async fn scan(b: &Browser, code: &str) {
    let field = b.wait_for("#scan-code").await;
    field.send_keys(&format!("{code}\u{E007}")).await.unwrap();
}

#[tokio::test]
async fn on_a_phone_the_desk_hands_over_by_inventory_code_and_a_partial_pickup_stays_on_today() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
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
                     "return_date": "2026-12-09", "quantity": 2 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let reservation: Reservation = r.json().await.unwrap();
    app.set_time("2026-12-02T09:00:00Z");

    let b = Browser::start().await;
    b.client.set_window_size(390, 844).await.unwrap();
    b.client
        .goto(&app.url("/aanmelden?next=/balie/vandaag"))
        .await
        .unwrap();
    b.sign_in(DESK, DEMO_PASSWORD).await;
    b.wait_until("location.pathname === '/balie/vandaag'").await;
    assert_eq!(b.js("return window.innerWidth").await, 390);
    let row = format!(".desk-list.pickups li[data-id='{}']", reservation.id);
    b.wait_for(&format!("{row} a")).await.click().await.unwrap();
    b.wait_until("location.pathname.startsWith('/balie/uitgifte/')")
        .await;

    // The inventory code as written on the kit, in lower case.
    scan(&b, "bb-k-01").await;
    b.wait_until("location.search.includes('ok=')").await;
    let notice = b.wait_for("#outcome").await.text().await.unwrap();
    assert!(
        notice.contains("Meegegeven: BB-K-01 (Bee-Bot set klein"),
        "{notice}"
    );
    assert_eq!(
        b.js("return document.querySelector('.remaining').dataset.remaining")
            .await,
        "1"
    );

    // Back on "Vandaag" the reservation is still there, one of two handed over.
    b.client.goto(&app.url("/balie/vandaag")).await.unwrap();
    let text = b
        .wait_for(&format!("{row} .handed-over"))
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("1 van 2 meegegeven"), "{text}");

    // The second unit, looked up by its inventory code: its page offers the hand-over.
    scan(&b, "BB-K-02").await;
    b.wait_until("location.pathname.startsWith('/balie/exemplaren/')")
        .await;
    let offer = b
        .wait_for(&format!(
            ".desk-list.pickups li[data-id='{}'] button.hand-over",
            reservation.id
        ))
        .await;
    let label = offer.text().await.unwrap();
    assert!(label.contains("1 van 2 meegegeven"), "{label}");
    offer.click().await.unwrap();
    b.wait_until(
        "location.pathname.startsWith('/balie/uitgifte/') && location.search.includes('ok=')",
    )
    .await;
    assert_eq!(
        b.js("return document.querySelector('.remaining').dataset.remaining")
            .await,
        "0"
    );

    // Everything out: it leaves the list to hand over.
    b.client.goto(&app.url("/balie/vandaag")).await.unwrap();
    b.wait_for(".today-page h2").await;
    assert_eq!(
        b.js(&format!(
            "return document.querySelectorAll(\"{row}\").length"
        ))
        .await,
        0
    );
    b.close().await;
}
