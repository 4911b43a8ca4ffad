//! "In cijfers" in a real browser, on a phone (360 px) and a desktop (1280 px): a partner
//! admin opens the report from the menu, sees only their own service, changes the period,
//! sees a chart with its table, and downloads a table as CSV; axe-core finds nothing
//! serious, and nothing scrolls sideways.

use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};
use std::time::{Duration, Instant};

async fn loan(app: &TestApp, kit: &str, school: &str, quantity: i64, pickup: &str, ret: &str) {
    sqlx::query(
        "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
           return_date, held_until, status, created_at, updated_at) \
         SELECT k.id, (SELECT pickup_point_id FROM kit_type_pickup_points WHERE kit_type_id = k.id LIMIT 1), \
           (SELECT id FROM schools WHERE instellingsnummer = ?), \
           (SELECT id FROM users WHERE email = 'leerkracht@demo.leenpunt.be'), ?, ?, ?, ?, 'teruggebracht', \
           '2025-09-01T08:00:00+00:00', '2025-09-01T08:00:00+00:00' \
         FROM kit_types k WHERE k.slug = ?",
    )
    .bind(school)
    .bind(quantity)
    .bind(pickup)
    .bind(ret)
    .bind(ret)
    .bind(kit)
    .execute(app.state.db.writer())
    .await
    .expect("loan stored");
}

async fn fits(b: &Browser, what: &str) {
    assert_eq!(
        b.js("return document.documentElement.scrollWidth <= window.innerWidth")
            .await,
        true,
        "{what}: nothing scrolls sideways"
    );
}

async fn report_as_partner_admin(app: &TestApp, phone: bool) {
    let who = if phone { "360 px" } else { "1280 px" };
    let b = if phone {
        Browser::start_phone(360).await
    } else {
        Browser::start().await
    };
    let downloads = tempfile::tempdir().unwrap();
    b.cdp(
        "Browser.setDownloadBehavior",
        serde_json::json!({ "behavior": "allow", "downloadPath": downloads.path().display().to_string() }),
    )
    .await;
    b.client
        .goto(&app.url("/aanmelden?next=/catalogus"))
        .await
        .unwrap();
    b.sign_in("partnerbeheer@demo.leenpunt.be", DEMO_PASSWORD)
        .await;
    b.wait_until("location.pathname === '/catalogus'").await;
    b.inject_axe().await;
    // From the "Beheer" menu.
    b.nav_link("a.nav-stats").await.click().await.unwrap();
    b.wait_until("location.pathname === '/beheer/cijfers'")
        .await;
    let scope = b.wait_for(".stats-scope").await.text().await.unwrap();
    assert!(scope.contains("MOS"), "{who}: {scope}");
    // This school year by default.
    b.wait_for(".stats-period[data-from='2026-09-01'][data-to='2027-08-31']")
        .await;
    fits(&b, who).await;

    // Another period through the form.
    b.js(
        "document.querySelector('#stats-from').value = '2025-09-01'; \
          document.querySelector('#stats-to').value = '2026-08-31'; return 0",
    )
    .await;
    b.wait_for(".stats-form button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for(".stats-period[data-from='2025-09-01'][data-to='2026-08-31']")
        .await;
    let total = b
        .wait_for(".stats-total[data-total='0'] strong")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(total, "2", "{who}: MOS's two loans, not STEM's");
    // A chart with its title and description, and its table beside it.
    let kits = "section.stats-table[data-table='kits']";
    b.wait_for(&format!("{kits} svg[role='img'] title")).await;
    assert_eq!(
        b.js(&format!(
            "return document.querySelectorAll(\"{kits} svg rect[width]\").length > 0 \
             && !!document.querySelector(\"{kits} figcaption\").textContent"
        ))
        .await,
        true
    );
    let row = b
        .wait_for(&format!("{kits} tr[data-key='mos-afvalsorteerkoffer']"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        row.contains("Afvalsorteerkoffer") && row.contains("20"),
        "{who}: {row}"
    );
    assert_eq!(
        b.js("return document.querySelectorAll(\"tr[data-key='bee-bot-set-klein']\").length")
            .await,
        0,
        "{who}: no other service's material"
    );
    fits(&b, who).await;
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "{who}: {violations:#?}");

    // Download the table as CSV.
    b.wait_for(&format!("{kits} a.csv-link"))
        .await
        .click()
        .await
        .unwrap();
    let file = downloads
        .path()
        .join("cijfers-kits-2025-09-01-2026-08-31.csv");
    let deadline = Instant::now() + Duration::from_secs(15);
    while !file.exists() {
        assert!(
            Instant::now() < deadline,
            "{who}: the CSV was not downloaded"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let csv = std::fs::read_to_string(&file).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "key,label,loans,unit_days,schools,previous_loans,previous_unit_days,previous_schools"
        )
    );
    assert_eq!(
        lines.next(),
        Some("mos-afvalsorteerkoffer,Afvalsorteerkoffer 'Wat hoort waar?',2,20,1,0,0,0")
    );
    assert_eq!(lines.next(), None);
    b.close().await;
}

#[tokio::test]
async fn a_partner_admin_reads_their_figures_changes_the_period_and_downloads_a_csv() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
    let app = TestApp::spawn().await;
    loan(
        &app,
        "mos-afvalsorteerkoffer",
        "012345",
        2,
        "2025-10-06",
        "2025-10-10",
    )
    .await;
    loan(
        &app,
        "mos-afvalsorteerkoffer",
        "012345",
        2,
        "2026-03-02",
        "2026-03-06",
    )
    .await;
    loan(
        &app,
        "bee-bot-set-klein",
        "126763",
        1,
        "2026-01-12",
        "2026-01-14",
    )
    .await;
    report_as_partner_admin(&app, true).await;
    report_as_partner_admin(&app, false).await;

    // The public page, anonymous, on a phone: the figures without names, axe-clean.
    let b = Browser::start_phone(360).await;
    b.inject_axe().await;
    b.client.goto(&app.url("/")).await.unwrap();
    b.wait_for("a.footer-stats").await.click().await.unwrap();
    b.wait_until("location.pathname === '/in-cijfers'").await;
    let total = b
        .wait_for(".stats-total[data-total='0'] strong")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(total, "3");
    b.wait_for("section.stats-table[data-table='groups'] svg[role='img']")
        .await;
    fits(&b, "public page").await;
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "{violations:#?}");
    b.close().await;
}
