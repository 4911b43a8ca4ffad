//! The outbox and mailed single-use tokens.

use super::{Db, DbResult};
use crate::db::AsInt;
use crate::domain::auth::TokenPurpose;
use crate::domain::mail::Mail;
use leenpunt_shared::UserId;
use sqlx::AnyConnection;

/// A mail as kept in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct OutboxMail {
    pub id: i64,
    #[sqlx(rename = "to_addr")]
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// Queues a mail in the caller's transaction: it is sent exactly when the change commits.
pub async fn enqueue(conn: &mut AnyConnection, mail: &Mail, now: &str) -> DbResult<()> {
    enqueue_kept(conn, mail, now, true).await
}

/// Queues a mail that the outbox deletes as soon as it is sent (`keep` false), so its
/// address is not kept afterwards.
pub async fn enqueue_kept(
    conn: &mut AnyConnection,
    mail: &Mail,
    now: &str,
    keep: bool,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO outbox (to_addr, subject, body, created_at, next_try_at, forget_after_send) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(mail.to.as_str())
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(now)
    .bind(now)
    .bind((!keep).int())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Stores a token's hash for a user.
pub async fn insert_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    user: UserId,
    purpose: TokenPurpose,
    now: &str,
    expires_at: &str,
) -> DbResult<()> {
    sqlx::query("INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token_hash)
        .bind(user.0)
        .bind(purpose.code())
        .bind(now)
        .bind(expires_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A stored token: its user, expiry and whether it was used.
pub async fn find_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: TokenPurpose,
) -> DbResult<Option<(UserId, String, bool)>> {
    let row = sqlx::query_as::<_, (i64, String, Option<String>)>(
        "SELECT user_id, expires_at, used_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2",
    )
    .bind(token_hash)
    .bind(purpose.code())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(user, expires, used)| (UserId(user), expires, used.is_some())))
}

pub async fn use_token(conn: &mut AnyConnection, token_hash: &str, now: &str) -> DbResult<()> {
    sqlx::query("UPDATE email_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(now)
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn confirm_user(conn: &mut AnyConnection, user: UserId, now: &str) -> DbResult<()> {
    sqlx::query("UPDATE users SET confirmed_at = coalesce(confirmed_at, $1) WHERE id = $2")
        .bind(now)
        .bind(user.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Db {
    /// The latest mails, newest first (the development mailbox).
    pub async fn mailbox(&self, limit: u32) -> DbResult<Vec<OutboxMail>> {
        let rows = sqlx::query_as::<_, OutboxMail>(
            "SELECT id, to_addr, subject, body, created_at, sent_at FROM outbox ORDER BY id DESC LIMIT $1",
        )
        .bind(limit.int())
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }
}

impl Db {
    /// Claims the mails due for (another) delivery attempt, oldest first, for this worker:
    /// in one statement their next attempt moves to `lease_until`, so a worker of another
    /// instance polling at the same time does not see them due. A worker that dies before
    /// marking a claimed mail sent or failed leaves it to be tried again after the lease.
    pub async fn claim_due_mails(
        &self,
        now: &str,
        lease_until: &str,
        max_attempts: u32,
        limit: u32,
    ) -> DbResult<Vec<OutboxMail>> {
        // Most polls find nothing: look on a read connection first, so an idle worker
        // does not take the write lock (and delay a booking) every second.
        let super::Flag(any) = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE sent_at IS NULL AND next_try_at <= $1 \
               AND attempts < $2)",
        )
        .bind(now)
        .bind(max_attempts.int())
        .fetch_one(self.pool())
        .await?;
        if !any {
            return Ok(Vec::new());
        }
        let mut tx = self.begin().await?;
        let mut rows = sqlx::query_as::<_, OutboxMail>(
            "UPDATE outbox SET next_try_at = $1 WHERE id IN \
               (SELECT id FROM outbox WHERE sent_at IS NULL AND next_try_at <= $2 \
                  AND attempts < $3 ORDER BY id LIMIT $4) \
             RETURNING id, to_addr, subject, body, created_at, sent_at",
        )
        .bind(lease_until)
        .bind(now)
        .bind(max_attempts.int())
        .bind(limit.int())
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.sort_by_key(|m| m.id);
        Ok(rows)
    }

    pub async fn mark_sent(&self, id: i64, now: &str) -> DbResult<()> {
        sqlx::query("UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Records a failed attempt; the mail is tried again at `next_try_at`.
    pub async fn mark_failed(&self, id: i64, error: &str, next_try_at: &str) -> DbResult<()> {
        sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_try_at = $2 WHERE id = $3")
            .bind(error)
            .bind(next_try_at)
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Delivery attempts made for a mail so far.
    pub async fn mail_attempts(&self, id: i64) -> DbResult<u32> {
        let n: i64 = sqlx::query_scalar("SELECT attempts FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_one(self.pool())
            .await?;
        Ok(n as u32)
    }
}

/// Sets a new password hash, confirms the address (the mail link proved it) and ends every
/// session of the user.
pub async fn set_password(
    conn: &mut AnyConnection,
    user: UserId,
    hash: &str,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, confirmed_at = coalesce(confirmed_at, $2) WHERE id = $3",
    )
    .bind(hash)
    .bind(now)
    .bind(user.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A user's e-mail address.
pub async fn user_email(conn: &mut AnyConnection, user: UserId) -> DbResult<Option<String>> {
    Ok(sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_optional(&mut *conn)
        .await?)
}
