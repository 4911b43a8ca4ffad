//! Uploaded CSV files between preview and confirmation, and the look-ups the browser
//! import needs beside the importer's own (who owns what, the state of units now).

use super::DbResult;
use crate::db::AsInt;
use leenpunt_shared::accounts::UserId;
use leenpunt_shared::csv_import::ImportKind;
use leenpunt_shared::{PartnerId, PickupPointId, UnitStatus};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// A new upload to keep.
pub struct NewUpload<'a> {
    pub token_hash: &'a str,
    pub kind: ImportKind,
    pub user: UserId,
    pub file_name: &'a str,
    pub content: &'a str,
    pub sha256: &'a str,
    pub now: &'a str,
    pub expires_at: &'a str,
    /// Uploads that expired before this moment are removed.
    pub forget_before: &'a str,
}

/// An upload as kept.
#[derive(Debug, Clone)]
pub struct StoredUpload {
    pub id: i64,
    pub kind: ImportKind,
    pub file_name: String,
    pub content: String,
    pub sha256: String,
    pub expires_at: String,
    /// (when, created, updated) once imported.
    pub applied: Option<(String, u32, u32)>,
}

/// Keeps an upload (and forgets long-expired ones). Returns its id.
#[tracing::instrument(skip_all, fields(kind = u.kind.code()))]
pub async fn insert_upload(conn: &mut AnyConnection, u: &NewUpload<'_>) -> DbResult<i64> {
    sqlx::query("DELETE FROM csv_uploads WHERE expires_at < $1")
        .bind(u.forget_before)
        .execute(&mut *conn)
        .await?;
    let id = sqlx::query_scalar(
        "INSERT INTO csv_uploads (token_hash, kind, user_id, file_name, content, content_sha256, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(u.token_hash)
    .bind(u.kind.code())
    .bind(u.user.0)
    .bind(u.file_name)
    .bind(u.content)
    .bind(u.sha256)
    .bind(u.now)
    .bind(u.expires_at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

type UploadRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

/// The upload with this token, if it is this user's. Inside a transaction on PostgreSQL
/// the row is locked until the transaction ends, so two confirmations of one upload take
/// turns and the second finds it applied (as SQLite's single writer makes them; without
/// the lock both imported and the second failed on the new kit's slug).
#[tracing::instrument(skip_all)]
pub async fn upload(
    conn: &mut AnyConnection,
    token_hash: &str,
    user: UserId,
) -> DbResult<Option<StoredUpload>> {
    let lock = super::row_lock(conn).unwrap_or_default();
    let row: Option<UploadRow> = sqlx::query_as(&format!(
        "SELECT id, kind, file_name, content, content_sha256, expires_at, applied_at, created_count, updated_count \
         FROM csv_uploads WHERE token_hash = $1 AND user_id = $2{lock}"
    ))
    .bind(token_hash)
    .bind(user.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.and_then(
        |(id, kind, file_name, content, sha256, expires_at, applied_at, created, updated)| {
            Some(StoredUpload {
                id,
                kind: ImportKind::parse(&kind)?,
                file_name,
                content,
                sha256,
                expires_at,
                applied: applied_at
                    .map(|at| (at, created.unwrap_or(0) as u32, updated.unwrap_or(0) as u32)),
            })
        },
    ))
}

/// Marks an upload imported, unless it already was. Returns whether this call marked it.
pub async fn mark_applied(
    conn: &mut AnyConnection,
    id: i64,
    now: &str,
    created: u32,
    updated: u32,
) -> DbResult<bool> {
    let done = sqlx::query(
        "UPDATE csv_uploads SET applied_at = $1, created_count = $2, updated_count = $3 \
         WHERE id = $4 AND applied_at IS NULL",
    )
    .bind(now)
    .bind(created.int())
    .bind(updated.int())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Partner services by slug.
pub async fn partner_ids(conn: &mut AnyConnection) -> DbResult<HashMap<String, PartnerId>> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT slug, id FROM partners")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|(s, id)| (s, PartnerId(id))).collect())
}

/// Pickup points by slug, with their partner service.
pub async fn pickup_points(
    conn: &mut AnyConnection,
) -> DbResult<HashMap<String, (PickupPointId, PartnerId)>> {
    let rows: Vec<(String, i64, i64)> =
        sqlx::query_as("SELECT slug, id, partner_id FROM pickup_points")
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(s, id, p)| (s, (PickupPointId(id), PartnerId(p))))
        .collect())
}

/// Every kit type's partner service slug, by kit slug.
pub async fn kit_owners(conn: &mut AnyConnection) -> DbResult<HashMap<String, String>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT k.slug, p.slug FROM kit_types k JOIN partners p ON p.id = k.partner_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Every unit's status now, by inventory code.
pub async fn unit_statuses(conn: &mut AnyConnection) -> DbResult<HashMap<String, UnitStatus>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT inventory_code, status FROM units")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(code, status)| Some((code, UnitStatus::parse(&status)?)))
        .collect())
}
