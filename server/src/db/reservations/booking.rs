//! The inputs of a booking (the kit type, its pickup points, the names a reservation shows)
//! and storing a new reservation (with its idempotency key).

use super::availability::bind_all;
use super::availability::holds_text;
use super::availability::parse_holds;
use super::availability::KitSql;
use crate::db::builder::numbered;
use crate::db::Engine;
use crate::db::{classify, DbResult};
use crate::domain::reservations::{ClosedPeriod, Hold};
use chrono::NaiveDate;
use leenpunt_shared::*;
use sqlx::{AnyConnection, Row};

/// The statuses that hold units, as SQL (must match the partial index's predicate).
pub(super) const HOLDING: &str =
    "status IN ('aangeboden', 'aangevraagd', 'bevestigd', 'afgehaald')";

/// Reads a stored `YYYY-MM-DD` date (a hot path: availability reads many rows).
pub(super) fn date(s: &str) -> Option<NaiveDate> {
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    if s.len() != 10 {
        return None;
    }
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// `date`, or the default date for an unreadable one.
pub(super) fn day(s: &str) -> NaiveDate {
    date(s).unwrap_or_default()
}

/// A kit type as the booking rules see it.
#[derive(Debug, Clone)]
pub struct BookableKit {
    pub id: KitTypeId,
    pub title: String,
    pub kind: KitKind,
    pub partner: PartnerId,
    pub rules: LoanRules,
    pub in_service: u32,
    /// In service or in maintenance (not retired).
    pub owned: u32,
}

/// A pickup point of a kit type.
#[derive(Debug, Clone)]
pub struct BookablePoint {
    pub id: PickupPointId,
    pub slug: String,
    pub weekdays: u8,
}

/// The kit columns of a booking: id, title, kind, partner, the seven rules (partner
/// defaults applied), units in service, units owned. `kit_from_row` reads them.
fn kit_columns() -> String {
    format!(
        "k.id, k.title, k.kind, k.partner_id, {}, \
         (SELECT count(*) FROM units x WHERE x.kit_type_id = k.id AND x.status = 'in-dienst'), \
         (SELECT count(*) FROM units x WHERE x.kit_type_id = k.id AND x.status <> 'afgevoerd')",
        crate::db::catalogue::RULES_SQL
    )
}

/// Reads the first 13 columns written by `kit_columns`.
fn kit_from_row(r: &sqlx::any::AnyRow) -> BookableKit {
    let n = |i: usize| r.get::<i64, _>(i).max(0) as u32;
    BookableKit {
        id: KitTypeId(r.get(0)),
        title: r.get(1),
        kind: KitKind::parse(r.get::<&str, _>(2)).unwrap_or(KitKind::LoanMaterial),
        partner: PartnerId(r.get(3)),
        rules: LoanRules {
            lead_days: n(4),
            horizon_days: n(5),
            min_loan_days: n(6),
            max_loan_days: n(7),
            buffer_days: n(8),
            max_per_school: n(9),
            needs_approval: r.get::<crate::db::Flag, _>(10).0,
        },
        in_service: n(11),
        owned: n(12),
    }
}

/// In a write transaction on PostgreSQL, locks the kit type's row until the transaction
/// ends, so two instances (or two connections) deciding on the same kit type's units take
/// turns, as SQLite's single writer makes them do. Nothing on SQLite or outside a
/// transaction (a read).
pub async fn lock_kit(conn: &mut AnyConnection, slug: &str) -> DbResult<()> {
    crate::db::lock_rows(conn, "kit_types", "slug", slug).await
}

/// [`lock_kit`] for several kit types, in id order (so two callers never wait for each
/// other in a circle).
pub async fn lock_kits(conn: &mut AnyConnection, slugs: &[&str]) -> DbResult<()> {
    if let [slug] = slugs {
        return lock_kit(conn, slug).await;
    }
    let Some(lock) = crate::db::row_lock(conn) else {
        return Ok(());
    };
    let list = vec!["?"; slugs.len()].join(", ");
    let sql = numbered(&format!(
        "SELECT id FROM kit_types WHERE slug IN ({list}) ORDER BY id{lock}"
    ));
    let mut q = sqlx::query(&sql);
    for slug in slugs {
        q = q.bind(*slug);
    }
    q.fetch_all(&mut *conn).await?;
    Ok(())
}

pub async fn bookable_kit(conn: &mut AnyConnection, slug: &str) -> DbResult<Option<BookableKit>> {
    lock_kit(conn, slug).await?;
    let sql = format!(
        "SELECT {} FROM kit_types k JOIN partners p ON p.id = k.partner_id WHERE k.slug = $1",
        kit_columns()
    );
    let Some(r) = sqlx::query(&sql)
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(kit_from_row(&r)))
}

/// Names shown on a new reservation and used for its mail.
#[derive(Debug, Clone)]
pub struct BookingNames {
    pub partner: String,
    pub point: String,
    pub point_address: String,
    pub school: String,
    pub user: String,
    pub user_email: String,
    pub user_lang: Lang,
}

/// Everything a booking needs to know, in one round trip: the kit type with its rules and
/// unit counts, the named pickup point if the kit type is picked up there, the names, and
/// the borrower's standing against the kit type's required trainings. For several kit
/// types at once (the lines of a cart with the same point and dates), still in one query:
/// a row per kit type found, with its slug.
pub async fn booking_contexts(
    conn: &mut AnyConnection,
    kit_slugs: &[&str],
    point_slug: &str,
    (school, user): (SchoolId, UserId),
    closures: (NaiveDate, NaiveDate),
    holds: (NaiveDate, NaiveDate),
    seats_from: NaiveDate,
) -> DbResult<Vec<(String, BookingContext)>> {
    let e = Engine::of(conn);
    if kit_slugs.is_empty() {
        return Ok(Vec::new());
    }
    lock_kits(conn, kit_slugs).await?;
    let slugs = vec!["?"; kit_slugs.len()].join(", ");
    let (holds_sub, holds_args) = holds_text(e, KitSql::Column("k.id"), holds.0, holds.1);
    // Assembled from pieces that each write `?`: numbered once whole.
    let sql = numbered(&format!(
        "SELECT {}, \
           p.name, pp.id, pp.slug, pp.open_weekdays, pp.name, \
           pp.street || ', ' || pp.postcode || ' ' || pp.municipality, \
           (SELECT name FROM schools WHERE id = ?), u.name, u.email, u.lang, \
           (SELECT {closed} FROM closed_periods c \
             WHERE (c.pickup_point_id IS NULL OR c.pickup_point_id = pp.id) \
               AND c.last_day >= ? AND c.first_day <= ?), \
           {holds_sub}, \
           {}, k.slug \
         FROM kit_types k JOIN partners p ON p.id = k.partner_id \
         LEFT JOIN kit_type_pickup_points ktp ON ktp.kit_type_id = k.id \
           AND ktp.pickup_point_id = (SELECT id FROM pickup_points WHERE slug = ?) \
         LEFT JOIN pickup_points pp ON pp.id = ktp.pickup_point_id \
         LEFT JOIN users u ON u.id = ? \
         WHERE k.slug IN ({slugs})",
        kit_columns(),
        crate::db::trainings::gate_json(e, "u.id", "?"),
        // In the calendar's order: where periods overlap, the first one names the day.
        closed = e.json_rows_ordered("c.first_day, c.last_day, c.reason", "c.first_day, c.id"),
    ));
    let q = sqlx::query(&sql)
        .bind(school.0)
        .bind(closures.0.to_string())
        .bind(closures.1.to_string());
    let mut q = bind_all(q, holds_args)
        .bind(seats_from.to_string())
        .bind(point_slug)
        .bind(user.0);
    for slug in kit_slugs {
        q = q.bind(*slug);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    rows.iter().map(context_from_row).collect()
}

/// Reads one row of [`booking_contexts`]: the kit type's slug and its context.
fn context_from_row(r: &sqlx::any::AnyRow) -> DbResult<(String, BookingContext)> {
    let kit = kit_from_row(r);
    let point = r.get::<Option<i64>, _>(14).map(|id| BookablePoint {
        id: PickupPointId(id),
        slug: r.get(15),
        weekdays: r.get::<i64, _>(16) as u8,
    });
    let names = BookingNames {
        partner: r.get(13),
        point: r.get::<Option<String>, _>(17).unwrap_or_default(),
        point_address: r.get::<Option<String>, _>(18).unwrap_or_default(),
        school: r.get::<Option<String>, _>(19).unwrap_or_default(),
        user: r.get::<Option<String>, _>(20).unwrap_or_default(),
        user_email: r.get::<Option<String>, _>(21).unwrap_or_default(),
        user_lang: r
            .get::<Option<&str>, _>(22)
            .and_then(Lang::parse)
            .unwrap_or_default(),
    };
    // The closures come along as JSON, saving a round trip on the booking path.
    let closed = r
        .get::<Option<String>, _>(23)
        .and_then(|json| serde_json::from_str::<Vec<(String, String, String)>>(&json).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|(first, last, reason)| ClosedPeriod {
            first: day(&first),
            last: day(&last),
            reason,
        })
        .collect();
    let holds = parse_holds(r.get::<Option<&str>, _>(24))?;
    let gate = crate::db::trainings::gate_inputs(r.get::<Option<&str>, _>(25))?;
    Ok((
        r.get(26),
        BookingContext {
            kit,
            point,
            names,
            closed,
            holds,
            gate,
        },
    ))
}

/// Everything a booking decides on, for one kit type at one point (see
/// [`booking_contexts`]); `None` when there is no such kit type.
pub async fn booking_context(
    conn: &mut AnyConnection,
    kit_slug: &str,
    point_slug: &str,
    who: (SchoolId, UserId),
    closures: (NaiveDate, NaiveDate),
    holds: (NaiveDate, NaiveDate),
    seats_from: NaiveDate,
) -> DbResult<Option<BookingContext>> {
    let found = booking_contexts(
        conn,
        &[kit_slug],
        point_slug,
        who,
        closures,
        holds,
        seats_from,
    )
    .await?;
    Ok(found.into_iter().next().map(|(_, context)| context))
}

/// What `booking_context` finds.
#[derive(Debug, Clone)]
pub struct BookingContext {
    pub kit: BookableKit,
    /// The named pickup point, when the kit type is picked up there.
    pub point: Option<BookablePoint>,
    pub names: BookingNames,
    /// The point's closures in the asked range (empty without a point).
    pub closed: Vec<ClosedPeriod>,
    /// The kit type's reservations holding units on some day of the asked range.
    pub holds: Vec<Hold>,
    /// The trainings the kit type requires, and the borrower's qualifications and seats.
    pub gate: crate::db::trainings::GateInputs,
}

/// The kit type's pickup points, in name order.
pub async fn kit_points(conn: &mut AnyConnection, kit: KitTypeId) -> DbResult<Vec<BookablePoint>> {
    let rows = sqlx::query_as::<_, (i64, String, i64)>(
        "SELECT pp.id, pp.slug, pp.open_weekdays FROM pickup_points pp \
         JOIN kit_type_pickup_points k ON k.pickup_point_id = pp.id \
         WHERE k.kit_type_id = $1 ORDER BY pp.name",
    )
    .bind(kit.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, weekdays)| BookablePoint {
            id: PickupPointId(id),
            slug,
            weekdays: weekdays as u8,
        })
        .collect())
}

/// A reservation to store.
#[derive(Debug, Clone)]
pub struct NewRow<'a> {
    pub kit: KitTypeId,
    pub point: PickupPointId,
    pub school: SchoolId,
    pub user: UserId,
    pub quantity: u32,
    pub pickup: NaiveDate,
    pub return_date: NaiveDate,
    pub held_until: NaiveDate,
    pub status: ReservationStatus,
    pub note: &'a str,
    /// The client's Idempotency-Key and the fingerprint of what it asked for.
    pub idempotency_key: Option<(&'a str, &'a str)>,
    /// For an offer from the waiting list.
    pub offer_expires_at: Option<&'a str>,
    /// The request (sent cart) this reservation is a line of.
    pub request: Option<i64>,
}

pub async fn insert(
    conn: &mut AnyConnection,
    row: &NewRow<'_>,
    now: &str,
) -> DbResult<ReservationId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, \
           pickup_date, return_date, held_until, status, note, idempotency_key, \
           idempotency_fingerprint, offer_expires_at, created_at, updated_at, token_id, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(row.kit.0)
    .bind(row.point.0)
    .bind(row.school.0)
    .bind(row.user.0)
    .bind(i64::from(row.quantity))
    .bind(row.pickup.to_string())
    .bind(row.return_date.to_string())
    .bind(row.held_until.to_string())
    .bind(row.status.code())
    .bind(row.note)
    .bind(row.idempotency_key.map(|(key, _)| key))
    .bind(row.idempotency_key.map(|(_, fingerprint)| fingerprint))
    .bind(row.offer_expires_at)
    .bind(now)
    .bind(now)
    .bind(crate::db::tokens::acting_token())
    .bind(row.request)
    .fetch_one(&mut *conn)
    .await
    .map_err(classify)?;
    Ok(ReservationId(id))
}

/// The reservation a user already made with an idempotency key, with the fingerprint of
/// that request (none for reservations made before fingerprints were kept).
pub async fn by_idempotency_key(
    conn: &mut AnyConnection,
    user: UserId,
    key: &str,
) -> DbResult<Option<(ReservationId, Option<String>)>> {
    Ok(sqlx::query_as::<_, (i64, Option<String>)>(
        "SELECT id, idempotency_fingerprint FROM reservations \
         WHERE user_id = $1 AND idempotency_key = $2",
    )
    .bind(user.0)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?
    .map(|(id, fingerprint)| (ReservationId(id), fingerprint)))
}
