//! Maintenance tickets.

use super::*;

/// Opens a maintenance ticket and puts the unit in maintenance.
pub async fn open_ticket(
    conn: &mut AnyConnection,
    unit: UnitId,
    reservation: ReservationId,
    by: UserId,
    shortfall: &[(String, u32)],
    note: &str,
    now: &str,
) -> DbResult<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO maintenance_tickets (unit_id, reservation_id, opened_at, opened_by, shortfall, note) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(unit.0)
    .bind(reservation.0)
    .bind(now)
    .bind(by.0)
    .bind(serde_json::to_string(shortfall).unwrap_or_else(|_| "[]".into()))
    .bind(note)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("UPDATE units SET status = 'onderhoud' WHERE id = $1")
        .bind(unit.0)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// A unit's open maintenance tickets, oldest first.
pub async fn open_tickets(
    conn: &mut AnyConnection,
    unit: UnitId,
) -> DbResult<Vec<leenpunt_shared::handover::Ticket>> {
    Ok(sqlx::query(
        "SELECT t.id, t.opened_at, u.name, t.shortfall, t.note FROM maintenance_tickets t \
         LEFT JOIN users u ON u.id = t.opened_by WHERE t.unit_id = $1 AND t.closed_at IS NULL ORDER BY t.id",
    )
    .bind(unit.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| leenpunt_shared::handover::Ticket {
        id: r.get(0),
        opened_at: r.get(1),
        opened_by: r.get(2),
        shortfall: serde_json::from_str(r.get::<&str, _>(3)).unwrap_or_default(),
        note: r.get(4),
    })
    .collect())
}

/// Closes a unit's open maintenance tickets.
pub async fn close_tickets(
    conn: &mut AnyConnection,
    unit: UnitId,
    by: UserId,
    now: &str,
) -> DbResult<u64> {
    Ok(sqlx::query(
        "UPDATE maintenance_tickets SET closed_at = $1, closed_by = $2 WHERE unit_id = $3 AND closed_at IS NULL",
    )
    .bind(now)
    .bind(by.0)
    .bind(unit.0)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}
