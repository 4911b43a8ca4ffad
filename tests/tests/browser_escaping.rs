//! Stored values in a real browser (issue 12): a hostile kit title stays text in the tab
//! title and the page (no meta refresh, no redirect), also after the islands hydrate and
//! after a search re-renders the results in the browser; text areas show exactly what
//! was stored, and saving a form unchanged stores exactly the same text (nothing is
//! escaped twice).

use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};

/// Markup that would redirect, an entity that must not be decoded, and both quotes.
const HOSTILE: &str =
    "Bee</title></textarea><meta http-equiv=\"refresh\" content=\"0;url=/x\"> &amp; 'x'";

async fn stored(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn hostile_stored_text_stays_text_in_the_browser() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
    let app = TestApp::spawn().await;
    let pool = app.state.db.writer();
    for sql in [
        "UPDATE kit_types SET title = ?1, summary = ?1 WHERE slug = 'bee-bot-set-klein'",
        "UPDATE pickup_points SET opening_hours = ?1 WHERE slug = 'mos-brugge'",
    ] {
        sqlx::query(sql).bind(HOSTILE).execute(pool).await.unwrap();
    }
    let b = Browser::start().await;

    // The public kit page: the title is text in the tab and the heading, nothing redirects.
    b.client
        .goto(&app.url("/catalogus/bee-bot-set-klein"))
        .await
        .unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        b.js("return document.title").await,
        format!("{HOSTILE} · Leenpunt")
    );
    assert_eq!(
        b.js("return document.querySelector('.kit-head h1').textContent")
            .await,
        HOSTILE
    );
    assert_eq!(
        b.js("return document.querySelectorAll('meta[http-equiv]').length")
            .await,
        0
    );
    assert_eq!(
        b.js("return location.pathname").await,
        "/catalogus/bee-bot-set-klein"
    );

    // The catalogue island renders the results again in the browser after a search.
    b.client.goto(&app.url("/catalogus")).await.unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    // A marker on window disappears if the browser loads a new document.
    b.js("window.__samePage = 42; return null;").await;
    b.wait_for("#search-q")
        .await
        .send_keys("bee")
        .await
        .unwrap();
    b.wait_for(".search-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_until("location.search.includes('q=bee')").await;
    b.wait_until(&format!(
        "[...document.querySelectorAll('.kit-card h3 a')].some(a => a.textContent === {})",
        serde_json::json!(HOSTILE)
    ))
    .await;
    assert_eq!(
        b.js("return window.__samePage").await,
        42,
        "rendered by the island"
    );
    assert_eq!(
        b.js("return document.querySelectorAll('meta[http-equiv], .kit-card h3 a *').length")
            .await,
        0
    );

    // Text areas hold exactly the stored text; saving unchanged stores it unchanged.
    b.client
        .goto(&app.url("/aanmelden?next=/beheer/register/afhaalpunten/mos-brugge"))
        .await
        .unwrap();
    b.sign_in("partnerbeheer@demo.leenpunt.be", DEMO_PASSWORD)
        .await;
    b.wait_until("location.pathname === '/beheer/register/afhaalpunten/mos-brugge'")
        .await;
    assert_eq!(
        b.js("return document.querySelector('#field-opening_hours').value")
            .await,
        HOSTILE
    );
    b.wait_for(".save-record").await.click().await.unwrap();
    b.wait_until("location.search.includes('ok=')").await;
    assert_eq!(
        stored(
            &app,
            "SELECT opening_hours FROM pickup_points WHERE slug = 'mos-brugge'"
        )
        .await,
        HOSTILE
    );
    assert_eq!(
        b.js("return document.querySelector('#field-opening_hours').value")
            .await,
        HOSTILE
    );
    b.close().await;
}
