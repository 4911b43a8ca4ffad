//! Registrations for a session and its waiting list.

use super::*;

/// Someone's registration for a session, if any (any status).
pub async fn registration_of(
    conn: &mut AnyConnection,
    session: i64,
    user: UserId,
) -> DbResult<Option<(i64, String, bool)>> {
    Ok(sqlx::query(
        "SELECT id, status, attended FROM training_registrations WHERE session_id = $1 AND user_id = $2",
    )
    .bind(session)
    .bind(user.0)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (r.get(0), r.get(1), r.get::<crate::db::Flag, _>(2).0)))
}

/// Puts someone on a session's list (again, after a cancellation) with a status.
pub async fn upsert_registration(
    conn: &mut AnyConnection,
    session: i64,
    user: UserId,
    status: &str,
    attended_walk_in: bool,
    now: &str,
) -> DbResult<i64> {
    let flag = i64::from(attended_walk_in);
    let e = crate::db::Engine::of(conn);
    let sql = format!(
        "INSERT INTO training_registrations (session_id, user_id, status, attended, walk_in, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $4, $5, $5) \
         ON CONFLICT (session_id, user_id) DO UPDATE SET status = excluded.status, \
           attended = {}, walk_in = {}, \
           created_at = CASE WHEN training_registrations.status = 'geannuleerd' \
             THEN excluded.created_at ELSE training_registrations.created_at END, \
           updated_at = excluded.updated_at \
         RETURNING id",
        e.greatest("training_registrations.attended", "excluded.attended"),
        e.greatest("training_registrations.walk_in", "excluded.walk_in"),
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(session)
        .bind(user.0)
        .bind(status)
        .bind(flag)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?)
}

pub async fn set_registration_status(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    now: &str,
) -> DbResult<()> {
    sqlx::query("UPDATE training_registrations SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Seats taken, and the waiting list in order (registration id, user).
pub async fn waiting_list(
    conn: &mut AnyConnection,
    session: i64,
) -> DbResult<(u32, Vec<(i64, UserId)>)> {
    let taken: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM training_registrations WHERE session_id = $1 AND status = 'ingeschreven'",
    )
    .bind(session)
    .fetch_one(&mut *conn)
    .await?;
    let waiting = sqlx::query(
        "SELECT id, user_id FROM training_registrations WHERE session_id = $1 AND status = 'wachtlijst' \
         ORDER BY created_at, id",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| (r.get(0), UserId(r.get(1))))
    .collect();
    Ok((taken as u32, waiting))
}

/// A user's address and language, for mail.
pub async fn user_contact(
    conn: &mut AnyConnection,
    user: UserId,
) -> DbResult<Option<(String, Lang)>> {
    Ok(sqlx::query("SELECT email, lang FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| {
            (
                r.get(0),
                Lang::parse(r.get::<&str, _>(1)).unwrap_or_default(),
            )
        }))
}

/// A user by e-mail address, with whether they are a teacher.
pub async fn user_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> DbResult<Option<(UserId, bool)>> {
    Ok(sqlx::query(
        "SELECT u.id, EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = $1) \
         FROM users u WHERE u.email = $2",
    )
    .bind(Role::Teacher.code())
    .bind(email)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (UserId(r.get(0)), r.get::<crate::db::Flag, _>(1).0)))
}

impl Db {
    /// A session's list: seats first, then the waiting list, then cancellations.
    pub async fn roster(&self, session: i64) -> DbResult<Vec<RosterEntry>> {
        let sql = format!(
            "SELECT g.id, u.id, u.name, u.email, \
               coalesce((SELECT {} FROM user_roles r \
                 JOIN schools sc ON sc.id = r.school_id WHERE r.user_id = u.id), ''), \
               g.status, g.attended, g.walk_in \
             FROM training_registrations g JOIN users u ON u.id = g.user_id \
             WHERE g.session_id = $1 \
             ORDER BY CASE g.status WHEN 'ingeschreven' THEN 0 WHEN 'wachtlijst' THEN 1 ELSE 2 END, \
               u.name, g.id",
            self.engine().group_concat("sc.name", "', '")
        );
        Ok(sqlx::query(&sql)
            .bind(session)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| RosterEntry {
                registration: r.get(0),
                user: UserId(r.get(1)),
                name: r.get(2),
                email: r.get(3),
                schools: r.get(4),
                status: r.get(5),
                attended: r.get::<crate::db::Flag, _>(6).0,
                walk_in: r.get::<crate::db::Flag, _>(7).0,
            })
            .collect())
    }
}
