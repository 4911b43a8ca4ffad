//! The privacy notice and the accessibility statement, reached from any page's footer, on a
//! phone and a desktop: they fit, pass axe, and tell the configured contact.

use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp};

#[tokio::test]
async fn the_statements_are_one_tap_from_every_footer() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "run `cargo xtask test`, which builds the front end"
    );
    let app = TestApp::spawn_configured(|c| {
        c.privacy_contact = Some("privacy@west-vlaanderen.example".into());
    })
    .await;
    for phone in [true, false] {
        let b = if phone {
            Browser::start_phone(360).await
        } else {
            Browser::start().await
        };
        let width = if phone { "360 px" } else { "1280 px" };
        b.inject_axe().await;
        for (link, path, heading) in [
            ("a.footer-privacy", "/privacy", "Privacy"),
            (
                "a.footer-accessibility",
                "/toegankelijkheid",
                "Toegankelijkheid",
            ),
        ] {
            b.client.goto(&app.url("/catalogus")).await.unwrap();
            b.wait_for(link).await.click().await.unwrap();
            b.wait_until(&format!("location.pathname === '{path}'"))
                .await;
            let h1 = b
                .wait_for("article.statement-page h1")
                .await
                .text()
                .await
                .unwrap();
            assert_eq!(h1, heading, "{width}");
            let contact = b.wait_for(".privacy-contact a").await;
            assert_eq!(
                contact.attr("href").await.unwrap().as_deref(),
                Some("mailto:privacy@west-vlaanderen.example"),
                "{path} at {width}"
            );
            assert_eq!(
                b.js("return document.documentElement.scrollWidth <= window.innerWidth")
                    .await,
                true,
                "{path} fits at {width}"
            );
            assert_eq!(
                b.axe_violations().await,
                Vec::<String>::new(),
                "{path} at {width}"
            );
        }
        b.close().await;
    }
}

#[tokio::test]
async fn a_teacher_sees_and_downloads_their_data_from_the_account_page() {
    let app = TestApp::spawn().await;
    for phone in [true, false] {
        let b = if phone {
            Browser::start_phone(360).await
        } else {
            Browser::start().await
        };
        let width = if phone { "360 px" } else { "1280 px" };
        b.inject_axe().await;
        b.client.goto(&app.url("/aanmelden")).await.unwrap();
        b.sign_in("leerkracht@demo.leenpunt.be", leenpunt_tests::DEMO_PASSWORD)
            .await;
        b.wait_for(".account-name").await;
        b.client.goto(&app.url("/mijn-account")).await.unwrap();
        b.wait_for(".personal-data-link a")
            .await
            .click()
            .await
            .unwrap();
        b.wait_until("location.pathname === '/mijn-account/gegevens'")
            .await;
        let account = b
            .wait_for("section.personal-table[data-table='users']")
            .await
            .text()
            .await
            .unwrap();
        assert!(account.contains("leerkracht@demo.leenpunt.be"), "{account}");
        let download = b.wait_for("a[download]").await;
        assert_eq!(
            download.attr("href").await.unwrap().as_deref(),
            Some("/api/v1/me/personal-data")
        );
        assert_eq!(
            b.js("return document.documentElement.scrollWidth <= window.innerWidth")
                .await,
            true,
            "the page fits at {width}; wide tables scroll inside their box"
        );
        assert_eq!(b.axe_violations().await, Vec::<String>::new(), "{width}");
        b.close().await;
    }
}

/// Fits the width, and axe finds nothing serious.
async fn check_page(b: &Browser, what: &str) {
    assert_eq!(
        b.js("return document.documentElement.scrollWidth <= window.innerWidth")
            .await,
        true,
        "{what} fits"
    );
    assert_eq!(b.axe_violations().await, Vec::<String>::new(), "{what}");
}

#[tokio::test]
async fn a_teacher_asks_to_be_erased_an_admin_confirms_and_the_account_is_gone() {
    const TEACHER: &str = "leerkracht@demo.leenpunt.be";
    let pw = leenpunt_tests::DEMO_PASSWORD;
    for phone in [true, false] {
        let app = TestApp::spawn().await;
        let b = if phone {
            Browser::start_phone(360).await
        } else {
            Browser::start().await
        };
        let width = if phone { "360 px" } else { "1280 px" };
        b.inject_axe().await;

        // The teacher asks, from "Mijn account"; the button asks first.
        b.client.goto(&app.url("/aanmelden")).await.unwrap();
        b.sign_in(TEACHER, pw).await;
        b.wait_for(".account-name").await;
        b.client.goto(&app.url("/mijn-account")).await.unwrap();
        b.wait_for(".delete-account details.confirm-erase > summary")
            .await
            .click()
            .await
            .unwrap();
        check_page(
            &b,
            &format!("the account page with the question at {width}"),
        )
        .await;
        b.wait_for(".delete-account .confirm-erase-button")
            .await
            .click()
            .await
            .unwrap();
        b.wait_for("#erasure-asked").await;
        let pending = b.wait_for(".erasure-pending").await.text().await.unwrap();
        assert!(
            pending.contains("Je vroeg om je account te verwijderen"),
            "{pending}"
        );
        check_page(&b, &format!("the account page after asking at {width}")).await;

        // An admin finds the request in the Beheer menu and confirms it.
        b.client.delete_all_cookies().await.unwrap();
        b.client.goto(&app.url("/aanmelden")).await.unwrap();
        b.sign_in("beheerder@demo.leenpunt.be", pw).await;
        b.wait_for(".account-name").await;
        b.nav_link("a.nav-erasure").await.click().await.unwrap();
        b.wait_until("location.pathname === '/beheer/verwijderverzoeken'")
            .await;
        let name = b
            .wait_for(".erasure-request .erasure-name")
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(name, "Lotte Vermeulen", "{width}");
        b.wait_for(".erasure-request details.confirm-erase > summary")
            .await
            .click()
            .await
            .unwrap();
        check_page(&b, &format!("the requests at {width}")).await;
        b.wait_for(".erasure-request .confirm-erase-button")
            .await
            .click()
            .await
            .unwrap();
        let outcome = b.wait_for("#erasure-outcome").await.text().await.unwrap();
        assert_eq!(outcome, "Het account is verwijderd.", "{width}");
        b.wait_for(".erasure-page .empty").await;
        check_page(&b, &format!("the empty list at {width}")).await;

        // The teacher can no longer sign in.
        b.client.delete_all_cookies().await.unwrap();
        b.client.goto(&app.url("/aanmelden")).await.unwrap();
        b.sign_in(TEACHER, pw).await;
        b.wait_for(".signin-form .error, .error[role='alert']")
            .await;
        b.wait_until("location.pathname === '/aanmelden'").await;
        assert!(
            b.client
                .find(fantoccini::Locator::Css(".account-name"))
                .await
                .is_err(),
            "not signed in at {width}"
        );
        b.close().await;
    }
}
