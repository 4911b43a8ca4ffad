//! CSV import and export against a real database: all or nothing, and a lossless round trip.

use leenpunt_server::domain::csv_table::{write_table, CsvIssue};
use leenpunt_server::domain::import::CATALOGUE_COLUMNS;
use leenpunt_server::service::import::{import_catalogue, ImportError};
use leenpunt_tests::TestApp;

const NOW: &str = "2026-11-27T09:00:00+00:00";

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

fn row(slug: &str, partner: &str, units: &str) -> Vec<String> {
    let mut r = vec![String::new(); CATALOGUE_COLUMNS.len()];
    r[0] = slug.into();
    r[1] = format!("Testkoffer {slug}");
    r[2] = "uitleen".into();
    r[3] = partner.into();
    r[4] = "stem".into();
    r[5] = "lager".into();
    r[8] = "Robot:4".into();
    r[9] = "stem-rtc-brugge".into();
    r[13] = units.into();
    r
}

#[tokio::test]
async fn a_file_with_one_bad_row_writes_nothing() {
    let app = TestApp::spawn().await;
    let pickup: String = sqlx::query_scalar("SELECT pp.slug FROM pickup_points pp JOIN partners p ON p.id = pp.partner_id WHERE p.slug = 'stem-rtc' LIMIT 1")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let before = (
        count(&app, "kit_types").await,
        count(&app, "units").await,
        count(&app, "kit_type_themes").await,
    );
    let mut good = row("nieuwe-testkoffer", "stem-rtc", "TK-1;TK-2");
    good[9] = pickup.clone();
    let mut bad = row("Foute Slug", "bestaat-niet", "TK-3");
    bad[9] = pickup;
    bad[5] = "kleuter;universiteit".into();
    let csv = write_table(CATALOGUE_COLUMNS, [good.clone(), bad]);

    let err = import_catalogue(&app.state.db, &csv, NOW)
        .await
        .unwrap_err();
    let ImportError::Invalid { errors, .. } = err else {
        panic!("expected validation errors")
    };
    let cells: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(cells, vec![(3, "slug"), (3, "partner"), (3, "levels")]);
    assert!(
        matches!(&errors[2].issue, CsvIssue::UnknownCode { value, .. } if value == "universiteit")
    );
    let after = (
        count(&app, "kit_types").await,
        count(&app, "units").await,
        count(&app, "kit_type_themes").await,
    );
    assert_eq!(before, after, "nothing was written");

    // The good row alone goes in, and is searchable at once.
    let csv = write_table(CATALOGUE_COLUMNS, [good]);
    let counts = import_catalogue(&app.state.db, &csv, NOW).await.unwrap();
    assert_eq!((counts.created, counts.updated), (1, 0));
    assert_eq!(app.search("q=testkoffer").await.total, 1);
}

#[tokio::test]
async fn a_unit_code_of_another_kit_is_refused() {
    let app = TestApp::spawn().await;
    let taken: String = sqlx::query_scalar("SELECT inventory_code FROM units LIMIT 1")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let mut r = row("andere-koffer", "stem-rtc", &taken);
    r[9] = sqlx::query_scalar("SELECT pp.slug FROM pickup_points pp JOIN partners p ON p.id = pp.partner_id WHERE p.slug = 'stem-rtc' LIMIT 1")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let err = import_catalogue(&app.state.db, &write_table(CATALOGUE_COLUMNS, [r]), NOW)
        .await
        .unwrap_err();
    assert!(matches!(err, ImportError::Invalid { ref errors, .. } if errors[0].column == "units"));
}

#[tokio::test]
async fn export_then_import_changes_nothing() {
    let app = TestApp::spawn().await;
    let exported = app.state.db.export_catalogue().await.unwrap();
    assert!(exported.len() >= 150);
    let csv = write_table(CATALOGUE_COLUMNS, exported.clone());
    let counts = import_catalogue(&app.state.db, &csv, NOW).await.unwrap();
    assert_eq!(counts.created, 0);
    assert_eq!(counts.updated as usize, exported.len());
    assert_eq!(
        app.state.db.export_catalogue().await.unwrap(),
        exported,
        "round trip is lossless"
    );
}
