//! One request is one hand-over at the desk (issue 20), in a real browser at 360 and
//! 1280 px: a demo teacher sends a cart of two lines through the cart API; the desk opens
//! the request from Vandaag (one entry with its two lines), hands the whole request over
//! by typed codes (as a USB scanner types them), sees the receipt with every line, takes
//! part back, then the rest. No page scrolls sideways; axe finds nothing serious.

use leenpunt_shared::cart::CartSubmitted;
use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};
use serde_json::json;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
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

/// Types into the scan field and presses Enter, as a barcode scanner does.
async fn scan(b: &Browser, code: &str) {
    let field = b.wait_for("#scan-code").await;
    field.send_keys(&format!("{code}\u{E007}")).await.unwrap();
}

async fn run(width: u32) {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask site` first"
    );
    let app = TestApp::spawn().await;
    let t = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
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
    let sent: CartSubmitted = r.json().await.unwrap();
    let request = sent.requests[0].id;
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
    // Vandaag: the request is one entry with its two lines below it.
    let entry = format!(".desk-list.pickups li.desk-request[data-request='{request}']");
    b.wait_for(&entry).await;
    assert_eq!(
        b.js(&format!(
            "return document.querySelectorAll(\"{entry} li.request-line\").length"
        ))
        .await,
        2
    );
    fits_and_passes_axe(&b, "Vandaag").await;
    b.wait_for(&format!("{entry} a"))
        .await
        .click()
        .await
        .unwrap();
    b.wait_until(&format!(
        "location.pathname === '/balie/aanvraag/{request}'"
    ))
    .await;
    assert_eq!(
        b.js("return document.querySelector('.remaining').dataset.remaining")
            .await,
        "3"
    );
    fits_and_passes_axe(&b, "the request's hand-over").await;

    // Units of either line, in any order: each fills its own line.
    let magnet = app.label_code("MAG-01").await;
    scan(&b, &magnet).await;
    b.wait_until("location.search.includes('ok=')").await;
    let notice = b.wait_for("#outcome").await.text().await.unwrap();
    assert!(notice.contains("Meegegeven: MAG-01"), "{notice}");
    b.wait_for("li.request-line[data-missing='0'][data-out='1']")
        .await;
    // A unit the request does not ask for: a clear message, nothing written.
    scan(&b, &app.label_code("BB-K-01").await).await;
    let error = b.wait_for("#outcome-error").await.text().await.unwrap();
    assert!(error.contains("BB-K-01"), "{error}");
    assert!(error.contains("Er werd niets bewaard"), "{error}");
    fits_and_passes_axe(&b, "a refused scan").await;
    scan(&b, "EL-01").await;
    b.wait_until("document.querySelector('.remaining') && document.querySelector('.remaining').dataset.remaining === '1'")
        .await;
    scan(&b, &app.label_code("EL-02").await).await;
    b.wait_until("document.querySelector('.remaining') && document.querySelector('.remaining').dataset.remaining === '0'")
        .await;
    // Handed over as a whole: the receipt lists every line's units.
    let remaining = b.wait_for(".remaining").await.text().await.unwrap();
    assert!(remaining.contains("hele aanvraag"), "{remaining}");
    assert_eq!(
        b.js("return [...document.querySelectorAll('tr.loan-line')].map(r => r.dataset.unit).sort().join(',')")
            .await,
        "EL-01,EL-02,MAG-01"
    );
    assert_eq!(
        b.js("return !!document.querySelector('#scan-code')").await,
        false
    );
    fits_and_passes_axe(&b, "the receipt").await;

    // Part back now: the magnet box.
    b.wait_for("a.take-back").await.click().await.unwrap();
    b.wait_until(&format!(
        "location.pathname === '/balie/aanvraag/{request}/inname'"
    ))
    .await;
    assert_eq!(
        b.js("return document.querySelector('.still-out').dataset.out")
            .await,
        "3"
    );
    fits_and_passes_axe(&b, "the request's return").await;
    scan(&b, &magnet).await;
    b.wait_until("location.pathname.startsWith('/balie/inname/')")
        .await;
    fits_and_passes_axe(&b, "the contents check").await;
    b.wait_for(".take-back").await.click().await.unwrap();
    b.wait_until(&format!(
        "location.pathname === '/balie/aanvraag/{request}/inname' && location.search.includes('ok=')"
    ))
    .await;
    assert_eq!(
        b.js("return document.querySelector('.still-out').dataset.out")
            .await,
        "2"
    );
    // The rest, later.
    for code in ["EL-01", "EL-02"] {
        scan(&b, code).await;
        b.wait_until("location.pathname.startsWith('/balie/inname/')")
            .await;
        b.wait_for(".take-back").await.click().await.unwrap();
        b.wait_until(&format!(
            "location.pathname === '/balie/aanvraag/{request}/inname' && location.search.includes('ok=')"
        ))
        .await;
    }
    let all_back = b.wait_for(".still-out").await.text().await.unwrap();
    assert!(
        all_back.contains("Alles van deze aanvraag is terug"),
        "{all_back}"
    );
    fits_and_passes_axe(&b, "everything back").await;
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT status FROM reservations WHERE request_id = $1 ORDER BY id")
            .bind(request)
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(statuses, ["teruggebracht", "teruggebracht"]);
    b.close().await;
}

#[tokio::test]
async fn desk_hands_a_request_over_and_takes_it_back_in_parts_on_a_phone() {
    run(360).await;
}

#[tokio::test]
async fn desk_hands_a_request_over_and_takes_it_back_in_parts_on_a_screen() {
    run(1280).await;
}
