//! Hand-over in a real browser: desk staff hand two units over by typed code (as a USB
//! scanner types them: code and Enter), then take one back with a part missing: it goes
//! to maintenance and the loan stays open for the other. The clock is moved to the
//! pickup day.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::Reservation;
use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};
use serde_json::json;

const DESK: &str = "ambassadeur@demo.leenpunt.be";

/// Types into the focused scan field and presses Enter, as a barcode scanner does.
async fn scan(b: &Browser, code: &str) {
    let field = b.wait_for("#scan-code").await;
    field.send_keys(&format!("{code}\u{E007}")).await.unwrap();
}

#[tokio::test]
async fn desk_hands_over_two_units_by_typed_code_and_takes_one_back_with_a_missing_part() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
    let app = TestApp::spawn().await;
    let teacher = app
        .teacher("juf@school.be", "126763", &hash_password(DEMO_PASSWORD))
        .await;
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge", "pickup_date": "2026-12-02",
                     "return_date": "2026-12-09", "quantity": 2 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let reservation: Reservation = r.json().await.unwrap();
    let (one, two) = (
        app.label_code("BB-K-01").await,
        app.label_code("BB-K-02").await,
    );
    app.set_time("2026-12-02T09:00:00Z");

    let b = Browser::start().await;
    b.client
        .goto(&app.url("/aanmelden?next=/balie/vandaag"))
        .await
        .unwrap();
    b.sign_in(DESK, DEMO_PASSWORD).await;
    // "Vandaag" lists the pickup; open its hand-over screen.
    let row = b
        .wait_for(&format!(
            ".desk-list.pickups li[data-id='{}'] a",
            reservation.id
        ))
        .await;
    row.click().await.unwrap();
    b.wait_until("location.pathname.startsWith('/balie/uitgifte/')")
        .await;
    assert_eq!(
        b.js("return document.activeElement.id").await,
        "scan-code",
        "the scan field has the focus, ready for a scanner"
    );
    // First unit, typed with hyphens in lower case.
    let typed = format!("{}-{}-{}", &one[..3], &one[3..6], &one[6..]).to_lowercase();
    scan(&b, &typed).await;
    b.wait_until("location.search.includes('ok=')").await;
    let notice = b.wait_for("#outcome").await.text().await.unwrap();
    assert!(notice.contains("Meegegeven: BB-K-01"), "{notice}");
    assert_eq!(
        b.js("return document.querySelector('.remaining').dataset.remaining")
            .await,
        "1"
    );
    // A mistyped code gets a clear message and changes nothing.
    let mut typo = two.clone().into_bytes();
    typo[8] = if typo[8] == b'A' { b'B' } else { b'A' };
    scan(&b, std::str::from_utf8(&typo).unwrap()).await;
    let error = b.wait_for("#outcome-error").await.text().await.unwrap();
    assert!(error.contains("code"), "{error}");
    scan(&b, &two).await;
    b.wait_until("document.querySelector('.remaining') && document.querySelector('.remaining').dataset.remaining === '0'")
        .await;
    assert_eq!(
        b.js("return document.querySelectorAll('tr.loan-line').length")
            .await,
        2
    );

    // Back with one Bee-Bot short.
    b.client.goto(&app.url("/balie/inname")).await.unwrap();
    scan(&b, &one).await;
    b.wait_until("location.pathname.startsWith('/balie/inname/')")
        .await;
    let robots = b.wait_for("#count-0").await;
    let label = b
        .js("return document.querySelector(\"label[for='count-0']\").textContent")
        .await;
    assert!(label.as_str().unwrap().contains("Bee-Bot robot"), "{label}");
    robots.clear().await.unwrap();
    robots.send_keys("5").await.unwrap();
    b.wait_for(".take-back").await.click().await.unwrap();
    b.wait_until("location.pathname === '/balie/inname' && location.search.includes('ok=')")
        .await;
    let notice = b.wait_for("#outcome").await.text().await.unwrap();
    assert!(notice.contains("BB-K-01"), "{notice}");
    assert!(notice.contains("onderhoud"), "{notice}");

    // The loan stays open for the other unit; the first is in maintenance.
    b.client
        .goto(&app.url(&format!("/balie/uitgifte/{}", reservation.id)))
        .await
        .unwrap();
    b.wait_for("tr.loan-line[data-unit='BB-K-01'][data-returned='true']")
        .await;
    b.wait_for("tr.loan-line[data-unit='BB-K-02'][data-returned='false']")
        .await;
    let unit_id: i64 = sqlx::query_scalar("SELECT id FROM units WHERE inventory_code = 'BB-K-01'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    b.client
        .goto(&app.url(&format!("/balie/exemplaren/{unit_id}")))
        .await
        .unwrap();
    b.wait_for(".unit-status[data-status=onderhoud]").await;
    let ticket = b.wait_for("li.ticket").await.text().await.unwrap();
    assert!(ticket.contains("1 × Bee-Bot robot"), "{ticket}");
    // The missing robot turns up: back in service, the ticket closes.
    b.wait_for(".back-in-service").await.click().await.unwrap();
    b.wait_for(".unit-status[data-status=in-dienst]").await;
    assert_eq!(
        b.js("return document.querySelectorAll('li.ticket').length")
            .await,
        0
    );
    b.close().await;
}

/// A Y4M video (what Chromium's fake camera plays) showing a QR code on white.
fn qr_video(url: &str) -> Vec<u8> {
    let png = leenpunt_server::domain::labels::qr_png(url, 6);
    let qr = image::load_from_memory(&png).unwrap().to_luma8();
    let (w, h) = (640usize, 480usize);
    let mut luma = vec![255u8; w * h];
    let (ox, oy) = (
        (w - qr.width() as usize) / 2,
        (h - qr.height() as usize) / 2,
    );
    for (x, y, p) in qr.enumerate_pixels() {
        luma[(oy + y as usize) * w + ox + x as usize] = p.0[0];
    }
    let mut video = format!("YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n").into_bytes();
    for _ in 0..10 {
        video.extend_from_slice(b"FRAME\n");
        video.extend_from_slice(&luma);
        video.extend(std::iter::repeat_n(128u8, w * h / 2));
    }
    video
}

#[tokio::test]
async fn the_camera_scanner_hands_a_unit_over_from_its_qr_label() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
    let app = TestApp::spawn().await;
    let teacher = app
        .teacher("juf@school.be", "126763", &hash_password(DEMO_PASSWORD))
        .await;
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge", "pickup_date": "2026-12-02",
                     "return_date": "2026-12-09", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let reservation: Reservation = r.json().await.unwrap();
    app.set_time("2026-12-02T09:00:00Z");
    // The fake camera films BB-K-04's label.
    let code = app.label_code("BB-K-04").await;
    let url = format!("{}/s/{code}", app.state.config.public_url());
    let dir = tempfile::tempdir().unwrap();
    let video = dir.path().join("label.y4m");
    std::fs::write(&video, qr_video(&url)).unwrap();
    let b = Browser::start_with(&[
        "--use-fake-ui-for-media-stream".to_owned(),
        "--use-fake-device-for-media-stream".to_owned(),
        format!("--use-file-for-fake-video-capture={}", video.display()),
        "--autoplay-policy=no-user-gesture-required".to_owned(),
    ])
    .await;
    b.client
        .goto(&app.url(&format!(
            "/aanmelden?next=/balie/scan?reservatie={}",
            reservation.id
        )))
        .await
        .unwrap();
    b.sign_in(DESK, DEMO_PASSWORD).await;
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    b.wait_for(".start-camera").await.click().await.unwrap();
    let line = b.wait_for(".scan-lines .scan-line.ok").await;
    let text = line.text().await.unwrap();
    assert!(text.contains("BB-K-04"), "{text}");
    // Batch mode: the camera keeps running, the same label is not handled twice.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        b.js("return document.querySelectorAll('.scan-lines li').length")
            .await,
        1
    );
    let status: String = sqlx::query_scalar("SELECT status FROM reservations WHERE id = ?")
        .bind(reservation.id.0)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "afgehaald");
    b.wait_for(".stop-camera").await.click().await.unwrap();
    b.close().await;
}

/// Pages in a PDF (Chromium writes one `/Type /Page` object per page).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(i, _)| !text[i + 11..].starts_with('s'))
        .count()
}

#[tokio::test]
async fn label_sheets_print_on_a4_at_full_scale_in_both_layouts() {
    use fantoccini::wd::{PrintConfiguration, PrintMargins, PrintSize};
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
    let app = TestApp::spawn().await;
    let b = Browser::start().await;
    b.client
        .goto(&app.url("/aanmelden?next=/beheer/labels"))
        .await
        .unwrap();
    b.sign_in("beheerder@demo.leenpunt.be", DEMO_PASSWORD).await;
    b.wait_for(".labels-form").await;
    // 25 units: one sheet of 24 small labels and one more; 2 × 4 large ones make 4 sheets.
    let units: Vec<i64> = sqlx::query_scalar("SELECT id FROM units ORDER BY id LIMIT 25")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    let query: String = units.iter().map(|u| format!("&unit={u}")).collect();
    for (layout, pages) in [("small", 2), ("large", 4)] {
        b.client
            .goto(&app.url(&format!("/beheer/labels/blad?layout={layout}{query}")))
            .await
            .unwrap();
        b.wait_for("svg").await;
        assert_eq!(
            b.js("return document.querySelectorAll('svg').length").await,
            25
        );
        let config = PrintConfiguration::builder()
            .size(PrintSize::A4)
            .scale(1.0)
            .shrink_to_fit(false)
            .margins(PrintMargins {
                top: 0.0,
                bottom: 0.0,
                left: 0.0,
                right: 0.0,
            })
            .build()
            .unwrap();
        let pdf = b.client.print(config).await.unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        assert_eq!(pdf_pages(&pdf), pages, "{layout} labels");
    }
    b.close().await;
}
