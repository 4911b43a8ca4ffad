//! CSV import in a real browser, on a 360 px phone and a 1280 px screen: an admin uploads a
//! catalogue file with a row error (sees it at its line and column, nothing changes), then
//! a good file, confirms, and finds the new kit type in the catalogue; the same for closed
//! days. No JavaScript of ours is needed: a multipart form and a POST.

use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};

const HEADER: &str = "slug,title,kind,partner,themes,levels,summary,description,parts,pickup_points,trainings,photos,external_url,units,lead_days,horizon_days,min_loan_days,max_loan_days,buffer_days,max_per_school,needs_approval\n";
const NEW_KIT: &str = "robot-testset,Robot-testset voor de klas,uitleen,stem-rtc,stem,lager,Twee robots om te testen,,Robot:2,stem-rtc-brugge,,,,RT-01;RT-02,,,,,,,\n";
const BAD_ROW: &str =
    "kapotte-kist,Kapotte kist,leskist,stem-rtc,stem,lager,,,,stem-rtc-brugge,,,,,,,,,,,\n";

async fn fits_and_passes_axe(b: &Browser, what: &str) {
    assert_eq!(
        b.js("return document.documentElement.scrollWidth <= window.innerWidth")
            .await,
        true,
        "{what}: nothing scrolls sideways"
    );
    let violations = b.axe_violations().await;
    assert!(violations.is_empty(), "{what}: {violations:#?}");
}

/// Picks `file` in the form for `kind` and sends it.
async fn send_file(b: &Browser, kind: &str, file: &std::path::Path) {
    let input = b.wait_for(&format!("#file-{kind}")).await;
    input
        .send_keys(file.to_str().expect("utf-8 path"))
        .await
        .unwrap();
    b.wait_for(&format!(".import-kind[data-kind='{kind}'] .check-file"))
        .await
        .click()
        .await
        .unwrap();
}

async fn import_screen(b: &Browser, app: &TestApp) {
    b.client.goto(&app.url("/beheer/import")).await.unwrap();
    b.wait_for("#file-catalogue").await;
}

async fn run(width: u32) {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
    let app = TestApp::spawn().await;
    let files = tempfile::tempdir().unwrap();
    let write = |name: &str, text: String| {
        let path = files.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let bad = write("catalogus-fout.csv", format!("{HEADER}{NEW_KIT}{BAD_ROW}"));
    let good = write("catalogus.csv", format!("{HEADER}{NEW_KIT}"));
    let days_bad = write(
        "sluitingsdagen-fout.csv",
        "pickup_point,first_day,last_day,reason\nnergens,2027-05-03,,Studiedag CSV\n".into(),
    );
    let days_good = write(
        "sluitingsdagen.csv",
        "pickup_point,first_day,last_day,reason\nstem-rtc-brugge,2027-05-03,,Studiedag CSV\n"
            .into(),
    );

    let b = if width < 800 {
        Browser::start_phone(width).await
    } else {
        let b = Browser::start().await;
        b.client.set_window_size(width, 900).await.unwrap();
        b
    };
    b.inject_axe().await;
    b.client
        .goto(&app.url("/aanmelden?next=/beheer/import"))
        .await
        .unwrap();
    b.sign_in("beheerder@demo.leenpunt.be", DEMO_PASSWORD).await;
    b.wait_until("location.pathname === '/beheer/import'").await;
    b.wait_for("a.download[href='/api/v1/exports/catalogue']")
        .await;
    fits_and_passes_axe(&b, "the import screen").await;

    // A file with a row error: the problem at its line and column, nothing imported.
    send_file(&b, "catalogue", &bad).await;
    let count = b.wait_for("#import-problems-count").await;
    assert!(count.text().await.unwrap().starts_with('1'));
    let cell = b
        .wait_for(".import-problems tr[data-line='3'][data-column='kind']")
        .await;
    let text = cell.text().await.unwrap();
    assert!(text.contains("leskist"), "{text}");
    assert_eq!(
        b.js("return document.querySelectorAll('.confirm-import').length")
            .await,
        0,
        "a file with problems cannot be confirmed"
    );
    fits_and_passes_axe(&b, "the problems").await;
    b.client.goto(&app.url("/beheer/materiaal")).await.unwrap();
    b.wait_for(".kit-admin-list li[data-kit='bee-bot-set-klein']")
        .await;
    assert_eq!(
        b.js("return document.querySelectorAll(\".kit-admin-list li[data-kit='robot-testset']\").length")
            .await,
        0,
        "nothing was written"
    );

    // The good file: a preview, then "Confirm import", then the kit in the catalogue.
    b.wait_for("a.import-link").await.click().await.unwrap();
    b.wait_until("location.pathname === '/beheer/import'").await;
    send_file(&b, "catalogue", &good).await;
    let summary = b.wait_for("#import-summary").await;
    assert_eq!(
        summary.attr("data-new").await.unwrap().as_deref(),
        Some("1")
    );
    b.wait_for(".import-items tr[data-key='robot-testset']")
        .await;
    fits_and_passes_axe(&b, "the preview").await;
    b.wait_for(".confirm-import").await.click().await.unwrap();
    let done = b.wait_for("#import-done").await;
    assert_eq!(
        done.attr("data-created").await.unwrap().as_deref(),
        Some("1")
    );
    fits_and_passes_axe(&b, "the outcome").await;
    b.client
        .goto(&app.url("/catalogus/robot-testset"))
        .await
        .unwrap();
    assert_eq!(
        b.wait_for("h1").await.text().await.unwrap(),
        "Robot-testset voor de klas"
    );
    b.client
        .goto(&app.url("/catalogus?q=testset"))
        .await
        .unwrap();
    b.wait_for("a[href='/catalogus/robot-testset']").await;

    // Closed days: the same path.
    import_screen(&b, &app).await;
    send_file(&b, "closed-days", &days_bad).await;
    let cell = b
        .wait_for(".import-problems tr[data-line='2'][data-column='pickup_point']")
        .await;
    assert!(cell.text().await.unwrap().contains("nergens"));
    import_screen(&b, &app).await;
    send_file(&b, "closed-days", &days_good).await;
    let summary = b.wait_for("#import-summary").await;
    assert_eq!(
        summary.attr("data-new").await.unwrap().as_deref(),
        Some("1")
    );
    b.wait_for(".confirm-import").await.click().await.unwrap();
    b.wait_for("#import-done").await;
    b.client
        .goto(&app.url("/beheer/sluitingsdagen"))
        .await
        .unwrap();
    b.wait_for("a.import-link[href='/beheer/import#sluitingsdagen']")
        .await;
    let table = b.wait_for("table.closed-days").await.text().await.unwrap();
    assert!(table.contains("Studiedag CSV"), "{table}");
    b.close().await;
}

#[tokio::test]
async fn an_admin_imports_csv_files_on_a_phone() {
    run(360).await;
}

#[tokio::test]
async fn an_admin_imports_csv_files_on_a_wide_screen() {
    run(1280).await;
}
