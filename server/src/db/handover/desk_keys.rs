//! The desk's idempotency keys: the first answer to a keyed scan, kept a week.

use super::*;

/// Which desk write an idempotency key was used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskWrite {
    HandOver,
    Return,
}

impl DeskWrite {
    fn code(self) -> &'static str {
        match self {
            DeskWrite::HandOver => "handover",
            DeskWrite::Return => "return",
        }
    }
}

/// The first answer given to a desk scan with this key: (operation and fingerprint of the
/// scan, the answer's JSON). In a transaction on PostgreSQL the key is locked first, so
/// replays of one scan arriving at once take turns and the later ones find the first
/// answer (without it, a replay raced the first scan and was refused 409 as "another desk
/// scanned this unit", `api_traffic`).
#[tracing::instrument(skip(conn, key))]
pub async fn desk_answer(
    conn: &mut AnyConnection,
    user: UserId,
    key: &str,
) -> DbResult<Option<(String, String)>> {
    crate::db::lock_names(conn, &[&format!("desk_idempotency:{}:{key}", user.0)]).await?;
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT operation, fingerprint, answer FROM desk_idempotency WHERE user_id = $1 AND key = $2",
    )
    .bind(user.0)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(op, fingerprint, answer)| (format!("{op}:{fingerprint}"), answer)))
}

/// Keeps the answer to a desk scan under its key, in the scan's transaction.
#[tracing::instrument(skip(conn, key, fingerprint, answer))]
pub async fn keep_desk_answer(
    conn: &mut AnyConnection,
    user: UserId,
    key: &str,
    write: DeskWrite,
    fingerprint: &str,
    answer: &str,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO desk_idempotency (user_id, key, operation, fingerprint, answer, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user.0)
    .bind(key)
    .bind(write.code())
    .bind(fingerprint)
    .bind(answer)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(classify)?;
    Ok(())
}

/// The fingerprint form [`desk_answer`] compares with: `operation:fingerprint`.
pub fn desk_fingerprint(write: DeskWrite, fingerprint: &str) -> String {
    format!("{}:{fingerprint}", write.code())
}

/// Forgets desk idempotency keys made before `before` (RFC 3339).
#[tracing::instrument(skip(conn))]
pub async fn forget_desk_answers(conn: &mut AnyConnection, before: &str) -> DbResult<u64> {
    Ok(
        sqlx::query("DELETE FROM desk_idempotency WHERE created_at < $1")
            .bind(before)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

/// Whether some desk idempotency key was made before `before`.
pub async fn has_desk_answers_before(conn: &mut AnyConnection, before: &str) -> DbResult<bool> {
    let found: crate::db::Flag =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM desk_idempotency WHERE created_at < $1)")
            .bind(before)
            .fetch_one(&mut *conn)
            .await?;
    Ok(found.0)
}
