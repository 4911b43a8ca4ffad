//! Hand-over storage: unit labels, loan lines, maintenance tickets, the desk's day.

use super::reservations::{record, select_record, ReservationRecord};
use super::{classify, Db, DbResult};
use crate::domain::handover::{Line, LoanView, UnitView};
use crate::domain::tags::TagCode;
use chrono::NaiveDate;
use leenpunt_shared::handover::{LoanLine, UnitInfo};
use leenpunt_shared::*;
use sqlx::{AnyConnection, Row};

mod desk_keys;
mod loans;
mod overdue;
mod requests;
mod tags;
mod tickets;

pub use desk_keys::*;
pub use loans::*;
pub use overdue::*;
pub use requests::*;
pub use tags::*;
pub use tickets::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").unwrap_or_default()
}

/// A unit with what the rules and the policy need.
#[derive(Debug, Clone)]
pub struct UnitRecord {
    pub info: UnitInfo,
    pub view: UnitView,
    pub partner: PartnerId,
}

pub(crate) const SELECT_UNIT: &str = "SELECT u.id, u.inventory_code, \
       (SELECT code FROM unit_tags t WHERE t.unit_id = u.id AND t.retired_at IS NULL), \
       k.slug, k.title, p.name, u.status, \
       (SELECT reservation_id FROM loan_lines l WHERE l.unit_id = u.id AND l.returned_at IS NULL), \
       k.id, k.partner_id \
     FROM units u JOIN kit_types k ON k.id = u.kit_type_id JOIN partners p ON p.id = k.partner_id";

pub(crate) fn unit(r: &sqlx::any::AnyRow) -> UnitRecord {
    let id = UnitId(r.get(0));
    let status: String = r.get(6);
    let open_loan = r.get::<Option<i64>, _>(7).map(ReservationId);
    UnitRecord {
        info: UnitInfo {
            id,
            inventory_code: r.get(1),
            label: r
                .get::<Option<String>, _>(2)
                .and_then(|c| TagCode::parse(&c).ok())
                .map(|c| c.to_string()),
            kit_slug: r.get(3),
            kit_title: r.get(4),
            partner: r.get(5),
            status: status.clone(),
            open_loan,
        },
        view: UnitView {
            id,
            kit_type: KitTypeId(r.get(8)),
            status: UnitStatus::parse(&status).unwrap_or(UnitStatus::Retired),
            open_loan,
        },
        partner: PartnerId(r.get(9)),
    }
}

pub async fn unit_by_id(conn: &mut AnyConnection, id: UnitId) -> DbResult<Option<UnitRecord>> {
    let sql = format!("{SELECT_UNIT} WHERE u.id = $1");
    Ok(sqlx::query(&sql)
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(unit))
}

/// The unit with this inventory code (as written on the kit; case and surrounding spaces
/// do not matter).
pub async fn unit_by_inventory_code(
    conn: &mut AnyConnection,
    code: &str,
) -> DbResult<Option<UnitRecord>> {
    let sql = format!(
        "{SELECT_UNIT} WHERE {} ORDER BY u.id LIMIT 1",
        crate::db::Engine::of(conn).eq_nocase("u.inventory_code", "$1")
    );
    Ok(sqlx::query(&sql)
        .bind(code.trim())
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(unit))
}

/// The contents list of a kit type: (part, expected count).
pub async fn parts(conn: &mut AnyConnection, kit: KitTypeId) -> DbResult<Vec<(String, u32)>> {
    Ok(sqlx::query_as::<_, (String, i64)>(
        "SELECT name, expected_count FROM kit_parts WHERE kit_type_id = $1 ORDER BY position",
    )
    .bind(kit.0)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(n, c)| (n, c.max(0) as u32))
    .collect())
}

const SELECT_LINE: &str = "SELECT l.reservation_id, un.inventory_code, k.title, u.name, s.name, \
       l.handed_out_at, ho.name, l.returned_at, rb.name, l.late, l.damage_note, l.parts_counted, \
       l.override_reason \
     FROM loan_lines l JOIN units un ON un.id = l.unit_id \
     JOIN reservations r ON r.id = l.reservation_id JOIN kit_types k ON k.id = r.kit_type_id \
     JOIN users u ON u.id = r.user_id JOIN schools s ON s.id = r.school_id \
     LEFT JOIN users ho ON ho.id = l.handed_out_by LEFT JOIN users rb ON rb.id = l.returned_by";

fn line(r: &sqlx::any::AnyRow) -> LoanLine {
    LoanLine {
        reservation: ReservationId(r.get(0)),
        unit: r.get(1),
        kit_title: r.get(2),
        borrower: r.get(3),
        school: r.get(4),
        handed_out_at: r.get(5),
        handed_out_by: r.get(6),
        returned_at: r.get(7),
        returned_by: r.get(8),
        late: r.get::<crate::db::Flag, _>(9).0,
        damage_note: r.get(10),
        parts_counted: r
            .get::<Option<String>, _>(11)
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default(),
        override_reason: r.get(12),
    }
}

pub async fn lines_of_reservation(
    conn: &mut AnyConnection,
    id: ReservationId,
) -> DbResult<Vec<LoanLine>> {
    let sql = format!("{SELECT_LINE} WHERE l.reservation_id = $1 ORDER BY l.id");
    Ok(sqlx::query(&sql)
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(line)
        .collect())
}

impl Db {
    /// A unit's history: every hand-over and return, newest first.
    pub async fn unit_history(&self, unit: UnitId) -> DbResult<Vec<LoanLine>> {
        let sql = format!("{SELECT_LINE} WHERE l.unit_id = $1 ORDER BY l.id DESC LIMIT 200");
        Ok(sqlx::query(&sql)
            .bind(unit.0)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(line)
            .collect())
    }

    /// The units of some partners' kit types (one kit type when given), for labels.
    pub async fn units_for_labels(
        &self,
        partners: Option<&[PartnerId]>,
        kit: Option<&str>,
    ) -> DbResult<Vec<UnitRecord>> {
        let mut q = crate::db::SqlBuilder::new(SELECT_UNIT);
        q.push(" WHERE u.status <> 'afgevoerd'");
        if let Some(partners) = partners {
            super::push_in(&mut q, "k.partner_id", partners.iter().map(|x| x.0));
        }
        if let Some(kit) = kit {
            q.push(" AND k.slug = ").push_bind(kit.to_owned());
        }
        q.push(" ORDER BY k.title, u.inventory_code LIMIT 5000");
        Ok(q.build()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(unit)
            .collect())
    }

    /// Units in maintenance (of some partners), the first 100 by kit type.
    pub async fn units_in_maintenance(
        &self,
        partners: Option<&[PartnerId]>,
    ) -> DbResult<Vec<UnitInfo>> {
        let mut q = crate::db::SqlBuilder::new(SELECT_UNIT);
        q.push(" WHERE u.status = 'onderhoud'");
        if let Some(partners) = partners {
            super::push_in(&mut q, "k.partner_id", partners.iter().map(|x| x.0));
        }
        q.push(" ORDER BY k.title, u.inventory_code LIMIT 100");
        let mut conn = self.read().await?;
        Ok(q.build()
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| unit(r).info)
            .collect())
    }

    /// Units by id (for a label sheet), in the given order, skipping unknown ones.
    pub async fn units_by_ids(&self, ids: &[UnitId]) -> DbResult<Vec<UnitRecord>> {
        let mut conn = self.pool().acquire().await?;
        let mut out = Vec::new();
        for id in ids {
            if let Some(u) = unit_by_id(&mut conn, *id).await? {
                out.push(u);
            }
        }
        Ok(out)
    }

    /// The desk's day for some partners: reservations to hand over (from a week back to
    /// today; also those picked up in part and not past their return day) and loans due
    /// back today or earlier, each with how many units were handed over.
    pub async fn desk_day(
        &self,
        partners: Option<&[PartnerId]>,
        today: NaiveDate,
    ) -> DbResult<Vec<(ReservationRecord, u32)>> {
        let (day, week_ago) = (
            today.to_string(),
            (today - chrono::Duration::days(7)).to_string(),
        );
        let mut q = crate::db::SqlBuilder::new(select_record(self.engine()));
        q.push(" WHERE ((r.pickup_date <= ")
            .push_bind(day.clone())
            .push(" AND r.pickup_date >= ")
            .push_bind(week_ago)
            .push(" AND (r.status = 'bevestigd' OR (r.status = 'afgehaald' AND r.return_date >= ")
            .push_bind(day.clone())
            .push(
                " AND (SELECT count(*) FROM loan_lines l WHERE l.reservation_id = r.id) \
                 < r.quantity)))",
            )
            .push(" OR (r.status = 'afgehaald' AND r.return_date <= ")
            .push_bind(day)
            .push("))");
        if let Some(partners) = partners {
            super::push_in(&mut q, "k.partner_id", partners.iter().map(|x| x.0));
        }
        q.push(" ORDER BY r.pickup_date, r.id LIMIT 1000");
        let mut conn = self.pool().acquire().await?;
        let records: Vec<ReservationRecord> = q
            .build()
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(record)
            .collect();
        let mut out = Vec::with_capacity(records.len());
        for r in records {
            let handed: i64 =
                sqlx::query_scalar("SELECT count(*) FROM loan_lines WHERE reservation_id = $1")
                    .bind(r.view.id.0)
                    .fetch_one(&mut *conn)
                    .await?;
            out.push((r, u32::try_from(handed).unwrap_or(u32::MAX)));
        }
        Ok(out)
    }
}
