//! CSV imports and the demo data: parse everything, then write everything in one
//! transaction, or nothing at all.

use crate::db::import::{self as store, references, ImportCounts};
use crate::db::{Db, DbError};
use crate::domain::csv_table::RowError;
use crate::domain::import::{
    parse_catalogue, parse_partners, parse_pickup_points, parse_schools, parse_trainings,
};
use std::collections::HashSet;

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} problem(s) in {file}", errors.len())]
    Invalid {
        file: &'static str,
        errors: Vec<RowError>,
    },
    #[error(transparent)]
    Db(#[from] DbError),
}

fn invalid(file: &'static str) -> impl FnOnce(Vec<RowError>) -> ImportError {
    move |errors| ImportError::Invalid { file, errors }
}

/// Imports a catalogue CSV (create or update by slug).
pub async fn import_catalogue(db: &Db, csv: &str, now: &str) -> Result<ImportCounts, ImportError> {
    let mut tx = db.begin().await?;
    let refs = references(&mut tx).await?;
    let kits = parse_catalogue(csv, &refs).map_err(invalid("catalogue"))?;
    let counts = store::upsert_kits(&mut tx, &kits, now).await?;
    tx.commit().await?;
    Ok(counts)
}

/// Imports a schools CSV (create or update by instellingsnummer).
pub async fn import_schools(db: &Db, csv: &str) -> Result<ImportCounts, ImportError> {
    let schools = parse_schools(csv).map_err(invalid("schools"))?;
    let mut tx = db.begin().await?;
    let counts = store::upsert_schools(&mut tx, &schools).await?;
    tx.commit().await?;
    Ok(counts)
}

/// Imports closed periods (e.g. next school year's holidays): all or nothing; a period
/// that already exists keeps its id and gets the new reason.
pub async fn import_closed_days(db: &Db, csv: &str) -> Result<ImportCounts, ImportError> {
    let points = db.pickup_point_ids().await?;
    let slugs: HashSet<String> = points.iter().map(|(s, _)| s.clone()).collect();
    let rows =
        crate::domain::import::parse_closed_days(csv, &slugs).map_err(invalid("closed_days"))?;
    let mut tx = db.begin().await?;
    let mut counts = ImportCounts::default();
    for row in rows {
        let point = row
            .pickup_point
            .as_ref()
            .and_then(|slug| points.iter().find(|(s, _)| s == slug))
            .map(|(_, id)| *id);
        let (_, created) =
            crate::db::reservations::insert_closed_period(&mut tx, point, &row.period).await?;
        if created {
            counts.created += 1;
        } else {
            counts.updated += 1;
        }
    }
    tx.commit().await?;
    Ok(counts)
}

/// The demo data set shipped with the binary.
pub struct DemoData {
    pub partners: &'static str,
    pub pickup_points: &'static str,
    pub trainings: &'static str,
    pub schools: &'static str,
    pub catalogue: &'static str,
}

pub const DEMO: DemoData = DemoData {
    partners: include_str!("../../demo/partners.csv"),
    pickup_points: include_str!("../../demo/pickup_points.csv"),
    trainings: include_str!("../../demo/trainings.csv"),
    schools: include_str!("../../demo/schools.csv"),
    catalogue: include_str!("../../demo/catalogue.csv"),
};

/// Hand-over hours of the demo pickup points (the rest hand over during opening hours
/// without fixed slots, so their pickups show as all-day events).
pub const DEMO_HANDOVER_HOURS: &[(&str, &str, &str)] = &[
    ("stem-rtc-brugge", "09:00", "12:00"),
    ("stem-rtc-kortrijk", "13:30", "16:30"),
    ("stem-rtc-roeselare", "09:00", "12:00"),
    ("xr-junior-kortrijk", "14:00", "17:00"),
];

/// Sets the demo pickup points' hand-over hours.
pub async fn load_demo_handover_hours(db: &Db) -> Result<(), DbError> {
    for (slug, from, until) in DEMO_HANDOVER_HOURS {
        db.set_handover_hours(slug, from, until).await?;
    }
    Ok(())
}

/// The demo closed days: the Flemish school holidays of 2026–2028 and one closure.
pub const DEMO_CLOSED_DAYS: &str = include_str!("../../demo/closed_days.csv");

/// Loads a full data set (partners, pickup points, trainings, schools, catalogue) in one
/// transaction.
pub async fn load_data_set(db: &Db, data: &DemoData, now: &str) -> Result<(), ImportError> {
    let mut tx = db.begin().await?;
    let partners = parse_partners(data.partners).map_err(invalid("partners"))?;
    store::upsert_partners(&mut tx, &partners).await?;
    let partner_slugs: HashSet<String> = partners.iter().map(|p| p.slug.to_string()).collect();
    let pickups = parse_pickup_points(data.pickup_points, &partner_slugs)
        .map_err(invalid("pickup_points"))?;
    store::upsert_pickup_points(&mut tx, &pickups).await?;
    let trainings =
        parse_trainings(data.trainings, &partner_slugs).map_err(invalid("trainings"))?;
    store::upsert_trainings(&mut tx, &trainings).await?;
    let schools = parse_schools(data.schools).map_err(invalid("schools"))?;
    store::upsert_schools(&mut tx, &schools).await?;
    let refs = references(&mut tx).await?;
    let kits = parse_catalogue(data.catalogue, &refs).map_err(invalid("catalogue"))?;
    store::upsert_kits(&mut tx, &kits, now).await?;
    tx.commit().await?;
    Ok(())
}
