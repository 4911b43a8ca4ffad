//! Refused forms kept for a while (`form_drafts`), so they come back filled in on any
//! server instance.

use super::{Db, DbResult};
use leenpunt_shared::UserId;

/// A stored draft: what was typed and the messages, both as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDraft {
    pub fields: String,
    pub errors: String,
}

impl Db {
    /// Stores a draft in one transaction, after removing the drafts kept since before
    /// `expired_before` and, past `per_owner - 1`, the owner's oldest ones.
    #[tracing::instrument(skip(self, draft))]
    pub async fn keep_draft(
        &self,
        id_hash: &str,
        owner: UserId,
        draft: &StoredDraft,
        now: &str,
        expired_before: &str,
        per_owner: u32,
    ) -> DbResult<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM form_drafts WHERE created_at < $1")
            .bind(expired_before)
            .execute(&mut *tx)
            .await?;
        let sql = format!(
            "DELETE FROM form_drafts WHERE owner_id = $1 AND id_hash NOT IN \
             (SELECT id_hash FROM form_drafts WHERE owner_id = $2 \
              ORDER BY created_at DESC, {} DESC LIMIT $3)",
            self.engine().insertion_order()
        );
        sqlx::query(&sql)
            .bind(owner.0)
            .bind(owner.0)
            .bind(i64::from(per_owner.saturating_sub(1)))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO form_drafts (id_hash, owner_id, created_at, fields, errors) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id_hash)
        .bind(owner.0)
        .bind(now)
        .bind(&draft.fields)
        .bind(&draft.errors)
        .execute(&mut *tx)
        .await
        .map_err(super::classify)?;
        tx.commit().await?;
        Ok(())
    }

    /// A draft of `owner`'s kept since `not_before` or later.
    #[tracing::instrument(skip(self))]
    pub async fn draft(
        &self,
        id_hash: &str,
        owner: UserId,
        not_before: &str,
    ) -> DbResult<Option<StoredDraft>> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT fields, errors FROM form_drafts \
             WHERE id_hash = $1 AND owner_id = $2 AND created_at >= $3",
        )
        .bind(id_hash)
        .bind(owner.0)
        .bind(not_before)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(fields, errors)| StoredDraft { fields, errors }))
    }
}
