//! Closed periods of the pickup points (and the pickup point lookup their screen uses).

use super::booking::day;
use crate::db::{Db, DbResult};
use crate::domain::reservations::ClosedPeriod;
use chrono::NaiveDate;
use leenpunt_shared::*;
use sqlx::AnyConnection;

impl Db {
    /// Adds a closed period (for every pickup point when `point` is `None`).
    pub async fn add_closed_period(
        &self,
        point: Option<PickupPointId>,
        period: &ClosedPeriod,
    ) -> DbResult<i64> {
        let mut conn = self.writer().acquire().await?;
        Ok(insert_closed_period(&mut conn, point, period).await?.0)
    }

    /// Closed periods touching `[from, to]`, by first day; with the pickup point's slug
    /// (`None`: every pickup point) and its partner.
    pub async fn closed_periods_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> DbResult<Vec<ClosedPeriodRow>> {
        let rows = sqlx::query_as::<
            _,
            (
                i64,
                Option<String>,
                Option<String>,
                Option<i64>,
                String,
                String,
                String,
            ),
        >(
            "SELECT c.id, pp.slug, pp.name, pp.partner_id, c.first_day, c.last_day, c.reason \
             FROM closed_periods c LEFT JOIN pickup_points pp ON pp.id = c.pickup_point_id \
             WHERE c.last_day >= $1 AND c.first_day <= $2 ORDER BY c.first_day, c.id",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, slug, name, partner, first, last, reason)| ClosedPeriodRow {
                    id,
                    pickup_point: slug,
                    pickup_point_name: name,
                    partner: partner.map(PartnerId),
                    period: ClosedPeriod {
                        first: day(&first),
                        last: day(&last),
                        reason,
                    },
                },
            )
            .collect())
    }

    /// One closed period's pickup point partner (`Some(None)`: every pickup point).
    pub async fn closed_period_scope(&self, id: i64) -> DbResult<Option<Option<PartnerId>>> {
        Ok(sqlx::query_as::<_, (Option<i64>,)>(
            "SELECT pp.partner_id FROM closed_periods c LEFT JOIN pickup_points pp ON pp.id = c.pickup_point_id WHERE c.id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .map(|(p,)| p.map(PartnerId)))
    }

    /// A pickup point by slug, with its partner.
    pub async fn pickup_point_by_slug(
        &self,
        slug: &str,
    ) -> DbResult<Option<(PickupPointId, PartnerId)>> {
        Ok(sqlx::query_as::<_, (i64, i64)>(
            "SELECT id, partner_id FROM pickup_points WHERE slug = $1",
        )
        .bind(slug)
        .fetch_optional(self.pool())
        .await?
        .map(|(id, partner)| (PickupPointId(id), PartnerId(partner))))
    }

    pub async fn closed_period_count(&self) -> DbResult<i64> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM closed_periods")
            .fetch_one(self.pool())
            .await?)
    }
}

/// A stored closed period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedPeriodRow {
    pub id: i64,
    pub pickup_point: Option<String>,
    pub pickup_point_name: Option<String>,
    pub partner: Option<PartnerId>,
    pub period: ClosedPeriod,
}

/// Adds a closed period unless the same one exists; returns its id and whether it is new.
/// Removes a closed period.
pub async fn delete_closed_period(conn: &mut AnyConnection, id: i64) -> DbResult<()> {
    sqlx::query("DELETE FROM closed_periods WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_closed_period(
    conn: &mut AnyConnection,
    point: Option<PickupPointId>,
    period: &ClosedPeriod,
) -> DbResult<(i64, bool)> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM closed_periods WHERE pickup_point_id IS NOT DISTINCT FROM $1 AND first_day = $2 AND last_day = $3",
    )
    .bind(point.map(|p| p.0))
    .bind(period.first.to_string())
    .bind(period.last.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = existing {
        sqlx::query("UPDATE closed_periods SET reason = $1 WHERE id = $2")
            .bind(&period.reason)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        return Ok((id, false));
    }
    let id = sqlx::query_scalar(
        "INSERT INTO closed_periods (pickup_point_id, first_day, last_day, reason) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(point.map(|p| p.0))
    .bind(period.first.to_string())
    .bind(period.last.to_string())
    .bind(&period.reason)
    .fetch_one(&mut *conn)
    .await?;
    Ok((id, true))
}
