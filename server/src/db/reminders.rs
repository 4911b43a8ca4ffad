//! Reminder candidates and their exactly-once claims.

use super::DbResult;
use sqlx::SqliteConnection;

/// A reservation that may need a reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    /// The day the reminder is about (pickup or return day), ISO.
    pub day: String,
    pub point: i64,
    pub weekdays: u8,
    pub opening_hours: String,
    pub reminder_days: u32,
    /// When it was made (UTC, RFC 3339).
    pub created_at: String,
}

type Row = (i64, String, i64, i64, String, i64, String);

fn candidate(
    (id, day, point, weekdays, opening_hours, reminder_days, created_at): Row,
) -> Candidate {
    Candidate {
        id,
        day,
        point,
        weekdays: weekdays as u8,
        opening_hours,
        reminder_days: u32::try_from(reminder_days).unwrap_or(0),
        created_at,
    }
}

/// Confirmed reservations picked up after `today` and up to `until`, whose borrower wants
/// reminders and who were not yet reminded of that pickup day.
pub async fn pickup_candidates(
    conn: &mut SqliteConnection,
    today: &str,
    until: &str,
) -> DbResult<Vec<Candidate>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, r.pickup_date, pp.id, pp.open_weekdays, pp.opening_hours, \
                p.pickup_reminder_days, r.created_at \
         FROM reservations r JOIN pickup_points pp ON pp.id = r.pickup_point_id \
         JOIN partners p ON p.id = pp.partner_id JOIN users u ON u.id = r.user_id \
         WHERE r.status = 'bevestigd' AND r.pickup_date > ? AND r.pickup_date <= ? \
           AND u.reminders_off = 0 AND u.disabled_at IS NULL \
           AND NOT EXISTS (SELECT 1 FROM reminders_sent s \
                           WHERE s.occasion = 'pickup:' || r.id || ':' || r.pickup_date) \
         ORDER BY r.pickup_date, r.id",
    )
    .bind(today)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(candidate).collect())
}

/// Running loans due back on one of `days`, whose borrower wants reminders and who were
/// not yet reminded of that return day.
pub async fn return_candidates(
    conn: &mut SqliteConnection,
    first: &str,
    last: &str,
) -> DbResult<Vec<Candidate>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, r.return_date, pp.id, pp.open_weekdays, pp.opening_hours, \
                p.pickup_reminder_days, r.created_at \
         FROM reservations r JOIN pickup_points pp ON pp.id = r.pickup_point_id \
         JOIN partners p ON p.id = pp.partner_id JOIN users u ON u.id = r.user_id \
         WHERE r.status = 'afgehaald' AND r.return_date BETWEEN ? AND ? \
           AND u.reminders_off = 0 AND u.disabled_at IS NULL \
           AND NOT EXISTS (SELECT 1 FROM reminders_sent s \
                           WHERE s.occasion = 'return:' || r.id || ':' || r.return_date) \
         ORDER BY r.return_date, r.id",
    )
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(candidate).collect())
}

/// Claims an occasion: `true` for the one transaction that inserts its key first.
pub async fn claim(conn: &mut SqliteConnection, occasion: &str, now: &str) -> DbResult<bool> {
    let done = sqlx::query(
        "INSERT INTO reminders_sent (occasion, sent_at) VALUES (?, ?) \
         ON CONFLICT (occasion) DO NOTHING",
    )
    .bind(occasion)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a person wants reminders and digests.
pub async fn set_reminders(conn: &mut SqliteConnection, user: i64, on: bool) -> DbResult<()> {
    sqlx::query("UPDATE users SET reminders_off = ? WHERE id = ?")
        .bind(i64::from(!on))
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
