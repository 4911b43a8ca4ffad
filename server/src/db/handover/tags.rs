//! QR labels: giving units a label, retiring one, finding a unit by its code.

use super::*;

/// Gives every unit without a current label one (random codes; a rare clash is retried).
/// Returns how many labels were made.
pub async fn ensure_tags(conn: &mut AnyConnection, now: &str) -> DbResult<usize> {
    let units: Vec<i64> = sqlx::query_scalar(
        "SELECT u.id FROM units u WHERE NOT EXISTS \
         (SELECT 1 FROM unit_tags t WHERE t.unit_id = u.id AND t.retired_at IS NULL) ORDER BY u.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for unit in &units {
        insert_tag(conn, UnitId(*unit), now).await?;
    }
    Ok(units.len())
}

impl Db {
    /// Gives every unit without a label one (at start-up and before printing labels).
    pub async fn ensure_tags(&self, now: &str) -> DbResult<usize> {
        let mut tx = self.begin().await?;
        let made = ensure_tags(&mut tx, now).await?;
        tx.commit().await?;
        Ok(made)
    }
}

/// Issues a new label code for a unit (the caller retires the old one first).
pub async fn insert_tag(conn: &mut AnyConnection, unit: UnitId, now: &str) -> DbResult<TagCode> {
    loop {
        let code = TagCode::generate(&mut rand::rng());
        let inserted = sqlx::query(
            "INSERT INTO unit_tags (code, unit_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING",
        )
        .bind(code.as_str())
        .bind(unit.0)
        .bind(now)
        .execute(&mut *conn)
        .await
        .map_err(classify)?;
        if inserted.rows_affected() == 1 {
            return Ok(code);
        }
    }
}

/// Retires a unit's current label.
pub async fn retire_tag(conn: &mut AnyConnection, unit: UnitId, now: &str) -> DbResult<()> {
    sqlx::query("UPDATE unit_tags SET retired_at = $1 WHERE unit_id = $2 AND retired_at IS NULL")
        .bind(now)
        .bind(unit.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The unit a label code belongs to, and whether that label was replaced.
pub async fn tag(conn: &mut AnyConnection, code: &TagCode) -> DbResult<Option<(UnitId, bool)>> {
    Ok(
        sqlx::query("SELECT unit_id, retired_at IS NOT NULL FROM unit_tags WHERE code = $1")
            .bind(code.as_str())
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| (UnitId(r.get(0)), r.get::<crate::db::Flag, _>(1).0)),
    )
}
