//! Catalogue management in a real browser: a partner admin edits a kit type of their own
//! partner service, gets a refused save back filled in with the message at its field, and
//! is refused another partner's kit type.

use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};

#[tokio::test]
async fn a_partner_admin_edits_their_kit_type_and_is_refused_another_partners() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
    let app = TestApp::spawn().await;
    let b = Browser::start().await;
    b.client
        .goto(&app.url("/aanmelden?next=/beheer/materiaal"))
        .await
        .unwrap();
    b.sign_in("partnerbeheer@demo.leenpunt.be", DEMO_PASSWORD)
        .await;
    // The list holds MOS's kit types only.
    b.wait_for(".kit-admin-list li[data-kit='mos-afvalsorteerkoffer']")
        .await;
    assert_eq!(
        b.js("return document.querySelectorAll(\".kit-admin-list li[data-kit='bee-bot-set-klein']\").length")
            .await,
        0
    );
    b.wait_for(".kit-admin-list li[data-kit='mos-afvalsorteerkoffer'] a")
        .await
        .click()
        .await
        .unwrap();
    let title = b.wait_for("#kit-title").await;
    title.clear().await.unwrap();
    title
        .send_keys("Afvalsorteerkoffer voor de klas")
        .await
        .unwrap();
    // A mistake in another field: the save is refused, nothing is lost.
    let lead = b.wait_for("#kit-lead_days").await;
    lead.clear().await.unwrap();
    lead.send_keys("drie").await.unwrap();
    b.wait_for(".save-kit").await.click().await.unwrap();
    let message = b.wait_for("#error-lead_days").await.text().await.unwrap();
    assert!(message.contains("drie"), "{message}");
    assert_eq!(
        b.js("return document.querySelector('#kit-title').value")
            .await,
        "Afvalsorteerkoffer voor de klas",
        "what was typed is still there"
    );
    let lead = b.wait_for("#kit-lead_days").await;
    lead.clear().await.unwrap();
    b.wait_for(".save-kit").await.click().await.unwrap();
    b.wait_until("location.search.includes('ok=')").await;
    assert_eq!(
        b.wait_for("h1").await.text().await.unwrap(),
        "Afvalsorteerkoffer voor de klas"
    );
    b.client
        .goto(&app.url("/catalogus/mos-afvalsorteerkoffer"))
        .await
        .unwrap();
    assert_eq!(
        b.wait_for("h1").await.text().await.unwrap(),
        "Afvalsorteerkoffer voor de klas"
    );

    // Another partner's kit type: refused.
    b.client
        .goto(&app.url("/beheer/materiaal/bee-bot-set-klein"))
        .await
        .unwrap();
    let refusal = b.wait_for("p.error").await.text().await.unwrap();
    assert!(refusal.contains("andere partnerdienst"), "{refusal}");
    assert_eq!(
        b.js("return document.querySelectorAll('form.kit-form').length")
            .await,
        0
    );
    b.close().await;
}

/// On a phone, a partner admin opens "Beheer → Overzicht", follows "labels not yet
/// printed" to the labels page with exactly those labels ticked, prints them, and the
/// count on the home goes to zero.
#[tokio::test]
async fn a_partner_admin_on_a_phone_prints_the_labels_the_overview_asks_for() {
    let app = TestApp::spawn().await;
    let b = Browser::start_phone(360).await;
    b.client
        .goto(&app.url("/aanmelden?next=/catalogus"))
        .await
        .unwrap();
    b.sign_in("partnerbeheer@demo.leenpunt.be", DEMO_PASSWORD)
        .await;
    b.wait_until("location.pathname === '/catalogus'").await;
    b.nav_link("a.nav-overview").await.click().await.unwrap();
    b.wait_until("location.pathname === '/beheer'").await;
    let tile = ".tile[data-kind='labels']";
    let count = b
        .js(&format!(
            "return +document.querySelector(\"{tile}\").dataset.count"
        ))
        .await
        .as_u64()
        .unwrap();
    assert!(count > 0, "a fresh install has labels to print");
    assert_eq!(
        b.js("return document.documentElement.scrollWidth <= window.innerWidth")
            .await,
        true,
        "the home fits the phone"
    );
    b.wait_for(&format!("{tile} a"))
        .await
        .click()
        .await
        .unwrap();
    b.wait_until("location.pathname === '/beheer/labels'").await;
    assert_eq!(
        b.js("return document.querySelectorAll('.label-unit input:checked').length")
            .await
            .as_u64()
            .unwrap(),
        count,
        "exactly the new labels are ticked"
    );
    // The form opens the sheet in a new tab; follow it in this one.
    b.js("const f = document.querySelector('.labels-form'); \
          location.href = f.action + '?' + new URLSearchParams(new FormData(f)); return 0")
        .await;
    b.wait_until("location.pathname === '/beheer/labels/blad'")
        .await;
    b.wait_until("document.querySelectorAll('.label').length > 0")
        .await;
    b.client.goto(&app.url("/beheer")).await.unwrap();
    b.wait_for(&format!("{tile}[data-count='0']")).await;
    b.close().await;
}
