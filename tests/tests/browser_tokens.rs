//! Access tokens in the browser, at 360 and 1280 px (axe-clean, nothing scrolls sideways):
//! a teacher makes a token on "Mijn account", sees its secret once, an integration (this
//! test, over HTTP) uses it, the teacher revokes it and it stops working; an admin sees
//! and revokes anyone's token at /beheer/sleutels.

use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const ADMIN: &str = "beheerder@demo.leenpunt.be";

async fn me_with(app: &TestApp, secret: &str) -> reqwest::StatusCode {
    app.client
        .get(app.url("/api/v1/me"))
        .header("authorization", format!("Bearer {secret}"))
        .send()
        .await
        .unwrap()
        .status()
}

async fn fits(b: &Browser, what: &str) {
    assert_eq!(b.axe_violations().await, Vec::<String>::new(), "{what}");
    assert_eq!(
        b.js("return document.documentElement.scrollWidth <= window.innerWidth")
            .await,
        true,
        "{what} fits"
    );
}

async fn browser(phone: bool) -> (Browser, &'static str) {
    let b = if phone {
        Browser::start_phone(360).await
    } else {
        Browser::start().await
    };
    b.inject_axe().await;
    (b, if phone { "360 px" } else { "1280 px" })
}

#[tokio::test]
async fn a_teacher_makes_sees_once_and_revokes_a_token() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "run `cargo xtask test`, which builds the front end"
    );
    let app = TestApp::spawn().await;
    for phone in [true, false] {
        let (b, width) = browser(phone).await;
        b.client.goto(&app.url("/aanmelden")).await.unwrap();
        b.sign_in(TEACHER, DEMO_PASSWORD).await;
        b.wait_for(".account-name").await;
        b.client.goto(&app.url("/mijn-account")).await.unwrap();
        b.wait_for(".token-form").await;
        fits(&b, &format!("the account page at {width}")).await;

        let name = format!("Sync {width}");
        b.wait_for("#token-name")
            .await
            .send_keys(&name)
            .await
            .unwrap();
        b.wait_for("#token-scope-write")
            .await
            .click()
            .await
            .unwrap();
        b.wait_for(".token-form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        b.wait_for("#new-token-secret").await;
        let secret = b
            .js("return document.querySelector('#new-token-secret').value")
            .await
            .as_str()
            .unwrap()
            .to_owned();
        assert!(secret.starts_with("lp_"), "{secret}");
        let url = b.client.current_url().await.unwrap().to_string();
        assert!(
            !url.contains(&secret[3..]),
            "the secret is not in the address: {url}"
        );
        fits(&b, &format!("the new secret at {width}")).await;

        // An integration uses it.
        assert_eq!(me_with(&app, &secret).await, 200, "{width}");

        // Shown once: the account page without the fresh address has no secret.
        b.client.goto(&app.url("/mijn-account")).await.unwrap();
        b.wait_for(".token-list").await;
        assert_eq!(
            b.js("return document.querySelector('#new-token-secret') === null")
                .await,
            true,
            "{width}"
        );
        let listed = b.wait_for(".token-list").await.text().await.unwrap();
        assert!(listed.contains(&name), "{listed}");
        assert!(!listed.contains(&secret[3..]));

        // Revoked in the browser (with a confirmation), it stops working at once.
        let id: i64 = sqlx::query_scalar("SELECT id FROM access_tokens WHERE name = ?")
            .bind(&name)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        let card = format!(".token[data-id='{id}']");
        b.wait_for(&format!("{card} .token-revoke summary"))
            .await
            .click()
            .await
            .unwrap();
        fits(&b, &format!("the revoke confirmation at {width}")).await;
        b.wait_for(&format!("{card} .token-revoke-form button"))
            .await
            .click()
            .await
            .unwrap();
        b.wait_for("#token-revoked").await;
        fits(&b, &format!("the revoked token at {width}")).await;
        assert_eq!(me_with(&app, &secret).await, 401, "{width}");
        b.close().await;
    }
}

#[tokio::test]
async fn an_admin_revokes_anyones_token() {
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    for phone in [true, false] {
        let made: serde_json::Value = app
            .post_json(
                &teacher,
                "/api/v1/me/tokens",
                &serde_json::json!({ "name": "Schoolbestuur", "scope": "read" }),
            )
            .await
            .json()
            .await
            .unwrap();
        let (id, secret) = (
            made["token"]["id"].as_i64().unwrap(),
            made["secret"].as_str().unwrap().to_owned(),
        );
        let (b, width) = browser(phone).await;
        b.client.goto(&app.url("/aanmelden")).await.unwrap();
        b.sign_in(ADMIN, DEMO_PASSWORD).await;
        b.wait_for(".account-name").await;
        b.nav_link(".nav-tokens").await.click().await.unwrap();
        b.wait_until("location.pathname === '/beheer/sleutels'")
            .await;
        let card = format!(".token[data-id='{id}']");
        let text = b.wait_for(&card).await.text().await.unwrap();
        assert!(text.contains(TEACHER), "the owner is shown: {text}");
        fits(&b, &format!("the admin list at {width}")).await;
        b.wait_for(&format!("{card} .token-revoke summary"))
            .await
            .click()
            .await
            .unwrap();
        b.wait_for(&format!("{card} .token-revoke-form button"))
            .await
            .click()
            .await
            .unwrap();
        b.wait_for("#token-revoked").await;
        fits(&b, &format!("the admin list after revoking at {width}")).await;
        assert_eq!(me_with(&app, &secret).await, 401, "{width}");
        b.close().await;
    }
}
