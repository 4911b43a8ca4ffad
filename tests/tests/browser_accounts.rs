//! Signing in and out in a real browser.

use fantoccini::Locator;
use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};

#[tokio::test]
async fn sign_in_shows_the_user_and_sign_out_forgets_them() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "run `cargo xtask test`, which builds the front end"
    );
    let app = TestApp::spawn().await;
    let b = Browser::start().await;
    b.client.goto(&app.url("/catalogus")).await.unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    b.client
        .find(Locator::Css("a.signin"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_until("location.pathname === '/aanmelden'").await;

    // A wrong password first: a clear message, still signed out.
    b.sign_in("leerkracht@demo.leenpunt.be", "niet juist!")
        .await;
    let error = b.wait_for("#signin-error").await.text().await.unwrap();
    assert_eq!(error, "Het e-mailadres of het wachtwoord klopt niet.");

    b.sign_in("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
        .await;
    let name = b.wait_for(".account-name").await.text().await.unwrap();
    assert!(name.contains("Lotte Vermeulen"), "header shows {name}");
    assert_eq!(b.js("return location.pathname").await, "/");

    b.client
        .find(Locator::Css(".signout button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for("a.signin").await;
    assert_eq!(
        b.js("return document.querySelector('.account-name')").await,
        serde_json::Value::Null
    );
    b.close().await;
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_the_mailed_link() {
    use leenpunt_tests::browser::Browser;
    let app = leenpunt_tests::TestApp::spawn().await;
    let b = Browser::start().await;
    b.client.goto(&app.url("/aanmelden")).await.unwrap();
    b.wait_for("a.forgot-link").await.click().await.unwrap();
    b.wait_for("#reset-email")
        .await
        .send_keys("leerkracht@demo.leenpunt.be")
        .await
        .unwrap();
    b.wait_for(".signin-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("#reset-sent").await;
    let body: String = sqlx::query_scalar(
        "SELECT body FROM outbox WHERE subject LIKE 'Kies een nieuw wachtwoord%'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/wachtwoord/"))
        .unwrap();
    let path = format!(
        "/{}",
        link.split_once("://").unwrap().1.split_once('/').unwrap().1
    );
    // Too short first: the reason shows, nothing changes.
    b.client.goto(&app.url(&path)).await.unwrap();
    b.wait_for("#new-password")
        .await
        .send_keys("kort")
        .await
        .unwrap();
    b.js("document.querySelector('#new-password').removeAttribute('minlength'); return null;")
        .await;
    b.wait_for(".signin-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let error = b.wait_for("#reset-error").await.text().await.unwrap();
    assert!(error.contains("minstens 10"), "{error}");
    b.wait_for("#new-password")
        .await
        .send_keys("een-nieuw-wachtwoord")
        .await
        .unwrap();
    b.wait_for(".signin-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("#signin-reset").await;
    b.sign_in("leerkracht@demo.leenpunt.be", "een-nieuw-wachtwoord")
        .await;
    b.wait_for(".account-name").await;
    b.close().await;
}
