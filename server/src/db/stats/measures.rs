//! Quality and training figures against records whose answers are counted by hand.
use super::*;

async fn exec(db: &Db, sql: &str) {
    sqlx::query(sql)
        .execute(db.writer())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[tokio::test]
async fn quality_and_trainings_are_counted_per_partner_service() {
    let db = Db::open("sqlite::memory:").await.unwrap();
    let at = "'2025-09-01T08:00:00+00:00'";
    for sql in [
        "INSERT INTO partners (id, slug, name) VALUES (1, 'p1', 'Een'), (2, 'p2', 'Twee')".to_owned(),
        "INSERT INTO pickup_points (id, partner_id, slug, name, street, postcode, municipality) \
         VALUES (1, 1, 'a', 'A', 's', '8000', 'Brugge'), (2, 2, 'b', 'B', 's', '8000', 'Brugge')".into(),
        format!("INSERT INTO kit_types (id, slug, title, kind, partner_id, created_at, updated_at) \
         VALUES (1, 'k1', 'K1', 'uitleen', 1, {at}, {at}), (2, 'k2', 'K2', 'uitleen', 2, {at}, {at})"),
        format!("INSERT INTO units (id, kit_type_id, inventory_code, created_at) VALUES (1, 1, 'U1', {at}), (2, 2, 'U2', {at})"),
        "INSERT INTO schools (id, instellingsnummer, name, network, levels) VALUES (1, '000001', 'S', 'go', 'lager')".into(),
        format!("INSERT INTO users (id, email, name, created_at) VALUES (1, 't1@x.be', 'T1', {at}), (2, 't2@x.be', 'T2', {at}), (3, 't3@x.be', 'T3', {at})"),
        "INSERT INTO user_roles (user_id, role, school_id) VALUES (1, 'teacher', 1), (2, 'teacher', 1), (3, 'teacher', 1)".into(),
        "INSERT INTO training_types (id, partner_id, slug, title, duration_minutes) VALUES (1, 1, 'tt', 'TT', 60)".into(),
        "INSERT INTO kit_type_trainings (kit_type_id, training_type_id) VALUES (1, 1)".into(),
        format!("INSERT INTO training_sessions (id, training_type_id, starts_at, ends_at, place, capacity, \
           registration_opens, registration_closes, cancelled_at, created_at) VALUES \
         (1, 1, '2026-01-10T13:00:00+00:00', '2026-01-10T16:00:00+00:00', 'Brugge', 10, {at}, '2026-01-09T23:00:00+00:00', NULL, {at}), \
         (2, 1, '2026-02-01T13:00:00+00:00', '2026-02-01T16:00:00+00:00', 'Brugge', 8, {at}, '2026-01-31T23:00:00+00:00', {at}, {at})"),
        format!("INSERT INTO training_registrations (session_id, user_id, status, attended, created_at, updated_at) VALUES \
         (1, 1, 'ingeschreven', 1, {at}, {at}), (1, 2, 'ingeschreven', 0, {at}, {at}), (1, 3, 'wachtlijst', 0, {at}, {at}), \
         (2, 3, 'ingeschreven', 1, {at}, {at})"),
        format!("INSERT INTO qualifications (user_id, training_type_id, session_id, granted_on, created_at, revoked_at, revoke_reason) VALUES \
         (1, 1, 1, '2026-01-10', {at}, NULL, NULL), (2, 1, NULL, '2026-01-12', {at}, {at}, 'vergissing')"),
        format!("INSERT INTO reservations (id, kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
           return_date, held_until, status, created_at, updated_at) VALUES \
         (1, 1, 1, 1, 1, 1, '2026-03-02', '2026-03-05', '2026-03-06', 'teruggebracht', {at}, {at}), \
         (2, 1, 1, 1, 1, 1, '2026-02-02', '2026-02-05', '2026-02-06', 'niet-afgehaald', {at}, {at}), \
         (3, 2, 2, 1, 1, 1, '2026-02-02', '2026-02-05', '2026-02-06', 'niet-afgehaald', {at}, {at})"),
        "INSERT INTO loan_lines (reservation_id, unit_id, handed_out_at, returned_at, late) VALUES \
         (1, 1, '2026-03-02T08:00:00+00:00', '2026-03-08T10:00:00+00:00', 1)".into(),
        "INSERT INTO maintenance_tickets (unit_id, reservation_id, opened_at, shortfall, closed_at) VALUES \
         (1, 1, '2026-03-08T10:00:00+00:00', '[[\"bal\",1]]', '2026-03-09T10:00:00+00:00'), \
         (2, NULL, '2026-04-01T10:00:00+00:00', '[]', NULL)".into(),
    ] {
        exec(&db, &sql).await;
    }
    let year = Period::school_year_of(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    let own = db
        .period_measures(year, Some(&[PartnerId(1)]))
        .await
        .unwrap();
    assert_eq!(
        own.quality,
        QualityTally {
            no_shows: 1,
            late_returns: 1,
            late_days: 3,
            missing_parts: 1,
            tickets: 1,
            repaired: 1,
            repair_hours: 24,
        }
    );
    assert_eq!(
        own.trainings,
        TrainingTally {
            sessions: 1,
            seats: 10,
            registered: 2,
            attended: 1,
            qualified: 1,
            trained: 1,
            borrowed_within_90: 1,
        }
    );
    let all = db.period_measures(year, None).await.unwrap();
    assert_eq!(
        (
            all.quality.no_shows,
            all.quality.tickets,
            all.quality.repaired
        ),
        (2, 2, 1)
    );
    let other = db
        .period_measures(year, Some(&[PartnerId(2)]))
        .await
        .unwrap();
    assert_eq!(other.trainings, TrainingTally::default());
    assert_eq!(other.quality.missing_parts, 0);
    // A loan picked up on the 91st day after the training does not count; on the 90th it does.
    exec(
        &db,
        "UPDATE reservations SET pickup_date = '2026-04-11', return_date = '2026-04-12', held_until = '2026-04-13' WHERE id = 1",
    )
    .await;
    let own = db
        .period_measures(year, Some(&[PartnerId(1)]))
        .await
        .unwrap();
    assert_eq!(own.trainings.borrowed_within_90, 0);
    exec(
        &db,
        "UPDATE reservations SET pickup_date = '2026-04-10', return_date = '2026-04-12', held_until = '2026-04-13' WHERE id = 1",
    )
    .await;
    let own = db
        .period_measures(year, Some(&[PartnerId(1)]))
        .await
        .unwrap();
    assert_eq!(own.trainings.borrowed_within_90, 1);
    // Another period has none of it.
    let before = db.period_measures(year.previous(), None).await.unwrap();
    assert_eq!(before.quality, QualityTally::default());
}
