//! The kit editor in a real browser, on a phone (360 px) and a desktop (1280 px): a partner
//! admin opens a kit, adds a contents row and a unit, saves and sees them after a reload;
//! a unit code of another kit is refused with its message next to the field. The form fits
//! the screen (tables become stacked rows on the phone) and axe finds nothing serious.

use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};

const KIT: &str = "/beheer/materiaal/mos-afvalsorteerkoffer";

async fn fits(b: &Browser, what: &str) {
    assert_eq!(
        b.js("return document.documentElement.scrollWidth <= window.innerWidth")
            .await,
        true,
        "{what}: scrolls sideways"
    );
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "{what}: {violations:?}");
}

async fn value(b: &Browser, css: &str) -> String {
    b.js(&format!("return document.querySelector('{css}').value"))
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn edit_a_kit(phone: bool) {
    let app = TestApp::spawn().await;
    let b = if phone {
        Browser::start_phone(360).await
    } else {
        Browser::start().await
    };
    let width = if phone { "360 px" } else { "1280 px" };
    b.client
        .goto(&app.url(&format!("/aanmelden?next={KIT}")))
        .await
        .unwrap();
    b.sign_in("partnerbeheer@demo.leenpunt.be", DEMO_PASSWORD)
        .await;
    b.wait_for("form.kit-editor").await;
    b.inject_axe().await;
    b.client.goto(&app.url(KIT)).await.unwrap();
    b.wait_for("form.kit-editor").await;
    fits(&b, width).await;
    let row_display = b
        .js("return getComputedStyle(document.querySelector('.parts-table tbody tr')).display")
        .await;
    assert_eq!(
        row_display,
        if phone { "block" } else { "table-row" },
        "{width}: stacked rows on a phone, a table on a desktop"
    );
    // Kind is a choice of what is allowed; themes are check boxes.
    assert_eq!(value(&b, "#kit-kind").await, "uitleen");
    assert_eq!(
        b.js("return document.querySelector('#kit-themes-natuur-milieu').checked")
            .await,
        true
    );

    // The first empty contents row (after the kit's four parts) and the first empty unit
    // row (after its four units).
    b.wait_for("#kit-parts-4-name")
        .await
        .send_keys("Werkhandschoenen")
        .await
        .unwrap();
    b.wait_for("#kit-parts-4-count")
        .await
        .send_keys("2")
        .await
        .unwrap();
    b.wait_for("#kit-units-4-code")
        .await
        .send_keys("MOS-AF-09")
        .await
        .unwrap();
    b.wait_for(".save-kit").await.click().await.unwrap();
    b.wait_until("location.search.includes('ok=opgeslagen')")
        .await;
    b.wait_for("#outcome").await;
    b.client.goto(&app.url(KIT)).await.unwrap();
    b.wait_for("form.kit-editor").await;
    assert_eq!(value(&b, "#kit-parts-4-name").await, "Werkhandschoenen");
    assert_eq!(value(&b, "#kit-parts-4-count").await, "2");
    assert_eq!(
        b.js("return [...document.querySelectorAll('.unit-row[data-existing=true] .unit-code')].map(e => e.textContent).includes('MOS-AF-09')")
            .await,
        true,
        "{width}: the new unit is stored"
    );

    // A code of another kit's unit: the message sits next to the field, the typed code stays.
    b.wait_for("#kit-units-5-code")
        .await
        .send_keys("BB-K-01")
        .await
        .unwrap();
    b.wait_for(".save-kit").await.click().await.unwrap();
    let message = b
        .wait_for("#error-units-5-code")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        message.contains("al een exemplaar van ander materiaal"),
        "{message}"
    );
    assert_eq!(
        b.js(
            "return document.querySelector('#error-units-5-code').closest('td') \
              .contains(document.querySelector('#kit-units-5-code'))"
        )
        .await,
        true,
        "next to its field"
    );
    assert_eq!(value(&b, "#kit-units-5-code").await, "BB-K-01");
    fits(&b, &format!("{width}, refused")).await;
    b.close().await;
}

#[tokio::test]
async fn a_partner_admin_adds_a_part_and_a_unit_on_a_phone() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
    edit_a_kit(true).await;
}

#[tokio::test]
async fn a_partner_admin_adds_a_part_and_a_unit_on_a_desktop() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
    edit_a_kit(false).await;
}
