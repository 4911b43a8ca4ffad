//! The managers' home (`/beheer`): counts of what needs attention, and label printing.

use super::{Db, DbResult};
use chrono::NaiveDate;
use leenpunt_shared::admin::Overview;
use leenpunt_shared::{PartnerId, UnitId};

/// One count over rows joined to their kit type `k`, limited to some partners.
async fn count(
    conn: &mut super::Conn,
    sql: &str,
    day: Option<&str>,
    partners: Option<&[PartnerId]>,
) -> DbResult<u32> {
    let mut q = crate::db::SqlBuilder::new(sql);
    if let Some(day) = day {
        q.push_bind(day.to_owned());
    }
    if let Some(partners) = partners {
        super::push_in(&mut q, "k.partner_id", partners.iter().map(|p| p.0));
    }
    let n: i64 = q.build_query_scalar().fetch_one(&mut *conn).await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

impl Db {
    /// What needs a manager's attention on `today`, for some partners (`None`: all).
    pub async fn overview(
        &self,
        partners: Option<&[PartnerId]>,
        today: NaiveDate,
    ) -> DbResult<Overview> {
        let mut conn = self.read().await?;
        let today = today.to_string();
        Ok(Overview {
            awaiting_approval: count(
                &mut conn,
                "SELECT count(*) FROM reservations r JOIN kit_types k ON k.id = r.kit_type_id \
                 WHERE r.status = 'aangevraagd'",
                None,
                partners,
            )
            .await?,
            in_maintenance: count(
                &mut conn,
                "SELECT count(*) FROM units u JOIN kit_types k ON k.id = u.kit_type_id \
                 WHERE u.status = 'onderhoud'",
                None,
                partners,
            )
            .await?,
            overdue: count(
                &mut conn,
                "SELECT count(*) FROM reservations r JOIN kit_types k ON k.id = r.kit_type_id \
                 WHERE r.status = 'afgehaald' AND r.return_date < ",
                Some(&today),
                partners,
            )
            .await?,
            labels_unprinted: count(
                &mut conn,
                "SELECT count(*) FROM unit_tags t JOIN units u ON u.id = t.unit_id \
                 JOIN kit_types k ON k.id = u.kit_type_id \
                 WHERE t.retired_at IS NULL AND t.printed_at IS NULL AND u.status <> 'afgevoerd'",
                None,
                partners,
            )
            .await?,
            maintenance: self.units_in_maintenance(partners).await?,
        })
    }

    /// Units (of some partners) whose current label was never put on a sheet.
    pub async fn unprinted_labels(&self, partners: Option<&[PartnerId]>) -> DbResult<Vec<UnitId>> {
        let mut q = crate::db::SqlBuilder::new(
            "SELECT u.id FROM unit_tags t JOIN units u ON u.id = t.unit_id \
             JOIN kit_types k ON k.id = u.kit_type_id \
             WHERE t.retired_at IS NULL AND t.printed_at IS NULL AND u.status <> 'afgevoerd'",
        );
        if let Some(partners) = partners {
            super::push_in(&mut q, "k.partner_id", partners.iter().map(|p| p.0));
        }
        q.push(" ORDER BY u.id LIMIT 5000");
        let mut conn = self.read().await?;
        let ids: Vec<i64> = q.build_query_scalar().fetch_all(&mut *conn).await?;
        Ok(ids.into_iter().map(UnitId).collect())
    }

    /// Records that these labels were put on a sheet for printing (the first time counts).
    pub async fn mark_labels_printed(&self, codes: &[String], now: &str) -> DbResult<()> {
        if codes.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        for chunk in codes.chunks(500) {
            let mut q = crate::db::SqlBuilder::new("UPDATE unit_tags SET printed_at = ");
            q.push_bind(now.to_owned())
                .push(" WHERE printed_at IS NULL AND code IN (");
            let mut list = q.separated(", ");
            for code in chunk {
                list.push_bind(code.clone());
            }
            q.push(")");
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
