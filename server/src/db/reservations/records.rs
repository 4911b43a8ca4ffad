//! Reservations as stored: reading one or a filtered list, and changing status, return
//! date and the at-risk flag.

use super::booking::HOLDING;
use crate::db::{Db, DbResult};
use chrono::NaiveDate;
use leenpunt_shared::*;
use sqlx::{AnyConnection, Row};

/// Changes the status (and the staff reason), bumping the revision.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: ReservationId,
    status: ReservationStatus,
    reason: Option<&str>,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE reservations SET status = $1, reason = coalesce($2, reason), \
           revision = revision + 1, updated_at = $3 WHERE id = $4",
    )
    .bind(status.code())
    .bind(reason)
    .bind(now)
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Moves the return date (an extension), bumping the revision.
pub async fn set_return(
    conn: &mut AnyConnection,
    id: ReservationId,
    return_date: NaiveDate,
    held_until: NaiveDate,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE reservations SET return_date = $1, held_until = $2, revision = revision + 1, \
           updated_at = $3 WHERE id = $4",
    )
    .bind(return_date.to_string())
    .bind(held_until.to_string())
    .bind(now)
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sets the at-risk flag of a kit type's reservations: on for `risky`, off for the rest.
/// Returns the ids that were newly flagged.
pub async fn flag_at_risk(
    conn: &mut AnyConnection,
    kit: KitTypeId,
    risky: &[i64],
    now: &str,
) -> DbResult<Vec<ReservationId>> {
    let mut newly = Vec::new();
    let sql = format!("SELECT id, at_risk FROM reservations WHERE kit_type_id = $1 AND {HOLDING}");
    let rows = sqlx::query_as::<_, (i64, i64)>(&sql)
        .bind(kit.0)
        .fetch_all(&mut *conn)
        .await?;
    for (id, flagged) in rows {
        let wanted = risky.contains(&id);
        if wanted != (flagged != 0) {
            sqlx::query("UPDATE reservations SET at_risk = $1, revision = revision + 1, updated_at = $2 WHERE id = $3")
                .bind(i64::from(wanted))
                .bind(now)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            if wanted {
                newly.push(ReservationId(id));
            }
        }
    }
    Ok(newly)
}

/// Adds what came back short (parts missing, damage noted) to reservations with returned
/// units.
pub(crate) async fn fill_return_notes(
    conn: &mut AnyConnection,
    records: &mut [ReservationRecord],
) -> DbResult<()> {
    // What came back short, for the reservations that have returned units.
    let returned: Vec<i64> = records
        .iter()
        .filter(|r| {
            matches!(
                r.view.status,
                ReservationStatus::PickedUp | ReservationStatus::Returned
            )
        })
        .map(|r| r.view.id.0)
        .collect();
    if !returned.is_empty() {
        let mut notes = crate::db::SqlBuilder::new(
            "SELECT l.reservation_id, u.inventory_code, l.parts_counted, l.damage_note \
         FROM loan_lines l JOIN units u ON u.id = l.unit_id \
         WHERE l.returned_at IS NOT NULL",
        );
        crate::db::push_in(&mut notes, "l.reservation_id", returned);
        notes.push(" ORDER BY l.id");
        for row in notes.build().fetch_all(&mut *conn).await? {
            let id: i64 = row.get(0);
            let note = crate::domain::handover::return_note(
                row.get(1),
                row.get::<Option<&str>, _>(2).unwrap_or("[]"),
                row.get(3),
            );
            if let (Some(note), Some(r)) = (note, records.iter_mut().find(|r| r.view.id.0 == id)) {
                r.view.return_notes.push(note);
            }
        }
    }
    Ok(())
}

/// A reservation with the ids the rules and the policy need.
#[derive(Debug, Clone)]
pub struct ReservationRecord {
    pub view: Reservation,
    pub kit: KitTypeId,
    pub partner: PartnerId,
    pub point: PickupPointId,
    pub school: SchoolId,
    pub user: UserId,
    pub user_email: String,
    pub user_lang: Lang,
    pub revision: i64,
    pub updated_at: String,
}

/// The columns of a reservation record (read by [`record`]), up to its `FROM … JOIN`s.
pub(crate) fn select_record(e: crate::db::Engine) -> String {
    format!(
        "{RECORD_COLUMNS} (SELECT {} {RECORD_FROM}",
        e.json_rows("s.id, t.title, s.starts_at")
    )
}

const RECORD_COLUMNS: &str = "SELECT r.id, r.status, k.slug, k.title, p.name, pp.name, \
       pp.street || ', ' || pp.postcode || ' ' || pp.municipality, s.name, u.name, r.quantity, \
       r.pickup_date, r.return_date, r.held_until, r.note, r.reason, r.at_risk, r.created_at, \
       r.kit_type_id, k.partner_id, r.pickup_point_id, r.school_id, r.user_id, u.email, u.lang, \
       r.revision, r.updated_at, r.offer_expires_at, \
       ";

/// The conditions' JSON (after its aggregate) and the joins of [`select_record`].
const RECORD_FROM: &str = "FROM reservation_conditions c \
          JOIN training_sessions s ON s.id = c.session_id \
          JOIN training_types t ON t.id = s.training_type_id WHERE c.reservation_id = r.id) \
     FROM reservations r \
     JOIN kit_types k ON k.id = r.kit_type_id \
     JOIN partners p ON p.id = k.partner_id \
     JOIN pickup_points pp ON pp.id = r.pickup_point_id \
     JOIN schools s ON s.id = r.school_id \
     JOIN users u ON u.id = r.user_id";

/// The training sessions a conditional reservation waits for, from their JSON column.
fn conditions(json: Option<&str>) -> Vec<ReservationCondition> {
    json.and_then(|j| serde_json::from_str::<Vec<(i64, String, String)>>(j).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|(session, training, starts_at)| ReservationCondition {
            session,
            training,
            day: leenpunt_shared::time::brussels_local(&starts_at)
                .map(|(day, _)| day)
                .unwrap_or_default(),
        })
        .collect()
}

pub(crate) fn record(r: &sqlx::any::AnyRow) -> ReservationRecord {
    ReservationRecord {
        view: Reservation {
            id: ReservationId(r.get(0)),
            status: ReservationStatus::parse(r.get::<&str, _>(1))
                .unwrap_or(ReservationStatus::Cancelled),
            kit_slug: r.get(2),
            kit_title: r.get(3),
            partner: r.get(4),
            pickup_point: r.get(5),
            pickup_point_address: r.get(6),
            school: r.get(7),
            borrower: r.get(8),
            quantity: r.get::<i64, _>(9) as u32,
            pickup_date: r.get(10),
            return_date: r.get(11),
            held_until: r.get(12),
            note: r.get(13),
            reason: r.get(14),
            at_risk: r.get::<crate::db::Flag, _>(15).0,
            created_at: r.get(16),
            offer_expires_at: r.get(26),
            waiting_for: conditions(r.get::<Option<&str>, _>(27)),
            return_notes: Vec::new(),
        },
        kit: KitTypeId(r.get(17)),
        partner: PartnerId(r.get(18)),
        point: PickupPointId(r.get(19)),
        school: SchoolId(r.get(20)),
        user: UserId(r.get(21)),
        user_email: r.get(22),
        user_lang: Lang::parse(r.get::<&str, _>(23)).unwrap_or_default(),
        revision: r.get(24),
        updated_at: r.get(25),
    }
}

pub async fn record_by_id(
    conn: &mut AnyConnection,
    id: ReservationId,
) -> DbResult<Option<ReservationRecord>> {
    let sql = format!(
        "{} WHERE r.id = $1",
        select_record(crate::db::Engine::of(conn))
    );
    Ok(sqlx::query(&sql)
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(record))
}

/// Which reservations to list. Every set filter narrows the list.
#[derive(Debug, Clone, Default)]
pub struct ReservationFilter {
    pub user: Option<UserId>,
    /// Only these schools (a teacher's own); `None` for no restriction.
    pub schools: Option<Vec<SchoolId>>,
    /// Only these partners (desk staff's own); `None` for no restriction.
    pub partners: Option<Vec<PartnerId>>,
    pub status: Option<ReservationStatus>,
    pub kit_slug: Option<String>,
    pub point_slug: Option<String>,
    /// Reservations that hold units on some day of this range.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub at_risk_only: bool,
    pub limit: u32,
}

impl Db {
    pub async fn reservation(&self, id: ReservationId) -> DbResult<Option<ReservationRecord>> {
        let mut conn = self.pool().acquire().await?;
        let mut record = record_by_id(&mut conn, id).await?;
        if let Some(r) = record.as_mut() {
            fill_return_notes(&mut conn, std::slice::from_mut(r)).await?;
        }
        Ok(record)
    }

    /// Reservations by filter, by pickup date then id.
    pub async fn reservations(&self, f: &ReservationFilter) -> DbResult<Vec<ReservationRecord>> {
        let mut q = crate::db::SqlBuilder::new(select_record(self.engine()));
        q.push(" WHERE 1 = 1");
        if let Some(user) = f.user {
            q.push(" AND r.user_id = ").push_bind(user.0);
        }
        if let Some(schools) = &f.schools {
            crate::db::push_in(&mut q, "r.school_id", schools.iter().map(|x| x.0));
        }
        if let Some(partners) = &f.partners {
            crate::db::push_in(&mut q, "k.partner_id", partners.iter().map(|x| x.0));
        }
        if let Some(status) = f.status {
            q.push(" AND r.status = ").push_bind(status.code());
        }
        if let Some(kit) = &f.kit_slug {
            q.push(" AND k.slug = ").push_bind(kit.clone());
        }
        if let Some(point) = &f.point_slug {
            q.push(" AND pp.slug = ").push_bind(point.clone());
        }
        if let Some(from) = f.from {
            q.push(" AND r.held_until >= ").push_bind(from.to_string());
        }
        if let Some(to) = f.to {
            q.push(" AND r.pickup_date <= ").push_bind(to.to_string());
        }
        if f.at_risk_only {
            q.push(" AND r.at_risk = 1");
        }
        q.push(" ORDER BY r.pickup_date, r.id LIMIT ")
            .push_bind(i64::from(f.limit.clamp(1, 1000)));
        let mut conn = self.read().await?;
        let mut records: Vec<ReservationRecord> = q
            .build()
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(record)
            .collect();
        fill_return_notes(&mut conn, &mut records).await?;
        Ok(records)
    }
}
