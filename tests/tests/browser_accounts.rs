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
    assert_eq!(
        b.js("return location.pathname").await,
        "/catalogus",
        "back where the sign-in started"
    );

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

#[tokio::test]
async fn an_admin_invites_desk_staff_who_choose_a_password() {
    use leenpunt_tests::browser::Browser;
    let app = leenpunt_tests::TestApp::spawn().await;
    let b = Browser::start().await;
    b.client
        .goto(&app.url("/aanmelden?next=/beheer/uitnodigen"))
        .await
        .unwrap();
    b.sign_in(
        "partnerbeheer@demo.leenpunt.be",
        leenpunt_tests::DEMO_PASSWORD,
    )
    .await;
    b.wait_until("location.pathname === '/beheer/uitnodigen'")
        .await;
    b.wait_for("#invite-email")
        .await
        .send_keys("balie@mos.be")
        .await
        .unwrap();
    b.wait_for("#invite-name")
        .await
        .send_keys("Bram Balie")
        .await
        .unwrap();
    b.wait_for(".invite-page button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("#outcome").await;
    let body: String = sqlx::query_scalar("SELECT body FROM outbox WHERE to_addr = 'balie@mos.be'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/uitnodiging/"))
        .unwrap();
    let path = format!(
        "/{}",
        link.split_once("://").unwrap().1.split_once('/').unwrap().1
    );
    // Sign out, then accept as the invited person.
    b.wait_for("form.signout button")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("a.signin").await;
    b.client.goto(&app.url(&path)).await.unwrap();
    b.wait_for("#new-password")
        .await
        .send_keys("mijn-eerste-wachtwoord")
        .await
        .unwrap();
    b.wait_for(".signin-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("#signin-welcome").await;
    b.sign_in("balie@mos.be", "mijn-eerste-wachtwoord").await;
    let name = b.wait_for(".account-name").await.text().await.unwrap();
    assert!(name.contains("Bram Balie"), "{name}");
    b.wait_for("a.nav-desk").await;
    b.close().await;
}

#[tokio::test]
async fn a_teacher_signs_up_confirms_and_signs_in() {
    use leenpunt_tests::browser::Browser;
    let app = leenpunt_tests::TestApp::spawn().await;
    let b = Browser::start().await;
    b.client.goto(&app.url("/aanmelden")).await.unwrap();
    b.wait_for("a.signup-link").await.click().await.unwrap();
    b.wait_for("#signup-name")
        .await
        .send_keys("Sara Peeters")
        .await
        .unwrap();
    b.wait_for("#signup-email")
        .await
        .send_keys("sara@school.be")
        .await
        .unwrap();
    b.wait_for("#signup-school")
        .await
        .send_keys("012345")
        .await
        .unwrap();
    // The school list comes with the page.
    assert!(
        b.js("return document.querySelectorAll('#signup-schools option').length")
            .await
            .as_u64()
            .unwrap()
            > 40
    );
    b.wait_for("#signup-password")
        .await
        .send_keys("kort")
        .await
        .unwrap();
    b.js("document.querySelector('#signup-password').removeAttribute('minlength'); return null;")
        .await;
    b.wait_for(".signin-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let error = b.wait_for("#error-password").await.text().await.unwrap();
    assert!(error.contains("minstens 10"), "{error}");
    assert_eq!(
        b.js("return document.querySelector('#signup-name').value")
            .await,
        "Sara Peeters",
        "what was typed stays"
    );
    b.wait_for("#signup-password")
        .await
        .send_keys("een-goed-wachtwoord")
        .await
        .unwrap();
    b.wait_for(".signin-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("#signup-sent").await;
    let body: String =
        sqlx::query_scalar("SELECT body FROM outbox WHERE to_addr = 'sara@school.be'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/bevestig/"))
        .unwrap();
    let path = format!(
        "/{}",
        link.split_once("://").unwrap().1.split_once('/').unwrap().1
    );
    b.client.goto(&app.url(&path)).await.unwrap();
    b.wait_for("#signin-notice").await;
    b.sign_in("sara@school.be", "een-goed-wachtwoord").await;
    let name = b.wait_for(".account-name").await.text().await.unwrap();
    assert!(name.contains("Sara Peeters"), "{name}");
    b.wait_for("a.nav-reservations").await;
    b.close().await;
}

#[tokio::test]
async fn admins_read_the_audit_log_and_the_mailbox() {
    use leenpunt_tests::browser::Browser;
    let app = leenpunt_tests::TestApp::spawn().await;
    let r = app
        .post_json(
            "",
            "/api/v1/password-reset",
            &serde_json::json!({ "email": "leerkracht@demo.leenpunt.be" }),
        )
        .await;
    assert_eq!(r.status(), 202);
    let b = Browser::start().await;
    b.client.goto(&app.url("/aanmelden")).await.unwrap();
    b.sign_in("beheerder@demo.leenpunt.be", leenpunt_tests::DEMO_PASSWORD)
        .await;
    b.nav_link("a.nav-mailbox").await.click().await.unwrap();
    let mail = b.wait_for("li.mail summary").await.text().await.unwrap();
    assert!(
        mail.contains("Kies een nieuw wachtwoord") && mail.contains("leerkracht@demo.leenpunt.be"),
        "{mail}"
    );
    // Its link is a link, and its time is Brussels time in words.
    assert!(mail.contains("november 2026"), "{mail}");
    b.wait_for("li.mail summary").await.click().await.unwrap();
    let href = b
        .wait_for("li.mail .mail-body a[href*='/wachtwoord/']")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(href.starts_with("http"), "{href}");
    b.nav_link("a.nav-audit").await.click().await.unwrap();
    let log = b.wait_for("table.audit-table").await.text().await.unwrap();
    assert!(log.contains("vroeg een nieuw wachtwoord aan"), "{log}");
    assert!(log.contains("november 2026"), "{log}");
    // Filter: accounts only, by the person the entry is about.
    b.wait_for("#audit-kind")
        .await
        .select_by_value("account")
        .await
        .unwrap();
    b.wait_for("#audit-object")
        .await
        .send_keys("leerkracht@demo")
        .await
        .unwrap();
    b.wait_for(".audit-filter button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_until("location.search.includes('soort=account')")
        .await;
    let actions = b
        .js("return [...document.querySelectorAll('table.audit-table tbody tr')].map(r => r.dataset.action)")
        .await;
    let actions: Vec<String> = serde_json::from_value(actions).unwrap();
    assert!(
        actions.contains(&"password-reset-requested".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.iter().all(|a| a != "login"),
        "the admin's own sign-in is about the admin: {actions:?}"
    );
    // The download keeps the filter.
    let export = b
        .wait_for("#audit-export")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        export.starts_with("/api/v1/audit/export.csv?") && export.contains("soort=account"),
        "{export}"
    );
    let csv = b
        .js(&format!("return fetch('{export}').then(r => r.text())"))
        .await;
    assert!(
        csv.as_str()
            .unwrap()
            .contains("vroeg een nieuw wachtwoord aan"),
        "{csv}"
    );
    // Not for teachers.
    b.wait_for("form.signout button")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("a.signin").await;
    b.client.goto(&app.url("/aanmelden")).await.unwrap();
    b.sign_in("leerkracht@demo.leenpunt.be", leenpunt_tests::DEMO_PASSWORD)
        .await;
    b.wait_for(".account-name").await;
    assert_eq!(
        b.js("return document.querySelector('a.nav-audit') === null")
            .await,
        true
    );
    b.client.goto(&app.url("/beheer/audit")).await.unwrap();
    b.wait_for(".admin-page p.error").await;
    b.close().await;
}

#[tokio::test]
async fn a_teacher_whose_school_is_missing_asks_for_it() {
    let app = leenpunt_tests::TestApp::spawn().await;
    let b = Browser::start_phone(360).await;
    b.client.goto(&app.url("/account-aanmaken")).await.unwrap();
    b.wait_for("#school-missing").await.click().await.unwrap();
    let fill = |id: &'static str, text: &'static str| {
        let b = &b;
        async move {
            b.wait_for(&format!("#request-{id}"))
                .await
                .send_keys(text)
                .await
                .unwrap();
        }
    };
    fill("name", "Els Jansens").await;
    fill("email", "els@school.be").await;
    // Listed after all: the message says so at the field, and what was typed stays.
    fill("school", "GO! Basisschool De Zeemeeuw").await;
    fill("municipality", "Oostende").await;
    b.wait_for(".signin-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let message = b.wait_for("#error-school").await.text().await.unwrap();
    assert!(message.contains("staat al in de lijst"), "{message}");
    assert_eq!(
        b.wait_for("#request-email")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("els@school.be")
    );
    b.wait_for("#request-school").await.clear().await.unwrap();
    fill("school", "Basisschool Het Nieuwe Veld").await;
    b.wait_for(".signin-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("#request-sent").await;
    let sent: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE to_addr = 'beheerder@demo.leenpunt.be' \
         AND subject LIKE '%Het Nieuwe Veld%'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(sent, 1);
    b.close().await;
}
