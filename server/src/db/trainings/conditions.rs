//! Conditional reservations: the session they wait on, and settling them once it passed.

use super::*;

/// Holds a reservation on the condition of these sessions.
pub async fn add_conditions(
    conn: &mut AnyConnection,
    reservation: ReservationId,
    sessions: &[i64],
) -> DbResult<()> {
    for s in sessions {
        sqlx::query("INSERT INTO reservation_conditions (reservation_id, session_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(reservation.0)
            .bind(s)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn clear_conditions(
    conn: &mut AnyConnection,
    reservation: ReservationId,
) -> DbResult<()> {
    sqlx::query("DELETE FROM reservation_conditions WHERE reservation_id = $1")
        .bind(reservation.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A conditional reservation with the state of each of its sessions.
#[derive(Debug, Clone)]
pub struct Conditional {
    pub reservation: ReservationId,
    /// (session, attended by the borrower, session ended before `over_before` or was called off).
    pub conditions: Vec<(i64, bool, bool)>,
}

/// The conditional reservations (still holding units) waiting for a session, optionally
/// only one borrower's; sessions that ended before `over_before` count as over.
pub async fn conditional_on(
    conn: &mut AnyConnection,
    session: i64,
    user: Option<UserId>,
    over_before: &str,
) -> DbResult<Vec<Conditional>> {
    // The "over" flag is a CASE so it is 0/1 in the JSON on both engines (PostgreSQL
    // would write a comparison as true/false).
    let sql = format!(
        "SELECT r.id, {} \
         FROM reservations r JOIN reservation_conditions c ON c.reservation_id = r.id \
         JOIN training_sessions s ON s.id = c.session_id \
         WHERE r.id IN (SELECT reservation_id FROM reservation_conditions WHERE session_id = $2) \
           AND r.status IN ('aangevraagd', 'bevestigd') AND ($3 IS NULL OR r.user_id = $3) \
         GROUP BY r.id ORDER BY r.id",
        crate::db::Engine::of(conn).json_rows(
            "s.id, \
             coalesce((SELECT g.attended FROM training_registrations g \
                WHERE g.session_id = s.id AND g.user_id = r.user_id AND g.status = 'ingeschreven'), 0), \
             CASE WHEN s.ends_at < $1 OR s.cancelled_at IS NOT NULL \
               OR NOT EXISTS (SELECT 1 FROM training_registrations g WHERE g.session_id = s.id \
                 AND g.user_id = r.user_id AND g.status = 'ingeschreven') THEN 1 ELSE 0 END"
        )
    );
    let rows = sqlx::query(&sql)
        .bind(over_before)
        .bind(session)
        .bind(user.map(|u| u.0))
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .iter()
        .map(|r| Conditional {
            reservation: ReservationId(r.get(0)),
            conditions: serde_json::from_str::<Vec<(i64, i64, i64)>>(r.get::<&str, _>(1))
                .unwrap_or_default()
                .into_iter()
                .map(|(s, attended, over)| (s, attended != 0, over != 0))
                .collect(),
        })
        .collect())
}

/// Sessions that ended before `before` and whose conditional reservations were not yet
/// settled, plus called-off ones.
pub async fn sessions_to_settle(conn: &mut AnyConnection, before: &str) -> DbResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT s.id FROM training_sessions s \
         JOIN reservation_conditions c ON c.session_id = s.id \
         WHERE s.settled_at IS NULL AND (s.ends_at < $1 OR s.cancelled_at IS NOT NULL) \
         ORDER BY s.id",
    )
    .bind(before)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn mark_settled(conn: &mut AnyConnection, session: i64, now: &str) -> DbResult<()> {
    sqlx::query("UPDATE training_sessions SET settled_at = $1 WHERE id = $2")
        .bind(now)
        .bind(session)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
