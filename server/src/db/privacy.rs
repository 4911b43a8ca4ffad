//! Retention: removing what is kept no longer than its period.

use super::DbResult;
use crate::domain::privacy::{Cutoffs, Removed};
use sqlx::AnyConnection;

/// Removes, in the caller's transaction: sent mails, sessions, throttle records and
/// unconfirmed accounts older than their cut-offs. An unconfirmed account goes only when
/// nothing else refers to it (it cannot have borrowed: it never signed in); the audit rows
/// about it keep the event but lose the address.
pub async fn apply_retention(conn: &mut AnyConnection, c: &Cutoffs) -> DbResult<Removed> {
    let mails = sqlx::query("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1")
        .bind(&c.sent_mail)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    let sessions = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1")
        .bind(&c.sessions)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    let mut throttles = 0;
    for sql in [
        "DELETE FROM login_failures WHERE at < $1",
        "DELETE FROM mail_requests WHERE at < $1",
    ] {
        throttles += sqlx::query(sql)
            .bind(&c.throttles)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    let stale: Vec<(i64, String)> = sqlx::query_as(
        "SELECT u.id, u.email FROM users u WHERE u.confirmed_at IS NULL AND u.created_at < $1 \
           AND NOT EXISTS (SELECT 1 FROM reservations WHERE user_id = u.id) \
           AND NOT EXISTS (SELECT 1 FROM waitlist WHERE user_id = u.id) \
           AND NOT EXISTS (SELECT 1 FROM training_registrations WHERE user_id = u.id) \
           AND NOT EXISTS (SELECT 1 FROM training_session_trainers WHERE user_id = u.id) \
           AND NOT EXISTS (SELECT 1 FROM qualifications \
                           WHERE user_id = u.id OR granted_by = u.id OR revoked_by = u.id) \
           AND NOT EXISTS (SELECT 1 FROM csv_uploads WHERE user_id = u.id) \
           AND NOT EXISTS (SELECT 1 FROM loan_lines WHERE handed_out_by = u.id OR returned_by = u.id) \
           AND NOT EXISTS (SELECT 1 FROM maintenance_tickets WHERE opened_by = u.id OR closed_by = u.id)",
    )
    .bind(&c.unconfirmed)
    .fetch_all(&mut *conn)
    .await?;
    for (id, email) in &stale {
        sqlx::query(
            "UPDATE audit_log SET actor_id = NULL, detail = '' \
             WHERE actor_id = $1 OR subject = 'user:' || $2",
        )
        .bind(id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM outbox WHERE to_addr = $1")
            .bind(email)
            .execute(&mut *conn)
            .await?;
        // Roles, sessions, tokens and feeds go with the account (ON DELETE CASCADE).
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Removed {
        mails,
        sessions,
        throttles,
        unconfirmed: stale.len() as u64,
        ..Removed::default()
    })
}

/// A value of any column as text (`None`: NULL).
fn cell(row: &sqlx::any::AnyRow, i: usize) -> Option<String> {
    use sqlx::Row;
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return v.map(|v| v.to_string());
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return v.map(|v| v.to_string());
    }
    row.try_get::<Option<String>, _>(i).ok().flatten()
}

impl super::Db {
    /// The rows of every table in `plan` that are about a person (by id or address), in
    /// one read transaction so the export is one consistent picture.
    pub async fn personal_data(
        &self,
        user: leenpunt_shared::UserId,
        email: &str,
        plan: &[crate::domain::privacy::ExportQuery],
    ) -> DbResult<Vec<leenpunt_shared::privacy::PersonalTable>> {
        let mut conn = self.read().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let mut tables = Vec::new();
        for q in plan {
            // Identifiers come from the built-in inventory (checked to be plain names).
            let mut sql = crate::db::SqlBuilder::new(format!(
                "SELECT {} FROM {} WHERE 1 = 0",
                q.columns.join(", "),
                q.table
            ));
            for c in &q.by_user {
                sql.push(format!(" OR {c} = ")).push_bind(user.0);
            }
            for c in &q.by_email {
                sql.push(format!(" OR {c} = ")).push_bind(email.to_owned());
            }
            if q.by_subject {
                sql.push(" OR subject = ")
                    .push_bind(format!("user:{}", user.0));
            }
            sql.push(" ORDER BY 1");
            let rows = sql.build().fetch_all(&mut *tx).await?;
            if rows.is_empty() {
                continue;
            }
            tables.push(leenpunt_shared::privacy::PersonalTable {
                table: q.table.clone(),
                columns: q.columns.clone(),
                rows: rows
                    .iter()
                    .map(|r| (0..q.columns.len()).map(|i| cell(r, i)).collect())
                    .collect(),
            });
        }
        tx.commit().await?;
        Ok(tables)
    }
}
