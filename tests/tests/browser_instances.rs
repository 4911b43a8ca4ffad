//! Two server instances on one database, in a real browser on a phone (360 px) and a desktop
//! (1280 px): a partner admin signs in on instance A, saves a kit type with a mistake there,
//! and the page that shows the refused form back is served by instance B (as a load
//! balancer without sticky sessions may do): signed in, filled in with what was typed, the
//! message at its field. The page fits the screen and axe finds nothing serious.

use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};

const KIT: &str = "/beheer/materiaal/mos-afvalsorteerkoffer";
const TITLE: &str = "Afvalsorteerkoffer (getypt op A)";

async fn value(b: &Browser, css: &str) -> String {
    b.js(&format!("return document.querySelector('{css}').value"))
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn refused_on_a_shown_on_b(phone: bool) {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("gedeeld.db");
    let a = TestApp::spawn_on(&file).await;
    let b_app = TestApp::spawn_on(&file).await;
    let b = if phone {
        Browser::start_phone(360).await
    } else {
        Browser::start().await
    };
    let width = if phone { "360 px" } else { "1280 px" };
    b.client
        .goto(&a.url(&format!("/aanmelden?next={KIT}")))
        .await
        .unwrap();
    b.sign_in("partnerbeheer@demo.leenpunt.be", DEMO_PASSWORD)
        .await;
    b.wait_for("form.kit-editor").await;
    b.inject_axe().await;
    let title = b.wait_for("#kit-title").await;
    title.clear().await.unwrap();
    title.send_keys(TITLE).await.unwrap();
    let lead = b.wait_for("#kit-lead_days").await;
    lead.clear().await.unwrap();
    lead.send_keys("drie").await.unwrap();
    b.wait_for(".save-kit").await.click().await.unwrap();
    b.wait_until("location.search.includes('concept=')").await;
    let back = b
        .js("return location.pathname + location.search")
        .await
        .as_str()
        .unwrap()
        .to_owned();
    assert!(back.starts_with(KIT), "{width}: {back}");

    // The same address, served by instance B (the session cookie is the host's, for both).
    b.client.goto(&b_app.url(&back)).await.unwrap();
    b.wait_for("form.kit-editor").await;
    assert_eq!(value(&b, "#kit-title").await, TITLE, "{width}: kept on B");
    assert_eq!(value(&b, "#kit-lead_days").await, "drie", "{width}");
    let message = b.wait_for("#error-lead_days").await.text().await.unwrap();
    assert!(message.contains("drie"), "{width}: {message}");
    assert_eq!(
        b.js("return document.documentElement.scrollWidth <= window.innerWidth")
            .await,
        true,
        "{width}: scrolls sideways"
    );
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "{width}: {violations:?}");
    // Nothing was saved.
    let stored: String =
        sqlx::query_scalar("SELECT title FROM kit_types WHERE slug = 'mos-afvalsorteerkoffer'")
            .fetch_one(b_app.state.db.pool())
            .await
            .unwrap();
    assert_ne!(stored, TITLE);
    b.close().await;
}

#[tokio::test]
async fn a_form_refused_on_one_instance_comes_back_on_the_other_on_a_phone() {
    refused_on_a_shown_on_b(true).await;
}

#[tokio::test]
async fn a_form_refused_on_one_instance_comes_back_on_the_other_on_a_desktop() {
    refused_on_a_shown_on_b(false).await;
}
