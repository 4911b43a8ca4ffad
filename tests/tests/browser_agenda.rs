//! The calendar page in a real browser: make a feed link, renew it (the old one dies).

use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};

async fn status_of(b: &Browser, url: &str) -> u64 {
    b.client
        .execute_async(
            "const done = arguments[arguments.length - 1]; fetch(arguments[0], { cache: 'no-store' }).then(r => done(r.status));",
            vec![serde_json::json!(url)],
        )
        .await
        .expect("fetch")
        .as_u64()
        .expect("status")
}

#[tokio::test]
async fn make_and_renew_a_feed_link() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "run `cargo xtask test`"
    );
    let app = TestApp::spawn().await;
    let b = Browser::start().await;
    b.client
        .goto(&app.url("/aanmelden?next=/agenda"))
        .await
        .unwrap();
    b.sign_in("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
        .await;
    b.wait_until("location.pathname === '/agenda'").await;
    b.wait_for(".make-feed-user").await.click().await.unwrap();
    let first = b
        .wait_for("#feed-url")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert!(
        first.contains("/agenda/") && first.ends_with(".ics"),
        "{first}"
    );
    let webcal = b
        .wait_for(".new-feed a.button.primary")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(webcal.starts_with("webcal://"));
    assert_eq!(status_of(&b, &first).await, 200);

    b.wait_for("li.feed button.renew")
        .await
        .click()
        .await
        .unwrap();
    b.wait_until(&format!("document.querySelector('#feed-url') && document.querySelector('#feed-url').value !== '{first}'"))
        .await;
    let second = b
        .wait_for("#feed-url")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status_of(&b, &first).await, 404, "the old link died");
    assert_eq!(status_of(&b, &second).await, 200);
    assert_eq!(
        b.js("return document.querySelectorAll('li.feed').length")
            .await,
        1
    );
    b.wait_for("li.feed button.revoke")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("#outcome").await;
    assert_eq!(status_of(&b, &second).await, 404);
    b.close().await;
}

#[tokio::test]
async fn the_desk_agenda_shows_pickups_and_returns_by_week_and_month() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "run `cargo xtask test`"
    );
    let app = TestApp::spawn().await;
    let teacher = app
        .login("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &serde_json::json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge",
                                 "pickup_date": "2026-12-07", "return_date": "2026-12-10", "quantity": 2 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let b = Browser::start().await;
    b.client.goto(&app.url("/aanmelden?next=/")).await.unwrap();
    b.sign_in("ambassadeur@demo.leenpunt.be", DEMO_PASSWORD)
        .await;
    b.wait_for("a.nav-desk-agenda").await;
    b.client
        .goto(&app.url("/balie/agenda?afhaalpunt=stem-rtc-brugge&datum=2026-12-09"))
        .await
        .unwrap();
    // The week of Wednesday 9 December runs from Monday the 7th.
    let monday = b
        .wait_for("li.agenda-day[data-date='2026-12-07'] .agenda-pickups")
        .await;
    assert!(monday
        .text()
        .await
        .unwrap()
        .contains("2 × Bee-Bot set klein"));
    let thursday = b
        .wait_for("li.agenda-day[data-date='2026-12-10'] .agenda-returns")
        .await;
    assert!(thursday.text().await.unwrap().contains("Lotte Vermeulen"));
    assert_eq!(
        b.js("return document.querySelectorAll('li.agenda-day').length")
            .await,
        7
    );
    assert!(b
        .wait_for(".hint")
        .await
        .text()
        .await
        .unwrap()
        .contains("09:00–12:00"));
    b.wait_for("a.agenda-month").await.click().await.unwrap();
    b.wait_until("location.search.includes('weergave=maand')")
        .await;
    b.wait_for("li.agenda-day[data-date='2026-12-31']").await;
    assert_eq!(
        b.js("return document.querySelectorAll('li.agenda-day').length")
            .await,
        31
    );
    // Desk staff can also follow one kit type's bookings in their own calendar.
    b.client.goto(&app.url("/agenda")).await.unwrap();
    b.js("document.querySelector('#feed-kit').value = 'bee-bot-set-klein'; return null;")
        .await;
    b.wait_for(".make-feed-kit").await.click().await.unwrap();
    let url = b
        .wait_for("#feed-url")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    let path = format!(
        "/{}",
        url.split_once("://").unwrap().1.split_once('/').unwrap().1
    );
    let ics = app.get(&path).await.text().await.unwrap();
    assert!(
        ics.contains("X-WR-CALNAME:Leenpunt: Bee-Bot set klein"),
        "{ics}"
    );
    assert!(ics.contains("SUMMARY:Uitlening: Bee-Bot set klein"));
    b.close().await;
}
