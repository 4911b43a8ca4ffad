//! Training types.

use super::*;

/// A training type as the services need it.
#[derive(Debug, Clone)]
pub struct TrainingRow {
    pub id: TrainingTypeId,
    pub partner: PartnerId,
    pub title: String,
    pub validity_months: Option<u32>,
}

pub(super) fn select_training(e: crate::db::Engine) -> String {
    format!(
        "SELECT t.id, t.slug, t.title, t.description, p.name, p.slug, \
           t.duration_minutes, t.validity_months, \
           (SELECT {} FROM kit_type_trainings kt \
              JOIN kit_types k ON k.id = kt.kit_type_id WHERE kt.training_type_id = t.id), \
           t.partner_id \
         FROM training_types t JOIN partners p ON p.id = t.partner_id",
        e.json_rows("k.slug, k.title")
    )
}

pub(super) fn training(r: &sqlx::any::AnyRow) -> Training {
    let mut unlocks: Vec<(String, String)> = r
        .get::<Option<String>, _>(8)
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    unlocks.sort_by(|a, b| a.1.cmp(&b.1));
    Training {
        id: TrainingTypeId(r.get(0)),
        slug: r.get(1),
        title: r.get(2),
        description: r.get(3),
        partner: r.get(4),
        partner_slug: r.get(5),
        duration_minutes: r.get::<i64, _>(6) as u32,
        validity_months: r.get::<Option<i64>, _>(7).map(|m| m as u32),
        unlocks,
    }
}

impl Db {
    /// Training types, by title; only one partner's when given.
    pub async fn trainings(&self, partner: Option<PartnerId>) -> DbResult<Vec<Training>> {
        let sql = format!(
            "{} WHERE ($1 IS NULL OR t.partner_id = $2) ORDER BY t.title, t.id",
            select_training(self.engine())
        );
        let p = partner.map(|p| p.0);
        Ok(sqlx::query(&sql)
            .bind(p)
            .bind(p)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(training)
            .collect())
    }

    pub async fn training(&self, slug: &str) -> DbResult<Option<(Training, PartnerId)>> {
        let sql = format!("{} WHERE t.slug = $1", select_training(self.engine()));
        Ok(sqlx::query(&sql)
            .bind(slug)
            .fetch_optional(self.pool())
            .await?
            .map(|r| (training(&r), PartnerId(r.get(9)))))
    }
}

pub async fn training_row(conn: &mut AnyConnection, slug: &str) -> DbResult<Option<TrainingRow>> {
    Ok(sqlx::query(
        "SELECT id, partner_id, title, validity_months FROM training_types WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| TrainingRow {
        id: TrainingTypeId(r.get(0)),
        partner: PartnerId(r.get(1)),
        title: r.get(2),
        validity_months: r.get::<Option<i64>, _>(3).map(|m| m as u32),
    }))
}

/// A new or changed training type.
pub struct TrainingValues<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub duration_minutes: u32,
    pub validity_months: Option<u32>,
}

pub async fn insert_training(
    conn: &mut AnyConnection,
    partner: PartnerId,
    slug: &str,
    v: &TrainingValues<'_>,
) -> DbResult<TrainingTypeId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO training_types (partner_id, slug, title, description, duration_minutes, \
         validity_months) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(partner.0)
    .bind(slug)
    .bind(v.title)
    .bind(v.description)
    .bind(i64::from(v.duration_minutes))
    .bind(v.validity_months.map(i64::from))
    .fetch_one(&mut *conn)
    .await
    .map_err(classify)?;
    Ok(TrainingTypeId(id))
}

pub async fn update_training(
    conn: &mut AnyConnection,
    id: TrainingTypeId,
    v: &TrainingValues<'_>,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE training_types SET title = $1, description = $2, duration_minutes = $3, \
         validity_months = $4 WHERE id = $5",
    )
    .bind(v.title)
    .bind(v.description)
    .bind(i64::from(v.duration_minutes))
    .bind(v.validity_months.map(i64::from))
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether a training type is required by a kit type or has sessions or holders (then it
/// cannot be deleted).
pub async fn training_in_use(conn: &mut AnyConnection, id: TrainingTypeId) -> DbResult<bool> {
    Ok(sqlx::query_scalar::<_, crate::db::Flag>(
        "SELECT EXISTS (SELECT 1 FROM kit_type_trainings WHERE training_type_id = $1) \
             OR EXISTS (SELECT 1 FROM training_sessions WHERE training_type_id = $1) \
             OR EXISTS (SELECT 1 FROM qualifications WHERE training_type_id = $1)",
    )
    .bind(id.0)
    .fetch_one(&mut *conn)
    .await?
    .0)
}

pub async fn delete_training(conn: &mut AnyConnection, id: TrainingTypeId) -> DbResult<()> {
    sqlx::query("DELETE FROM training_types WHERE id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
