//! Attendance as trainers record it.

use super::*;

/// Records attendance of the registered, each as `present(registration, was_present)`
/// decides: returns the users now marked present who were not before, and those no longer
/// marked.
pub async fn set_attendance(
    conn: &mut AnyConnection,
    session: i64,
    present: impl Fn(i64, bool) -> bool,
    now: &str,
) -> DbResult<(Vec<UserId>, Vec<UserId>)> {
    let rows = sqlx::query(
        "SELECT id, user_id, attended FROM training_registrations \
         WHERE session_id = $1 AND status = 'ingeschreven'",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await?;
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for r in rows {
        let (id, user, was) = (
            r.get::<i64, _>(0),
            UserId(r.get(1)),
            r.get::<crate::db::Flag, _>(2).0,
        );
        let now_present = present(id, was);
        if now_present == was {
            continue;
        }
        sqlx::query(
            "UPDATE training_registrations SET attended = $1, updated_at = $2 WHERE id = $3",
        )
        .bind(i64::from(now_present))
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        if now_present {
            added.push(user);
        } else {
            removed.push(user);
        }
    }
    Ok((added, removed))
}

/// The registrations with a seat in a session (those whose attendance is recorded).
pub async fn seated_registrations(conn: &mut AnyConnection, session: i64) -> DbResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM training_registrations WHERE session_id = $1 AND status = 'ingeschreven'",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await?)
}
