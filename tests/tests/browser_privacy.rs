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
