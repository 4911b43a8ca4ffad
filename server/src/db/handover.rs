//! Hand-over storage: unit labels, loan lines, maintenance tickets, the desk's day.

use super::reservations::{record, select_record, ReservationRecord};
use super::{classify, Db, DbResult};
use crate::domain::handover::{Line, LoanView, UnitView};
use crate::domain::tags::TagCode;
use chrono::NaiveDate;
use leenpunt_shared::handover::{LoanLine, UnitInfo};
use leenpunt_shared::*;
use sqlx::{AnyConnection, Row};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").unwrap_or_default()
}

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

/// A reservation as the hand-over rules see it, with its record.
pub async fn loan(
    conn: &mut AnyConnection,
    id: ReservationId,
) -> DbResult<Option<(LoanView, ReservationRecord)>> {
    lock_reservation(conn, id).await?;
    let Some(record) = super::reservations::record_by_id(conn, id).await? else {
        return Ok(None);
    };
    let lines = sqlx::query(
        "SELECT unit_id, returned_at IS NOT NULL FROM loan_lines WHERE reservation_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| Line {
        unit: UnitId(r.get(0)),
        returned: r.get::<crate::db::Flag, _>(1).0,
    })
    .collect();
    let view = LoanView {
        id,
        kit_type: record.kit,
        status: record.view.status,
        quantity: record.view.quantity,
        pickup_date: day(&record.view.pickup_date),
        return_date: day(&record.view.return_date),
        lines,
    };
    Ok(Some((view, record)))
}

/// Binds a unit to a reservation. The database refuses a unit on two open loans
/// (`Conflict`), whatever the caller checked before.
pub async fn insert_line(
    conn: &mut AnyConnection,
    reservation: ReservationId,
    unit: UnitId,
    by: UserId,
    override_reason: Option<&str>,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO loan_lines (reservation_id, unit_id, handed_out_at, handed_out_by, override_reason) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(reservation.0)
    .bind(unit.0)
    .bind(now)
    .bind(by.0)
    .bind(override_reason)
    .execute(&mut *conn)
    .await
    .map_err(classify)?;
    Ok(())
}

/// What a return records.
pub struct Returned<'a> {
    pub reservation: ReservationId,
    pub unit: UnitId,
    pub by: UserId,
    /// (part, expected, counted)
    pub parts: &'a [(String, u32, i64)],
    pub damage: &'a str,
    pub late: bool,
}

pub async fn return_line(conn: &mut AnyConnection, r: &Returned<'_>, now: &str) -> DbResult<()> {
    sqlx::query(
        "UPDATE loan_lines SET returned_at = $1, returned_by = $2, parts_counted = $3, damage_note = $4, late = $5 \
         WHERE reservation_id = $6 AND unit_id = $7 AND returned_at IS NULL",
    )
    .bind(now)
    .bind(r.by.0)
    .bind(serde_json::to_string(r.parts).unwrap_or_else(|_| "[]".into()))
    .bind(r.damage)
    .bind(i64::from(r.late))
    .bind(r.reservation.0)
    .bind(r.unit.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Opens a maintenance ticket and puts the unit in maintenance.
pub async fn open_ticket(
    conn: &mut AnyConnection,
    unit: UnitId,
    reservation: ReservationId,
    by: UserId,
    shortfall: &[(String, u32)],
    note: &str,
    now: &str,
) -> DbResult<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO maintenance_tickets (unit_id, reservation_id, opened_at, opened_by, shortfall, note) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(unit.0)
    .bind(reservation.0)
    .bind(now)
    .bind(by.0)
    .bind(serde_json::to_string(shortfall).unwrap_or_else(|_| "[]".into()))
    .bind(note)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("UPDATE units SET status = 'onderhoud' WHERE id = $1")
        .bind(unit.0)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// On PostgreSQL, locks a request's row for the rest of the transaction, so scans of one
/// request decide one after the other (on SQLite the write lock already orders them).
pub async fn lock_request(conn: &mut AnyConnection, id: i64) -> DbResult<()> {
    use sqlx::Connection;
    let e = super::Engine::of(conn);
    if e == super::Engine::Sqlite || !conn.is_in_transaction() {
        return Ok(());
    }
    sqlx::query(&format!(
        "SELECT id FROM requests WHERE id = $1{}",
        e.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(())
}

/// Inside a transaction on PostgreSQL, locks a reservation's row until the transaction
/// ends, so scans of its units take turns and each sees the units the others put out: two
/// units of one reservation scanned at once both saw the other still in, and neither sent
/// the receipt that goes once every unit is out (`api_traffic`). A no-op on SQLite.
async fn lock_reservation(conn: &mut AnyConnection, id: ReservationId) -> DbResult<()> {
    use sqlx::Connection;
    let e = super::Engine::of(conn);
    if e == super::Engine::Sqlite || !conn.is_in_transaction() {
        return Ok(());
    }
    sqlx::query(&format!(
        "SELECT id FROM reservations WHERE id = $1{}",
        e.for_update()
    ))
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(())
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

/// Picked-up loans past their return day with units still out, not yet marked overdue.
pub async fn newly_overdue(
    conn: &mut AnyConnection,
    today: NaiveDate,
) -> DbResult<Vec<ReservationId>> {
    Ok(sqlx::query_scalar::<_, i64>(&format!(
        "SELECT r.id FROM reservations r WHERE {NEWLY_OVERDUE} ORDER BY r.id"
    ))
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(ReservationId)
    .collect())
}

/// A loan out past its return day and not yet marked overdue (`$1`: today).
const NEWLY_OVERDUE: &str = "r.status = 'afgehaald' AND r.return_date < $1 \
    AND r.overdue_since IS NULL \
    AND EXISTS (SELECT 1 FROM loan_lines l WHERE l.reservation_id = r.id AND l.returned_at IS NULL)";

/// Locks reservation `id` (on PostgreSQL, until the transaction ends) and tells whether it
/// is still newly overdue: a unit may have come back since the candidates were read.
pub async fn lock_if_newly_overdue(
    conn: &mut AnyConnection,
    id: ReservationId,
    today: NaiveDate,
) -> DbResult<bool> {
    lock_reservation(conn, id).await?;
    still(conn, NEWLY_OVERDUE, id, &today.to_string()).await
}

/// Whether reservation `$2` still meets `condition` (on `r`, with `$1` bound to `arg`).
async fn still(
    conn: &mut AnyConnection,
    condition: &str,
    id: ReservationId,
    arg: &str,
) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM reservations r WHERE r.id = $2 AND {condition}"
    ))
    .bind(arg)
    .bind(id.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

pub async fn mark_overdue(conn: &mut AnyConnection, id: ReservationId, now: &str) -> DbResult<()> {
    sqlx::query("UPDATE reservations SET overdue_since = $1, revision = revision + 1, updated_at = $2 WHERE id = $3")
        .bind(now)
        .bind(now)
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Units of a kit type still out on loans past their return day (not available), with
/// the reservations they are out on.
pub async fn overdue_units(
    conn: &mut AnyConnection,
    kit: KitTypeId,
    today: NaiveDate,
) -> DbResult<(u32, Vec<i64>)> {
    let rows: Vec<i64> = sqlx::query_scalar(
        "SELECT l.reservation_id FROM loan_lines l JOIN reservations r ON r.id = l.reservation_id \
         WHERE r.kit_type_id = $1 AND l.returned_at IS NULL AND r.return_date < $2",
    )
    .bind(kit.0)
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let count = rows.len() as u32;
    let mut ids = rows;
    ids.dedup();
    Ok((count, ids))
}

/// Confirmed reservations whose pickup day is before `before` and nothing was handed over.
pub async fn no_show_candidates(
    conn: &mut AnyConnection,
    before: NaiveDate,
) -> DbResult<Vec<ReservationId>> {
    Ok(sqlx::query_scalar::<_, i64>(&format!(
        "SELECT r.id FROM reservations r WHERE {NO_SHOW_CANDIDATE} ORDER BY r.id"
    ))
    .bind(before.to_string())
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(ReservationId)
    .collect())
}

/// A confirmed reservation whose pickup day is before `$1` and of which nothing was
/// handed over.
const NO_SHOW_CANDIDATE: &str = "r.status = 'bevestigd' AND r.pickup_date < $1 \
    AND NOT EXISTS (SELECT 1 FROM loan_lines l WHERE l.reservation_id = r.id)";

/// Locks reservation `id` (on PostgreSQL, until the transaction ends) and tells whether it
/// is still a no-show candidate: the desk may have handed it over since.
pub async fn lock_if_no_show_candidate(
    conn: &mut AnyConnection,
    id: ReservationId,
    before: NaiveDate,
) -> DbResult<bool> {
    lock_reservation(conn, id).await?;
    still(conn, NO_SHOW_CANDIDATE, id, &before.to_string()).await
}

/// The reservation a unit was last handed over for, when that line is returned.
pub async fn last_returned_loan(
    conn: &mut AnyConnection,
    unit: UnitId,
) -> DbResult<Option<ReservationId>> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT reservation_id FROM loan_lines WHERE unit_id = $1 AND returned_at IS NOT NULL \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(unit.0)
    .fetch_optional(&mut *conn)
    .await?
    .map(ReservationId))
}

/// A unit's open maintenance tickets, oldest first.
pub async fn open_tickets(
    conn: &mut AnyConnection,
    unit: UnitId,
) -> DbResult<Vec<leenpunt_shared::handover::Ticket>> {
    Ok(sqlx::query(
        "SELECT t.id, t.opened_at, u.name, t.shortfall, t.note FROM maintenance_tickets t \
         LEFT JOIN users u ON u.id = t.opened_by WHERE t.unit_id = $1 AND t.closed_at IS NULL ORDER BY t.id",
    )
    .bind(unit.0)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| leenpunt_shared::handover::Ticket {
        id: r.get(0),
        opened_at: r.get(1),
        opened_by: r.get(2),
        shortfall: serde_json::from_str(r.get::<&str, _>(3)).unwrap_or_default(),
        note: r.get(4),
    })
    .collect())
}

/// Closes a unit's open maintenance tickets.
pub async fn close_tickets(
    conn: &mut AnyConnection,
    unit: UnitId,
    by: UserId,
    now: &str,
) -> DbResult<u64> {
    Ok(sqlx::query(
        "UPDATE maintenance_tickets SET closed_at = $1, closed_by = $2 WHERE unit_id = $3 AND closed_at IS NULL",
    )
    .bind(now)
    .bind(by.0)
    .bind(unit.0)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// Which desk write an idempotency key was used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskWrite {
    HandOver,
    Return,
}

impl DeskWrite {
    fn code(self) -> &'static str {
        match self {
            DeskWrite::HandOver => "handover",
            DeskWrite::Return => "return",
        }
    }
}

/// The first answer given to a desk scan with this key: (operation and fingerprint of the
/// scan, the answer's JSON). In a transaction on PostgreSQL the key is locked first, so
/// replays of one scan arriving at once take turns and the later ones find the first
/// answer (without it, a replay raced the first scan and was refused 409 as "another desk
/// scanned this unit", `api_traffic`).
#[tracing::instrument(skip(conn, key))]
pub async fn desk_answer(
    conn: &mut AnyConnection,
    user: UserId,
    key: &str,
) -> DbResult<Option<(String, String)>> {
    super::lock_names(conn, &[&format!("desk_idempotency:{}:{key}", user.0)]).await?;
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT operation, fingerprint, answer FROM desk_idempotency WHERE user_id = $1 AND key = $2",
    )
    .bind(user.0)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(op, fingerprint, answer)| (format!("{op}:{fingerprint}"), answer)))
}

/// Keeps the answer to a desk scan under its key, in the scan's transaction.
#[tracing::instrument(skip(conn, key, fingerprint, answer))]
pub async fn keep_desk_answer(
    conn: &mut AnyConnection,
    user: UserId,
    key: &str,
    write: DeskWrite,
    fingerprint: &str,
    answer: &str,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO desk_idempotency (user_id, key, operation, fingerprint, answer, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user.0)
    .bind(key)
    .bind(write.code())
    .bind(fingerprint)
    .bind(answer)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(classify)?;
    Ok(())
}

/// The fingerprint form [`desk_answer`] compares with: `operation:fingerprint`.
pub fn desk_fingerprint(write: DeskWrite, fingerprint: &str) -> String {
    format!("{}:{fingerprint}", write.code())
}

/// Forgets desk idempotency keys made before `before` (RFC 3339).
#[tracing::instrument(skip(conn))]
pub async fn forget_desk_answers(conn: &mut AnyConnection, before: &str) -> DbResult<u64> {
    Ok(
        sqlx::query("DELETE FROM desk_idempotency WHERE created_at < $1")
            .bind(before)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

/// Whether some desk idempotency key was made before `before`.
pub async fn has_desk_answers_before(conn: &mut AnyConnection, before: &str) -> DbResult<bool> {
    let found: super::Flag =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM desk_idempotency WHERE created_at < $1)")
            .bind(before)
            .fetch_one(&mut *conn)
            .await?;
    Ok(found.0)
}

// --- cart desk (issue 20): a request's lines at the desk ---

/// The lines (reservations) of a request, in the request's order, each as the desk sees
/// it; empty when there is no such request.
pub async fn request_loans(
    conn: &mut AnyConnection,
    request: i64,
) -> DbResult<Vec<(LoanView, ReservationRecord)>> {
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM reservations WHERE request_id = $1 ORDER BY id")
            .bind(request)
            .fetch_all(&mut *conn)
            .await?;
    let mut lines = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(line) = loan(conn, ReservationId(id)).await? {
            lines.push(line);
        }
    }
    Ok(lines)
}

/// The request a reservation is a line of, if any.
pub async fn request_of(conn: &mut AnyConnection, id: ReservationId) -> DbResult<Option<i64>> {
    Ok(
        sqlx::query_scalar::<_, Option<i64>>("SELECT request_id FROM reservations WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
            .flatten(),
    )
}

/// Which of some reservations are lines of a request: (reservation, request).
pub async fn requests_of(
    conn: &mut AnyConnection,
    ids: &[ReservationId],
) -> DbResult<Vec<(ReservationId, i64)>> {
    let mut found = Vec::new();
    // In slices, so a long day never exceeds a database's parameter limit.
    for chunk in ids.chunks(200) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, request_id FROM reservations WHERE request_id IS NOT NULL AND id IN ({})",
            marks.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(id.0);
        }
        for row in query.fetch_all(&mut *conn).await? {
            found.push((ReservationId(row.get(0)), row.get(1)));
        }
    }
    Ok(found)
}
