//! Reservations storage: the inputs of the booking decision, and the reservations.
//!
//! Writes run inside a transaction the caller opened with `Db::begin` (`BEGIN IMMEDIATE`
//! on SQLite: one writer at a time, so the check and the insert are one atomic step). A
//! PostgreSQL backend would take `SELECT … FOR UPDATE` on the kit type's row instead.

use super::{classify, Db, DbResult};
use crate::domain::reservations::{ClosedPeriod, Held, Hold};
use chrono::NaiveDate;
use leenpunt_shared::*;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

/// The statuses that hold units, as SQL (must match the partial index's predicate).
const HOLDING: &str = "status IN ('aangeboden', 'aangevraagd', 'bevestigd', 'afgehaald')";

/// Reads a stored `YYYY-MM-DD` date (a hot path: availability reads many rows).
fn date(s: &str) -> Option<NaiveDate> {
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    if s.len() != 10 {
        return None;
    }
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// `date`, or the default date for an unreadable one.
fn day(s: &str) -> NaiveDate {
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
        super::catalogue::RULES_SQL
    )
}

/// Reads the first 13 columns written by `kit_columns`.
fn kit_from_row(r: &sqlx::sqlite::SqliteRow) -> BookableKit {
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
            needs_approval: r.get::<i64, _>(10) != 0,
        },
        in_service: n(11),
        owned: n(12),
    }
}

pub async fn bookable_kit(
    conn: &mut SqliteConnection,
    slug: &str,
) -> DbResult<Option<BookableKit>> {
    let sql = format!(
        "SELECT {} FROM kit_types k JOIN partners p ON p.id = k.partner_id WHERE k.slug = ?",
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
/// the borrower's standing against the kit type's required trainings.
pub async fn booking_context(
    conn: &mut SqliteConnection,
    kit_slug: &str,
    point_slug: &str,
    (school, user): (SchoolId, UserId),
    closures: (NaiveDate, NaiveDate),
    holds: (NaiveDate, NaiveDate),
    seats_from: NaiveDate,
) -> DbResult<Option<BookingContext>> {
    let (holds_sub, holds_args) = holds_text(KitSql::Column("k.id"), holds.0, holds.1);
    let sql = format!(
        "SELECT {}, \
           p.name, pp.id, pp.slug, pp.open_weekdays, pp.name, \
           pp.street || ', ' || pp.postcode || ' ' || pp.municipality, \
           (SELECT name FROM schools WHERE id = ?), u.name, u.email, u.lang, \
           (SELECT json_group_array(json_array(c.first_day, c.last_day, c.reason)) FROM closed_periods c \
             WHERE (c.pickup_point_id IS NULL OR c.pickup_point_id = pp.id) \
               AND c.last_day >= ? AND c.first_day <= ?), \
           {holds_sub}, \
           {} \
         FROM kit_types k JOIN partners p ON p.id = k.partner_id \
         LEFT JOIN kit_type_pickup_points ktp ON ktp.kit_type_id = k.id \
           AND ktp.pickup_point_id = (SELECT id FROM pickup_points WHERE slug = ?) \
         LEFT JOIN pickup_points pp ON pp.id = ktp.pickup_point_id \
         LEFT JOIN users u ON u.id = ? \
         WHERE k.slug = ?",
        kit_columns(),
        super::trainings::gate_json("u.id", "?")
    );
    let q = sqlx::query(&sql)
        .bind(school.0)
        .bind(closures.0.to_string())
        .bind(closures.1.to_string());
    let Some(r) = bind_all(q, holds_args)
        .bind(seats_from.to_string())
        .bind(point_slug)
        .bind(user.0)
        .bind(kit_slug)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let kit = kit_from_row(&r);
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
    let gate = super::trainings::gate_inputs(r.get::<Option<&str>, _>(25))?;
    Ok(Some(BookingContext {
        kit,
        point,
        names,
        closed,
        holds,
        gate,
    }))
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
    pub gate: super::trainings::GateInputs,
}

/// The kit type's pickup points, in name order.
pub async fn kit_points(
    conn: &mut SqliteConnection,
    kit: KitTypeId,
) -> DbResult<Vec<BookablePoint>> {
    let rows = sqlx::query_as::<_, (i64, String, i64)>(
        "SELECT pp.id, pp.slug, pp.open_weekdays FROM pickup_points pp \
         JOIN kit_type_pickup_points k ON k.pickup_point_id = pp.id \
         WHERE k.kit_type_id = ? ORDER BY pp.name",
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

/// Closed periods that touch `[from, to]` at a pickup point (its own and everyone's).
pub async fn closed_periods(
    conn: &mut SqliteConnection,
    point: PickupPointId,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<ClosedPeriod>> {
    let rows = sqlx::query_as::<_, (String, String, String)>(
        "SELECT first_day, last_day, reason FROM closed_periods \
         WHERE (pickup_point_id IS NULL OR pickup_point_id = ?) AND last_day >= ? AND first_day <= ? \
         ORDER BY first_day",
    )
    .bind(point.0)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(first, last, reason)| ClosedPeriod {
            first: day(&first),
            last: day(&last),
            reason,
        })
        .collect())
}

/// The classes of `hold_span_class` (migration `20261201000030_availability_index`): a
/// hold whose `held_until − pickup_date` is below `SPAN_LIMITS[c]` days is of class `c`,
/// a longer one of class `SPAN_LIMITS.len()`. Must match the migration's expression.
pub const SPAN_LIMITS: [i64; 3] = [16, 64, 256];

/// Which kit type's holds a query reads.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KitSql {
    /// This one (bound).
    Id(KitTypeId),
    /// The one in this column of the enclosing query (a correlated subquery).
    Column(&'static str),
    /// Every kit type.
    All,
}

/// A value bound to a `?` of generated SQL.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(i64),
    Text(String),
}

/// Binds `args` in order.
pub(crate) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    args: Vec<Arg>,
) -> sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Int(v) => q.bind(v),
            Arg::Text(v) => q.bind(v),
        };
    }
    q
}

/// `SELECT {cols} FROM reservations r … UNION ALL …`, with its arguments: the reservations
/// holding units on some day of `[from, to]`, one index range per span class. A hold of
/// class `c` that overlaps the window was picked up no earlier than `SPAN_LIMITS[c] − 1`
/// days before it, so each range starts there: the rows visited are the window's own plus
/// at most a class's width before it, however many bookings lie before it (history) or
/// after it (the future). Only the rare holds longer than the last limit are found
/// through `held_until` alone.
pub(crate) fn overlapping(
    cols: &str,
    kit: KitSql,
    from: NaiveDate,
    to: NaiveDate,
) -> (String, Vec<Arg>) {
    overlapping_then(cols, kit, from, to, "")
}

/// `overlapping`, with `tail` (a `GROUP BY`) after each class's `WHERE`.
fn overlapping_then(
    cols: &str,
    kit: KitSql,
    from: NaiveDate,
    to: NaiveDate,
    tail: &str,
) -> (String, Vec<Arg>) {
    let index = match kit {
        KitSql::All => "reservations_holding_span_all",
        _ => "reservations_holding_span",
    };
    let mut sql = String::new();
    let mut args = Vec::new();
    for class in 0..=SPAN_LIMITS.len() {
        if class > 0 {
            sql.push_str(" UNION ALL ");
        }
        sql.push_str(&format!(
            "SELECT {cols} FROM reservations r INDEXED BY {index} WHERE "
        ));
        match kit {
            KitSql::Id(id) => {
                sql.push_str("r.kit_type_id = ? AND ");
                args.push(Arg::Int(id.0));
            }
            KitSql::Column(c) => sql.push_str(&format!("r.kit_type_id = {c} AND ")),
            KitSql::All => {}
        }
        sql.push_str(&format!("{HOLDING} AND r.hold_span_class = {class}"));
        if let Some(limit) = SPAN_LIMITS.get(class) {
            sql.push_str(" AND r.pickup_date >= ?");
            args.push(Arg::Text(
                (from - chrono::Duration::days(limit - 1)).to_string(),
            ));
        }
        sql.push_str(" AND r.pickup_date <= ? AND r.held_until >= ?");
        sql.push_str(tail);
        args.push(Arg::Text(to.to_string()));
        args.push(Arg::Text(from.to_string()));
    }
    (sql, args)
}

/// A scalar subquery, with its arguments: the holds overlapping `[from, to]` as one text
/// (`id school first last quantity`, comma-separated) for `parse_holds`. One row instead
/// of thousands: decoding rows one by one cost more than the whole query.
fn holds_text(kit: KitSql, from: NaiveDate, to: NaiveDate) -> (String, Vec<Arg>) {
    let (inner, args) = overlapping(
        "r.id, r.school_id, r.pickup_date, r.held_until, r.quantity",
        kit,
        from,
        to,
    );
    (
        format!(
            "(SELECT group_concat(id || ' ' || school_id || ' ' || pickup_date || ' ' \
               || held_until || ' ' || quantity, ',') FROM ({inner}))"
        ),
        args,
    )
}

/// Reads what `holds_text` wrote (`None`: no holds).
fn parse_holds(text: Option<&str>) -> DbResult<Vec<Hold>> {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return Ok(Vec::new());
    };
    let bad = || {
        super::DbError::from(sqlx::Error::Decode(
            format!("unreadable hold list: {}", &text[..text.len().min(80)]).into(),
        ))
    };
    text.split(',')
        .map(|item| {
            let mut f = item.split(' ');
            let mut next = || f.next().ok_or_else(bad);
            let id = next()?.parse::<i64>().map_err(|_| bad())?;
            let school = next()?.parse::<i64>().map_err(|_| bad())?;
            let first = date(next()?).ok_or_else(bad)?;
            let last = date(next()?).ok_or_else(bad)?;
            let quantity = next()?.parse::<u32>().map_err(|_| bad())?;
            Ok(Hold {
                id,
                school: SchoolId(school),
                first,
                last,
                quantity,
            })
        })
        .collect()
}

/// Reservations of a kit type that hold units on some day of `[from, to]`.
pub async fn holds(
    conn: &mut SqliteConnection,
    kit: KitTypeId,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<Hold>> {
    let (sub, args) = holds_text(KitSql::Id(kit), from, to);
    let sql = format!("SELECT {sub}");
    let text: Option<String> = bind_all(sqlx::query(&sql), args)
        .fetch_one(&mut *conn)
        .await?
        .get(0);
    parse_holds(text.as_deref())
}

/// Units held per span over `[from, to]` by the kit type's reservations, without who
/// holds them: what the availability calendar needs. Read as one text grouped by pickup
/// day in index order (no sort): per group the pickup day, then each hold's last day,
/// followed by `*quantity;` when the quantity is not 1. SQLite builds this text at a
/// fraction of the cost of `holds`' (no number → text conversions or concatenations per
/// hold in the common case), which is what a year of a busy kit type costs.
pub async fn held_spans(
    conn: &mut SqliteConnection,
    kit: KitTypeId,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<Held>> {
    let (inner, args) = overlapping_then(
        "r.pickup_date || group_concat(CASE WHEN r.quantity = 1 THEN r.held_until \
           ELSE r.held_until || '*' || r.quantity || ';' END, '') AS x",
        KitSql::Id(kit),
        from,
        to,
        " GROUP BY r.pickup_date",
    );
    let sql = format!("SELECT (SELECT group_concat(x, ',') FROM ({inner}))");
    let text: Option<String> = bind_all(sqlx::query(&sql), args)
        .fetch_one(&mut *conn)
        .await?
        .get(0);
    parse_spans(text.as_deref())
}

/// Reads what `held_spans` wrote (`None`: no holds).
fn parse_spans(text: Option<&str>) -> DbResult<Vec<Held>> {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return Ok(Vec::new());
    };
    let bad = || {
        super::DbError::from(sqlx::Error::Decode(
            format!("unreadable span list: {}", &text[..text.len().min(80)]).into(),
        ))
    };
    let mut spans = Vec::new();
    for group in text.split(',') {
        let first = group.get(..10).and_then(date).ok_or_else(bad)?;
        let mut rest = &group[10..];
        if rest.is_empty() {
            return Err(bad());
        }
        while !rest.is_empty() {
            let last = rest.get(..10).and_then(date).ok_or_else(bad)?;
            rest = &rest[10..];
            let quantity = match rest.strip_prefix('*') {
                Some(tail) => {
                    let (n, after) = tail.split_once(';').ok_or_else(bad)?;
                    rest = after;
                    n.parse::<u32>().map_err(|_| bad())?
                }
                None => 1,
            };
            spans.push(Held {
                first,
                last,
                quantity,
            });
        }
    }
    Ok(spans)
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
}

pub async fn insert(
    conn: &mut SqliteConnection,
    row: &NewRow<'_>,
    now: &str,
) -> DbResult<ReservationId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, \
           pickup_date, return_date, held_until, status, note, idempotency_key, \
           idempotency_fingerprint, offer_expires_at, created_at, updated_at, token_id) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
    .bind(super::tokens::acting_token())
    .fetch_one(&mut *conn)
    .await
    .map_err(classify)?;
    Ok(ReservationId(id))
}

/// The reservation a user already made with an idempotency key, with the fingerprint of
/// that request (none for reservations made before fingerprints were kept).
pub async fn by_idempotency_key(
    conn: &mut SqliteConnection,
    user: UserId,
    key: &str,
) -> DbResult<Option<(ReservationId, Option<String>)>> {
    Ok(sqlx::query_as::<_, (i64, Option<String>)>(
        "SELECT id, idempotency_fingerprint FROM reservations \
         WHERE user_id = ? AND idempotency_key = ?",
    )
    .bind(user.0)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?
    .map(|(id, fingerprint)| (ReservationId(id), fingerprint)))
}

/// Changes the status (and the staff reason), bumping the revision.
pub async fn set_status(
    conn: &mut SqliteConnection,
    id: ReservationId,
    status: ReservationStatus,
    reason: Option<&str>,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE reservations SET status = ?, reason = coalesce(?, reason), \
           revision = revision + 1, updated_at = ? WHERE id = ?",
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
    conn: &mut SqliteConnection,
    id: ReservationId,
    return_date: NaiveDate,
    held_until: NaiveDate,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE reservations SET return_date = ?, held_until = ?, revision = revision + 1, \
           updated_at = ? WHERE id = ?",
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
    conn: &mut SqliteConnection,
    kit: KitTypeId,
    risky: &[i64],
    now: &str,
) -> DbResult<Vec<ReservationId>> {
    let mut newly = Vec::new();
    let sql = format!("SELECT id, at_risk FROM reservations WHERE kit_type_id = ? AND {HOLDING}");
    let rows = sqlx::query_as::<_, (i64, i64)>(&sql)
        .bind(kit.0)
        .fetch_all(&mut *conn)
        .await?;
    for (id, flagged) in rows {
        let wanted = risky.contains(&id);
        if wanted != (flagged != 0) {
            sqlx::query("UPDATE reservations SET at_risk = ?, revision = revision + 1, updated_at = ? WHERE id = ?")
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
    conn: &mut SqliteConnection,
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
        let mut notes = QueryBuilder::<Sqlite>::new(
            "SELECT l.reservation_id, u.inventory_code, l.parts_counted, l.damage_note \
         FROM loan_lines l JOIN units u ON u.id = l.unit_id \
         WHERE l.returned_at IS NOT NULL",
        );
        super::push_in(&mut notes, "l.reservation_id", returned);
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

pub(crate) const SELECT_RECORD: &str = "SELECT r.id, r.status, k.slug, k.title, p.name, pp.name, \
       pp.street || ', ' || pp.postcode || ' ' || pp.municipality, s.name, u.name, r.quantity, \
       r.pickup_date, r.return_date, r.held_until, r.note, r.reason, r.at_risk, r.created_at, \
       r.kit_type_id, k.partner_id, r.pickup_point_id, r.school_id, r.user_id, u.email, u.lang, \
       r.revision, r.updated_at, r.offer_expires_at, \
       (SELECT json_group_array(json_array(s.id, t.title, s.starts_at)) FROM reservation_conditions c \
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

pub(crate) fn record(r: &sqlx::sqlite::SqliteRow) -> ReservationRecord {
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
            at_risk: r.get::<i64, _>(15) != 0,
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
    conn: &mut SqliteConnection,
    id: ReservationId,
) -> DbResult<Option<ReservationRecord>> {
    let sql = format!("{SELECT_RECORD} WHERE r.id = ?");
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
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(SELECT_RECORD);
        q.push(" WHERE 1 = 1");
        if let Some(user) = f.user {
            q.push(" AND r.user_id = ").push_bind(user.0);
        }
        if let Some(schools) = &f.schools {
            super::push_in(&mut q, "r.school_id", schools.iter().map(|x| x.0));
        }
        if let Some(partners) = &f.partners {
            super::push_in(&mut q, "k.partner_id", partners.iter().map(|x| x.0));
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

    /// The pickup points of a kit type, by slug of the kit.
    pub async fn kit_for_booking(
        &self,
        slug: &str,
    ) -> DbResult<Option<(BookableKit, Vec<BookablePoint>)>> {
        let mut conn = self.pool().acquire().await?;
        let Some(kit) = bookable_kit(&mut conn, slug).await? else {
            return Ok(None);
        };
        let points = kit_points(&mut conn, kit.id).await?;
        Ok(Some((kit, points)))
    }

    /// Closed periods and holds for reading availability (no transaction needed).
    pub async fn availability_inputs(
        &self,
        kit: KitTypeId,
        point: PickupPointId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> DbResult<(Vec<ClosedPeriod>, Vec<Hold>)> {
        let mut conn = self.pool().acquire().await?;
        let closed = closed_periods(&mut conn, point, from, to).await?;
        let holds = holds(&mut conn, kit, from, to).await?;
        Ok((closed, holds))
    }

    /// Kit types with a unit free on every day of `[from, to]`.
    pub async fn free_kits(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> DbResult<std::collections::HashSet<KitTypeId>> {
        use std::collections::HashMap;
        let in_service: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT kit_type_id, count(*) FROM units WHERE status = 'in-dienst' GROUP BY kit_type_id",
        )
        .fetch_all(self.pool())
        .await?;
        let (sql, args) = overlapping(
            "r.kit_type_id, r.id, r.school_id, r.pickup_date, r.held_until, r.quantity",
            KitSql::All,
            from,
            to,
        );
        let rows = bind_all(sqlx::query(&sql), args)
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(|r| {
                (
                    r.get::<i64, _>(0),
                    r.get::<i64, _>(1),
                    r.get::<i64, _>(2),
                    r.get::<String, _>(3),
                    r.get::<String, _>(4),
                    r.get::<i64, _>(5),
                )
            });
        let mut holds: HashMap<i64, Vec<Hold>> = HashMap::new();
        for (kit, id, school, first, last, quantity) in rows {
            holds.entry(kit).or_default().push(Hold {
                id,
                school: SchoolId(school),
                first: day(&first),
                last: day(&last),
                quantity: quantity as u32,
            });
        }
        Ok(in_service
            .into_iter()
            .filter(|(kit, units)| {
                let kit_holds = holds.get(kit).map(Vec::as_slice).unwrap_or_default();
                crate::domain::reservations::free_throughout(*units as u32, kit_holds, from, to)
            })
            .map(|(kit, _)| KitTypeId(kit))
            .collect())
    }

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
             WHERE c.last_day >= ? AND c.first_day <= ? ORDER BY c.first_day, c.id",
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
            "SELECT pp.partner_id FROM closed_periods c LEFT JOIN pickup_points pp ON pp.id = c.pickup_point_id WHERE c.id = ?",
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
            "SELECT id, partner_id FROM pickup_points WHERE slug = ?",
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
    conn: &mut SqliteConnection,
    row: &WaitingRow,
    kit: KitTypeId,
    now: &str,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO waitlist (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
           return_date, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'wachtend', ?, ?) RETURNING id",
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
pub async fn waiting(conn: &mut SqliteConnection, kit: KitTypeId) -> DbResult<Vec<WaitingRow>> {
    let rows = sqlx::query_as::<_, (i64, i64, i64, i64, i64, String, String)>(
        "SELECT id, pickup_point_id, school_id, user_id, quantity, pickup_date, return_date \
         FROM waitlist WHERE kit_type_id = ? AND status = 'wachtend' ORDER BY id",
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
    conn: &mut SqliteConnection,
    id: i64,
    status: &str,
    reservation: Option<ReservationId>,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE waitlist SET status = ?, reservation_id = coalesce(?, reservation_id), updated_at = ? WHERE id = ?",
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
    conn: &mut SqliteConnection,
    reservation: ReservationId,
    status: &str,
    now: &str,
) -> DbResult<()> {
    sqlx::query("UPDATE waitlist SET status = ?, updated_at = ? WHERE reservation_id = ?")
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
    conn: &mut SqliteConnection,
    id: i64,
) -> DbResult<Option<(WaitlistEntry, UserId)>> {
    let sql = format!("{SELECT_WAITING} WHERE w.id = ?");
    Ok(sqlx::query_as::<_, WaitingEntryRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(entry))
}

/// Offers from the waiting list whose time ran out before `now`.
pub async fn lapsed_offers(conn: &mut SqliteConnection, now: &str) -> DbResult<Vec<ReservationId>> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT id FROM reservations WHERE status = 'aangeboden' AND offer_expires_at < ? ORDER BY id",
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
            "{SELECT_WAITING} WHERE w.user_id = ? AND w.status IN ('wachtend', 'aangeboden') ORDER BY w.pickup_date, w.id"
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
pub async fn delete_closed_period(conn: &mut SqliteConnection, id: i64) -> DbResult<()> {
    sqlx::query("DELETE FROM closed_periods WHERE id = ?")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_closed_period(
    conn: &mut SqliteConnection,
    point: Option<PickupPointId>,
    period: &ClosedPeriod,
) -> DbResult<(i64, bool)> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM closed_periods WHERE pickup_point_id IS ? AND first_day = ? AND last_day = ?",
    )
    .bind(point.map(|p| p.0))
    .bind(period.first.to_string())
    .bind(period.last.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = existing {
        sqlx::query("UPDATE closed_periods SET reason = ? WHERE id = ?")
            .bind(&period.reason)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        return Ok((id, false));
    }
    let id = sqlx::query_scalar(
        "INSERT INTO closed_periods (pickup_point_id, first_day, last_day, reason) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(point.map(|p| p.0))
    .bind(period.first.to_string())
    .bind(period.last.to_string())
    .bind(&period.reason)
    .fetch_one(&mut *conn)
    .await?;
    Ok((id, true))
}

#[cfg(test)]
mod overlap_tests {
    //! The span-class ranges against a plain filter over the same reservations: every hold
    //! overlapping a window is found, and nothing else, whatever the spans and statuses.
    use super::*;
    use crate::domain::reservations::free_throughout;
    use chrono::Duration;
    use proptest::prelude::*;

    const STATUSES: [&str; 8] = [
        "aangeboden",
        "aangevraagd",
        "bevestigd",
        "afgehaald",
        "teruggebracht",
        "geannuleerd",
        "geweigerd",
        "niet-afgehaald",
    ];

    fn base() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
    }

    /// (kit 1 or 2, pickup day offset, span in days, status, quantity, school 1 or 2)
    type Booking = (i64, i64, i64, usize, u32, i64);

    async fn setup(rows: &[Booking]) -> Db {
        let db = Db::open("sqlite::memory:").await.unwrap();
        let at = "'2025-09-01T08:00:00+00:00'";
        for sql in [
            "INSERT INTO partners (id, slug, name) VALUES (1, 'p1', 'Een')".to_owned(),
            "INSERT INTO pickup_points (id, partner_id, slug, name, street, postcode, municipality) \
             VALUES (1, 1, 'a', 'A', 's', '8000', 'Brugge')"
                .into(),
            format!(
                "INSERT INTO kit_types (id, slug, title, kind, partner_id, created_at, updated_at) \
                 VALUES (1, 'k1', 'K1', 'uitleen', 1, {at}, {at}), (2, 'k2', 'K2', 'uitleen', 1, {at}, {at})"
            ),
            "INSERT INTO kit_type_pickup_points (kit_type_id, pickup_point_id) VALUES (1, 1), (2, 1)"
                .into(),
            format!(
                "INSERT INTO units (kit_type_id, inventory_code, created_at) VALUES \
                 (1, 'U1', {at}), (1, 'U2', {at}), (1, 'U3', {at}), (2, 'U4', {at})"
            ),
            "INSERT INTO schools (id, instellingsnummer, name, network, levels) VALUES \
             (1, '000001', 'S', 'go', 'lager'), (2, '000002', 'T', 'go', 'lager')"
                .into(),
            format!("INSERT INTO users (id, email, name, created_at) VALUES (1, 't1@x.be', 'T1', {at})"),
        ] {
            sqlx::query(&sql)
                .execute(db.writer())
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        for (kit, offset, span, status, quantity, school) in rows {
            let pickup = base() + Duration::days(*offset);
            let held = pickup + Duration::days(*span);
            sqlx::query(
                "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, \
                 pickup_date, return_date, held_until, status, created_at, updated_at) \
                 VALUES (?, 1, ?, 1, ?, ?, ?, ?, ?, '', '')",
            )
            .bind(kit)
            .bind(school)
            .bind(quantity)
            .bind(pickup.to_string())
            .bind(pickup.to_string())
            .bind(held.to_string())
            .bind(STATUSES[*status])
            .execute(db.writer())
            .await
            .unwrap();
        }
        db
    }

    /// The holds of `kit` overlapping the window, by a plain filter over `rows`.
    fn expected(rows: &[Booking], kit: i64, from: NaiveDate, to: NaiveDate) -> Vec<Hold> {
        rows.iter()
            .enumerate()
            .filter(|(_, r)| r.0 == kit && r.3 < 4)
            .map(|(i, r)| Hold {
                id: i as i64 + 1,
                school: SchoolId(r.5),
                first: base() + Duration::days(r.1),
                last: base() + Duration::days(r.1 + r.2),
                quantity: r.4,
            })
            .filter(|h| h.first <= to && h.last >= from)
            .collect()
    }

    fn sorted(mut holds: Vec<Hold>) -> Vec<Hold> {
        holds.sort_by_key(|h| h.id);
        holds
    }

    fn booking() -> impl Strategy<Value = Booking> {
        (
            1i64..=2,
            0i64..900,
            // Every span class, its edges included.
            prop_oneof![
                0i64..16,
                14i64..18,
                16i64..64,
                62i64..66,
                64i64..256,
                254i64..258,
                256i64..700
            ],
            0usize..8,
            1u32..4,
            1i64..=2,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn every_overlapping_hold_and_nothing_else(
            rows in proptest::collection::vec(booking(), 0..80),
            windows in proptest::collection::vec((0i64..1000, 0i64..400), 1..6),
        ) {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let db = setup(&rows).await;
                for (start, len) in &windows {
                    let from = base() + Duration::days(*start - 50);
                    let to = from + Duration::days(*len);
                    // In memory, readers share the one writer connection: give it back
                    // before `free_kits` takes it.
                    let mut conn = db.pool().acquire().await.unwrap();
                    for kit in [1, 2] {
                        let want = expected(&rows, kit, from, to);
                        let got = holds(&mut conn, KitTypeId(kit), from, to).await.unwrap();
                        assert_eq!(sorted(got), want, "kit {kit}, {from}..{to}");
                        let mut spans = held_spans(&mut conn, KitTypeId(kit), from, to).await.unwrap();
                        let mut want_spans: Vec<Held> = want.iter().map(Held::from).collect();
                        let key = |h: &Held| (h.first, h.last, h.quantity);
                        spans.sort_by_key(key);
                        want_spans.sort_by_key(key);
                        assert_eq!(spans, want_spans, "spans, kit {kit}, {from}..{to}");
                        let ctx = booking_context(
                            &mut conn,
                            &format!("k{kit}"),
                            "a",
                            (SchoolId(1), UserId(1)),
                            (from, to),
                            (from, to),
                            from,
                        )
                        .await
                        .unwrap()
                        .unwrap();
                        assert_eq!(sorted(ctx.holds), want, "booking context, kit {kit}");
                    }
                    drop(conn);
                    let free = db.free_kits(from, to).await.unwrap();
                    for (kit, units) in [(1, 3), (2, 1)] {
                        let want = free_throughout(units, &expected(&rows, kit, from, to), from, to);
                        assert_eq!(free.contains(&KitTypeId(kit)), want, "free kit {kit}, {from}..{to}");
                    }
                }
            });
        }
    }

    /// Each bounded class is read as one index range closed on both sides of `pickup_date`:
    /// bookings long before or after the window are not visited.
    #[tokio::test]
    async fn each_class_is_one_bounded_index_range() {
        let db = setup(&[]).await;
        let from = base();
        let to = from + Duration::days(30);
        for (kit, index, cols, tail) in [
            (
                KitSql::Id(KitTypeId(1)),
                "reservations_holding_span ",
                "r.id",
                "",
            ),
            (KitSql::All, "reservations_holding_span_all ", "r.id", ""),
            // `held_spans`: grouped by pickup day in index order, without a sort.
            (
                KitSql::Id(KitTypeId(1)),
                "reservations_holding_span ",
                "r.pickup_date, group_concat(r.held_until)",
                " GROUP BY r.pickup_date",
            ),
        ] {
            let (sql, args) = overlapping_then(cols, kit, from, to, tail);
            let steps: Vec<String> =
                bind_all(sqlx::query(&format!("EXPLAIN QUERY PLAN {sql}")), args)
                    .fetch_all(db.pool())
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.get::<String, _>(3))
                    .collect();
            assert!(
                steps.iter().all(|step| !step.contains("TEMP B-TREE")),
                "{steps:?}"
            );
            let plan: Vec<&String> = steps.iter().filter(|d| d.contains("INDEX")).collect();
            assert_eq!(plan.len(), SPAN_LIMITS.len() + 1, "{plan:?}");
            for (class, step) in plan.iter().enumerate() {
                assert!(step.contains(index), "{step}");
                if class < SPAN_LIMITS.len() {
                    assert!(
                        step.contains("pickup_date>? AND pickup_date<?"),
                        "class {class} is not bounded on both sides: {step}"
                    );
                }
            }
        }
    }
}
