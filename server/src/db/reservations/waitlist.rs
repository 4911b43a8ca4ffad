//! The waiting list: entries, their status, and offers that lapsed.

use super::booking::day;
use crate::db::{classify, Db, DbResult};
use chrono::NaiveDate;
use leenpunt_shared::*;
use sqlx::AnyConnection;

/// A waiting-list entry as the offering walk needs it.
#[derive(Debug, Clone)]
pub struct WaitingRow {
    pub id: i64,
    pub point: PickupPointId,
    pub school: SchoolId,
    pub user: UserId,
    pub quantity: u32,
    pub pickup: NaiveDate,
    pub return_date: NaiveDate,
}

/// Adds a waiting-list entry; the same person waiting twice for the same dates is a conflict.
pub async fn insert_waiting(
    conn: &mut AnyConnection,
    row: &WaitingRow,
    kit: KitTypeId,
    now: &str,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO waitlist (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
           return_date, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'wachtend', $8, $9) RETURNING id",
    )
    .bind(kit.0)
    .bind(row.point.0)
    .bind(row.school.0)
    .bind(row.user.0)
    .bind(i64::from(row.quantity))
    .bind(row.pickup.to_string())
    .bind(row.return_date.to_string())
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(classify)
}

/// The entries still waiting for a kit type, first come first served.
pub async fn waiting(conn: &mut AnyConnection, kit: KitTypeId) -> DbResult<Vec<WaitingRow>> {
    let rows = sqlx::query_as::<_, (i64, i64, i64, i64, i64, String, String)>(
        "SELECT id, pickup_point_id, school_id, user_id, quantity, pickup_date, return_date \
         FROM waitlist WHERE kit_type_id = $1 AND status = 'wachtend' ORDER BY id",
    )
    .bind(kit.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, point, school, user, quantity, pickup, ret)| WaitingRow {
                id,
                point: PickupPointId(point),
                school: SchoolId(school),
                user: UserId(user),
                quantity: quantity as u32,
                pickup: day(&pickup),
                return_date: day(&ret),
            },
        )
        .collect())
}

pub async fn set_waiting_status(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    reservation: Option<ReservationId>,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE waitlist SET status = $1, reservation_id = coalesce($2, reservation_id), updated_at = $3 WHERE id = $4",
    )
    .bind(status)
    .bind(reservation.map(|r| r.0))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Marks the waiting-list entry behind an offer.
pub async fn set_waiting_status_of_offer(
    conn: &mut AnyConnection,
    reservation: ReservationId,
    status: &str,
    now: &str,
) -> DbResult<()> {
    sqlx::query("UPDATE waitlist SET status = $1, updated_at = $2 WHERE reservation_id = $3")
        .bind(status)
        .bind(now)
        .bind(reservation.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

const SELECT_WAITING: &str =
    "SELECT w.id, w.status, k.slug, k.title, pp.name, w.quantity, w.pickup_date, \
       w.return_date, w.reservation_id, w.created_at, w.user_id \
     FROM waitlist w JOIN kit_types k ON k.id = w.kit_type_id \
     JOIN pickup_points pp ON pp.id = w.pickup_point_id";

type WaitingEntryRow = (
    i64,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    Option<i64>,
    String,
    i64,
);

fn entry(r: WaitingEntryRow) -> (WaitlistEntry, UserId) {
    (
        WaitlistEntry {
            id: r.0,
            status: r.1,
            kit_slug: r.2,
            kit_title: r.3,
            pickup_point: r.4,
            quantity: r.5 as u32,
            pickup_date: r.6,
            return_date: r.7,
            reservation: r.8.map(ReservationId),
            created_at: r.9,
        },
        UserId(r.10),
    )
}

pub async fn waiting_entry(
    conn: &mut AnyConnection,
    id: i64,
) -> DbResult<Option<(WaitlistEntry, UserId)>> {
    let sql = format!("{SELECT_WAITING} WHERE w.id = $1");
    Ok(sqlx::query_as::<_, WaitingEntryRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(entry))
}

/// Offers from the waiting list whose time ran out before `now`.
pub async fn lapsed_offers(conn: &mut AnyConnection, now: &str) -> DbResult<Vec<ReservationId>> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT id FROM reservations WHERE status = 'aangeboden' AND offer_expires_at < $1 ORDER BY id",
    )
    .bind(now)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(ReservationId)
    .collect())
}

impl Db {
    /// A person's waiting-list entries that are still open (waiting or offered).
    pub async fn waitlist_of(&self, user: UserId) -> DbResult<Vec<WaitlistEntry>> {
        let sql = format!(
            "{SELECT_WAITING} WHERE w.user_id = $1 AND w.status IN ('wachtend', 'aangeboden') ORDER BY w.pickup_date, w.id"
        );
        Ok(sqlx::query_as::<_, WaitingEntryRow>(&sql)
            .bind(user.0)
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(|r| entry(r).0)
            .collect())
    }
}
