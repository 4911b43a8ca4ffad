//! Loan lines: a reservation as the hand-over rules see it, a unit handed over and taken
//! back.

use super::*;

/// A reservation as the hand-over rules see it, with its record.
pub async fn loan(
    conn: &mut AnyConnection,
    id: ReservationId,
) -> DbResult<Option<(LoanView, ReservationRecord)>> {
    lock_reservation(conn, id).await?;
    let Some(record) = crate::db::reservations::record_by_id(conn, id).await? else {
        return Ok(None);
    };
    let lines = sqlx::query(
        "SELECT unit_id, returned_at IS NOT NULL FROM loan_lines WHERE reservation_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| Line {
        unit: UnitId(r.get(0)),
        returned: r.get::<crate::db::Flag, _>(1).0,
    })
    .collect();
    let view = LoanView {
        id,
        kit_type: record.kit,
        status: record.view.status,
        quantity: record.view.quantity,
        pickup_date: day(&record.view.pickup_date),
        return_date: day(&record.view.return_date),
        lines,
    };
    Ok(Some((view, record)))
}

/// Binds a unit to a reservation. The database refuses a unit on two open loans
/// (`Conflict`), whatever the caller checked before.
pub async fn insert_line(
    conn: &mut AnyConnection,
    reservation: ReservationId,
    unit: UnitId,
    by: UserId,
    override_reason: Option<&str>,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO loan_lines (reservation_id, unit_id, handed_out_at, handed_out_by, override_reason) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(reservation.0)
    .bind(unit.0)
    .bind(now)
    .bind(by.0)
    .bind(override_reason)
    .execute(&mut *conn)
    .await
    .map_err(classify)?;
    Ok(())
}

/// What a return records.
pub struct Returned<'a> {
    pub reservation: ReservationId,
    pub unit: UnitId,
    pub by: UserId,
    /// (part, expected, counted)
    pub parts: &'a [(String, u32, i64)],
    pub damage: &'a str,
    pub late: bool,
}

pub async fn return_line(conn: &mut AnyConnection, r: &Returned<'_>, now: &str) -> DbResult<()> {
    sqlx::query(
        "UPDATE loan_lines SET returned_at = $1, returned_by = $2, parts_counted = $3, damage_note = $4, late = $5 \
         WHERE reservation_id = $6 AND unit_id = $7 AND returned_at IS NULL",
    )
    .bind(now)
    .bind(r.by.0)
    .bind(serde_json::to_string(r.parts).unwrap_or_else(|_| "[]".into()))
    .bind(r.damage)
    .bind(i64::from(r.late))
    .bind(r.reservation.0)
    .bind(r.unit.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Inside a transaction on PostgreSQL, locks a reservation's row until the transaction
/// ends, so scans of its units take turns and each sees the units the others put out: two
/// units of one reservation scanned at once both saw the other still in, and neither sent
/// the receipt that goes once every unit is out (`api_traffic`). A no-op on SQLite.
pub(super) async fn lock_reservation(conn: &mut AnyConnection, id: ReservationId) -> DbResult<()> {
    crate::db::lock_rows(conn, "reservations", "id", id.0).await
}

/// The reservation a unit was last handed over for, when that line is returned.
pub async fn last_returned_loan(
    conn: &mut AnyConnection,
    unit: UnitId,
) -> DbResult<Option<ReservationId>> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT reservation_id FROM loan_lines WHERE unit_id = $1 AND returned_at IS NOT NULL \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(unit.0)
    .fetch_optional(&mut *conn)
    .await?
    .map(ReservationId))
}
