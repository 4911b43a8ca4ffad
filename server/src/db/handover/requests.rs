//! A request (a sent cart) at the desk: its lines' loans.

use super::*;

/// On PostgreSQL, locks a request's row for the rest of the transaction, so scans of one
/// request decide one after the other (on SQLite the write lock already orders them).
pub async fn lock_request(conn: &mut AnyConnection, id: i64) -> DbResult<()> {
    crate::db::lock_rows(conn, "requests", "id", id).await
}

// --- cart desk (issue 20): a request's lines at the desk ---

/// The lines (reservations) of a request, in the request's order, each as the desk sees
/// it; empty when there is no such request.
pub async fn request_loans(
    conn: &mut AnyConnection,
    request: i64,
) -> DbResult<Vec<(LoanView, ReservationRecord)>> {
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM reservations WHERE request_id = $1 ORDER BY id")
            .bind(request)
            .fetch_all(&mut *conn)
            .await?;
    let mut lines = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(line) = loan(conn, ReservationId(id)).await? {
            lines.push(line);
        }
    }
    Ok(lines)
}

/// The request a reservation is a line of, if any.
pub async fn request_of(conn: &mut AnyConnection, id: ReservationId) -> DbResult<Option<i64>> {
    Ok(
        sqlx::query_scalar::<_, Option<i64>>("SELECT request_id FROM reservations WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
            .flatten(),
    )
}

/// Which of some reservations are lines of a request: (reservation, request).
pub async fn requests_of(
    conn: &mut AnyConnection,
    ids: &[ReservationId],
) -> DbResult<Vec<(ReservationId, i64)>> {
    let mut found = Vec::new();
    // In slices, so a long day never exceeds a database's parameter limit.
    for chunk in ids.chunks(200) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, request_id FROM reservations WHERE request_id IS NOT NULL AND id IN ({})",
            marks.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(id.0);
        }
        for row in query.fetch_all(&mut *conn).await? {
            found.push((ReservationId(row.get(0)), row.get(1)));
        }
    }
    Ok(found)
}
