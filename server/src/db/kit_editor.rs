//! What the kit editor offers to choose from: pickup points and training types with the
//! partner service each belongs to.

use super::{Db, DbResult};

/// A register entry the kit editor offers: (slug, name, partner slug, partner name).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RegisterChoice {
    pub slug: String,
    pub name: String,
    pub partner: String,
    pub partner_name: String,
}

impl Db {
    /// Every pickup point with its partner service, by partner and name.
    #[tracing::instrument(skip(self))]
    pub async fn pickup_point_choices(&self) -> DbResult<Vec<RegisterChoice>> {
        Ok(sqlx::query_as(
            "SELECT pp.slug, pp.name, p.slug AS partner, p.name AS partner_name \
             FROM pickup_points pp JOIN partners p ON p.id = pp.partner_id ORDER BY p.name, pp.name",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// Every training type with its partner service, by partner and title.
    #[tracing::instrument(skip(self))]
    pub async fn training_choices(&self) -> DbResult<Vec<RegisterChoice>> {
        Ok(sqlx::query_as(
            "SELECT t.slug, t.title AS name, p.slug AS partner, p.name AS partner_name \
             FROM training_types t JOIN partners p ON p.id = t.partner_id ORDER BY p.name, t.title",
        )
        .fetch_all(self.pool())
        .await?)
    }
}
