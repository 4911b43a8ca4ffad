//! The language of one's mails, chosen on "Mijn account" (reached from the name in the
//! header) at 360 and 1280 px: the choice is stored, the next mail comes in it, and the
//! page follows it.

use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};

const TEACHER: &str = "leerkracht@demo.leenpunt.be";

async fn stored_lang(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT lang FROM users WHERE email = ?")
        .bind(TEACHER)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_teacher_chooses_english_mail_on_the_account_page() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "run `cargo xtask test`, which builds the front end"
    );
    let app = TestApp::spawn().await;
    for (phone, lang) in [(true, "en"), (false, "nl")] {
        let b = if phone {
            Browser::start_phone(360).await
        } else {
            Browser::start().await
        };
        let width = if phone { "360 px" } else { "1280 px" };
        // axe-core loads into every document opened from now on.
        b.inject_axe().await;
        b.client.goto(&app.url("/aanmelden")).await.unwrap();
        b.sign_in(TEACHER, DEMO_PASSWORD).await;
        b.wait_for(".account-name").await.click().await.unwrap();
        b.wait_until("location.pathname === '/mijn-account'").await;
        assert_eq!(b.axe_violations().await, Vec::<String>::new(), "{width}");
        assert_eq!(
            b.js("return document.documentElement.scrollWidth <= window.innerWidth")
                .await,
            true,
            "the account page fits at {width}"
        );
        let email = b.wait_for(".account-facts").await.text().await.unwrap();
        assert!(email.contains(TEACHER), "{email}");
        choose(&b, lang).await;
        assert_eq!(stored_lang(&app).await, lang, "{width}");
        assert_eq!(
            b.js("return document.documentElement.lang").await,
            if lang == "en" { "en" } else { "nl-BE" },
            "the page follows the choice"
        );
        assert_eq!(
            b.js(&format!(
                "return document.querySelector('#mail-lang-{lang}').checked"
            ))
            .await,
            true
        );
        b.close().await;
    }
    // The last choice was Dutch: a password reset comes in Dutch; after choosing English
    // again, in English.
    assert_eq!(
        reset_subject(&app).await,
        "Kies een nieuw wachtwoord voor Leenpunt"
    );
    let b = Browser::start().await;
    b.client.goto(&app.url("/aanmelden")).await.unwrap();
    b.sign_in(TEACHER, DEMO_PASSWORD).await;
    b.wait_for(".account-name").await;
    b.client.goto(&app.url("/mijn-account")).await.unwrap();
    choose(&b, "en").await;
    b.close().await;
    assert_eq!(
        reset_subject(&app).await,
        "Choose a new password for Leenpunt"
    );
}

#[tokio::test]
async fn a_teacher_switches_reminders_off_and_on_again() {
    let app = TestApp::spawn().await;
    let reminders_on = || async {
        sqlx::query_scalar::<_, i64>("SELECT reminders_off FROM users WHERE email = ?")
            .bind(TEACHER)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap()
            == 0
    };
    for (phone, on) in [(true, false), (false, true)] {
        let b = if phone {
            Browser::start_phone(360).await
        } else {
            Browser::start().await
        };
        let width = if phone { "360 px" } else { "1280 px" };
        b.client.goto(&app.url("/aanmelden")).await.unwrap();
        b.sign_in(TEACHER, DEMO_PASSWORD).await;
        b.wait_for(".account-name").await;
        b.client.goto(&app.url("/mijn-account")).await.unwrap();
        let box_ = b.wait_for("#reminders-on").await;
        assert_eq!(
            b.js("return document.querySelector('#reminders-on').checked")
                .await,
            !on,
            "the box shows the stored choice at {width}"
        );
        box_.click().await.unwrap();
        b.wait_for(".reminders-form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        let notice = b.wait_for("#account-saved").await.text().await.unwrap();
        assert!(notice.contains("herinneringen"), "{notice}");
        assert_eq!(reminders_on().await, on, "{width}");
        assert_eq!(
            b.js("return document.querySelector('#reminders-on').checked")
                .await,
            on
        );
        assert_eq!(
            b.js("return document.documentElement.scrollWidth <= window.innerWidth")
                .await,
            true,
            "the account page fits at {width}"
        );
        b.close().await;
    }
}

/// Picks a mail language on the account page and saves it.
async fn choose(b: &Browser, lang: &str) {
    b.wait_for(&format!("#mail-lang-{lang}"))
        .await
        .click()
        .await
        .unwrap();
    b.wait_for(".mail-lang-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("#account-saved").await;
}

/// Asks for a password reset for the teacher and returns the mail's subject.
async fn reset_subject(app: &TestApp) -> String {
    let r = app
        .client
        .post(app.url("/api/v1/password-reset"))
        .json(&serde_json::json!({ "email": TEACHER }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    sqlx::query_scalar("SELECT subject FROM outbox WHERE to_addr = ? ORDER BY id DESC LIMIT 1")
        .bind(TEACHER)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}
