//! What the daily job reads and marks: loans newly overdue, no-show candidates.

use super::*;

/// Picked-up loans past their return day with units still out, not yet marked overdue.
pub async fn newly_overdue(
    conn: &mut AnyConnection,
    today: NaiveDate,
) -> DbResult<Vec<ReservationId>> {
    Ok(sqlx::query_scalar::<_, i64>(&format!(
        "SELECT r.id FROM reservations r WHERE {NEWLY_OVERDUE} ORDER BY r.id"
    ))
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(ReservationId)
    .collect())
}

/// A loan out past its return day and not yet marked overdue (`$1`: today).
pub(super) const NEWLY_OVERDUE: &str = "r.status = 'afgehaald' AND r.return_date < $1 \
    AND r.overdue_since IS NULL \
    AND EXISTS (SELECT 1 FROM loan_lines l WHERE l.reservation_id = r.id AND l.returned_at IS NULL)";

/// Locks reservation `id` (on PostgreSQL, until the transaction ends) and tells whether it
/// is still newly overdue: a unit may have come back since the candidates were read.
pub async fn lock_if_newly_overdue(
    conn: &mut AnyConnection,
    id: ReservationId,
    today: NaiveDate,
) -> DbResult<bool> {
    lock_reservation(conn, id).await?;
    still(conn, NEWLY_OVERDUE, id, &today.to_string()).await
}

/// Whether reservation `$2` still meets `condition` (on `r`, with `$1` bound to `arg`).
pub(super) async fn still(
    conn: &mut AnyConnection,
    condition: &str,
    id: ReservationId,
    arg: &str,
) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM reservations r WHERE r.id = $2 AND {condition}"
    ))
    .bind(arg)
    .bind(id.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

pub async fn mark_overdue(conn: &mut AnyConnection, id: ReservationId, now: &str) -> DbResult<()> {
    sqlx::query("UPDATE reservations SET overdue_since = $1, revision = revision + 1, updated_at = $2 WHERE id = $3")
        .bind(now)
        .bind(now)
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Units of a kit type still out on loans past their return day (not available), with
/// the reservations they are out on.
pub async fn overdue_units(
    conn: &mut AnyConnection,
    kit: KitTypeId,
    today: NaiveDate,
) -> DbResult<(u32, Vec<i64>)> {
    let rows: Vec<i64> = sqlx::query_scalar(
        "SELECT l.reservation_id FROM loan_lines l JOIN reservations r ON r.id = l.reservation_id \
         WHERE r.kit_type_id = $1 AND l.returned_at IS NULL AND r.return_date < $2",
    )
    .bind(kit.0)
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let count = rows.len() as u32;
    let mut ids = rows;
    ids.dedup();
    Ok((count, ids))
}

/// Confirmed reservations whose pickup day is before `before` and nothing was handed over.
pub async fn no_show_candidates(
    conn: &mut AnyConnection,
    before: NaiveDate,
) -> DbResult<Vec<ReservationId>> {
    Ok(sqlx::query_scalar::<_, i64>(&format!(
        "SELECT r.id FROM reservations r WHERE {NO_SHOW_CANDIDATE} ORDER BY r.id"
    ))
    .bind(before.to_string())
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(ReservationId)
    .collect())
}

/// A confirmed reservation whose pickup day is before `$1` and of which nothing was
/// handed over.
pub(super) const NO_SHOW_CANDIDATE: &str = "r.status = 'bevestigd' AND r.pickup_date < $1 \
    AND NOT EXISTS (SELECT 1 FROM loan_lines l WHERE l.reservation_id = r.id)";

/// Locks reservation `id` (on PostgreSQL, until the transaction ends) and tells whether it
/// is still a no-show candidate: the desk may have handed it over since.
pub async fn lock_if_no_show_candidate(
    conn: &mut AnyConnection,
    id: ReservationId,
    before: NaiveDate,
) -> DbResult<bool> {
    lock_reservation(conn, id).await?;
    still(conn, NO_SHOW_CANDIDATE, id, &before.to_string()).await
}
