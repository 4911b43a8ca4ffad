//! What the availability calendar and the booking decision read: closed periods of a point,
//! the holds overlapping a window (by span class, so each is one bounded index range), and
//! the free kits of a period.

use super::booking::bookable_kit;
use super::booking::date;
use super::booking::day;
use super::booking::kit_points;
use super::booking::BookableKit;
use super::booking::BookablePoint;
use super::booking::HOLDING;
use crate::db::builder::numbered;
use crate::db::Engine;
use crate::db::{Db, DbResult};
use crate::domain::reservations::{ClosedPeriod, Held, Hold};
use chrono::NaiveDate;
use leenpunt_shared::*;
use sqlx::{Any, AnyConnection, Row};

/// Closed periods that touch `[from, to]` at a pickup point (its own and everyone's), by
/// first day and then as entered: where periods overlap, the first one names the day
/// (`OpenCalendar::new`), so ties must come in a fixed order (PostgreSQL's sort does not
/// keep one by itself).
pub async fn closed_periods(
    conn: &mut AnyConnection,
    point: PickupPointId,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<ClosedPeriod>> {
    let rows = sqlx::query_as::<_, (String, String, String)>(
        "SELECT first_day, last_day, reason FROM closed_periods \
         WHERE (pickup_point_id IS NULL OR pickup_point_id = $1) AND last_day >= $2 AND first_day <= $3 \
         ORDER BY first_day, id",
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

/// A value bound to a `?` of generated SQL (numbered `$N` by [`numbered`] once the
/// statement is whole).
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(i64),
    Text(String),
}

/// Binds `args` in order.
pub(crate) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    args: Vec<Arg>,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
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
    e: Engine,
    cols: &str,
    kit: KitSql,
    from: NaiveDate,
    to: NaiveDate,
) -> (String, Vec<Arg>) {
    overlapping_then(e, cols, kit, from, to, "")
}

/// `overlapping`, with `tail` (a `GROUP BY`) after each class's `WHERE`.
fn overlapping_then(
    e: Engine,
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
            "SELECT {cols} FROM {} WHERE ",
            e.reservations_indexed_by(index)
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
pub(super) fn holds_text(
    e: Engine,
    kit: KitSql,
    from: NaiveDate,
    to: NaiveDate,
) -> (String, Vec<Arg>) {
    let (inner, args) = overlapping(
        e,
        "r.id, r.school_id, r.pickup_date, r.held_until, r.quantity",
        kit,
        from,
        to,
    );
    (
        format!(
            "(SELECT {} FROM ({inner}) h)",
            e.group_concat(
                "id || ' ' || school_id || ' ' || pickup_date || ' ' || held_until || ' ' || quantity",
                "','"
            )
        ),
        args,
    )
}

/// Reads what `holds_text` wrote (`None`: no holds).
pub(super) fn parse_holds(text: Option<&str>) -> DbResult<Vec<Hold>> {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return Ok(Vec::new());
    };
    let bad = || {
        crate::db::DbError::from(sqlx::Error::Decode(
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
    conn: &mut AnyConnection,
    kit: KitTypeId,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<Hold>> {
    let (sub, args) = holds_text(Engine::of(conn), KitSql::Id(kit), from, to);
    let sql = numbered(&format!("SELECT {sub}"));
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
    conn: &mut AnyConnection,
    kit: KitTypeId,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<Held>> {
    let e = Engine::of(conn);
    let cols = format!(
        "r.pickup_date || {} AS x",
        e.group_concat(
            "CASE WHEN r.quantity = 1 THEN r.held_until \
               ELSE r.held_until || '*' || r.quantity || ';' END",
            "''"
        )
    );
    let (inner, args) = overlapping_then(
        e,
        &cols,
        KitSql::Id(kit),
        from,
        to,
        " GROUP BY r.pickup_date",
    );
    let sql = numbered(&format!(
        "SELECT (SELECT {} FROM ({inner}) s)",
        e.group_concat("x", "','")
    ));
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
        crate::db::DbError::from(sqlx::Error::Decode(
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

impl Db {
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
            self.engine(),
            "r.kit_type_id, r.id, r.school_id, r.pickup_date, r.held_until, r.quantity",
            KitSql::All,
            from,
            to,
        );
        let sql = numbered(&sql);
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
}

#[cfg(test)]
mod overlap_tests {
    //! The span-class ranges against a plain filter over the same reservations: every hold
    //! overlapping a window is found, and nothing else, whatever the spans and statuses.
    use super::*;
    use crate::db::reservations::booking::booking_context;
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
                 VALUES ($1, 1, $2, 1, $3, $4, $5, $6, $7, '', '')",
            )
            .bind(kit)
            .bind(school)
            .bind(i64::from(*quantity))
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
            let (sql, args) = overlapping_then(Engine::Sqlite, cols, kit, from, to, tail);
            let steps: Vec<String> = bind_all(
                sqlx::query(&numbered(&format!("EXPLAIN QUERY PLAN {sql}"))),
                args,
            )
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
