//! The kit page's calendar: free units per day over one or more months, and the closed
//! days that shape it (the demo seed included).

use crate::db::reservations as store;
use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::reservations::{
    earliest_pickup, free_per_day_of, latest_pickup, KitSituation, OpenCalendar,
};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::{Datelike, Duration, NaiveDate};
use leenpunt_shared::*;

/// The calendar of a pickup point over a range, with the closures loaded.
pub(super) async fn calendar(
    conn: &mut crate::db::Conn,
    point: &store::BookablePoint,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<OpenCalendar> {
    let closed = store::closed_periods(conn, point.id, from, to).await?;
    Ok(OpenCalendar::new(point.weekdays, &closed))
}

/// Parses `YYYY-MM` into the month's first day.
fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.trim().split_once('-')?;
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

fn month_code(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn add_months(first: NaiveDate, n: i32) -> NaiveDate {
    let total = first.year() * 12 + first.month0() as i32 + n;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(first)
}

/// Availability of a kit type at a pickup point, month by month (1 to 12 months).
pub async fn availability(
    db: &Db,
    clock: &dyn Clock,
    lang: Lang,
    slug: &str,
    point: Option<&str>,
    month: Option<&str>,
    months: u32,
) -> Result<Vec<MonthAvailability>> {
    let today = today(clock);
    let mut conn = db.read().await?;
    let kit = store::bookable_kit(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let points = store::kit_points(&mut conn, kit.id).await?;
    let point = match point.filter(|p| !p.is_empty()) {
        Some(slug) => points.iter().find(|p| p.slug == slug),
        None => points.first(),
    }
    .ok_or_else(|| {
        AppError::Validation(vec![FieldError::new(
            "pickup",
            Text::ThisMaterialIsNotPickedUp.get(lang),
        )])
    })?;
    let first = match month.filter(|m| !m.is_empty()) {
        Some(m) => parse_month(m).ok_or_else(|| {
            AppError::Validation(vec![FieldError::new(
                "month",
                Text::ChooseAMonthAsYyyyMm.get(lang),
            )])
        })?,
        None => today.with_day(1).unwrap_or(today),
    };
    let asked = month.is_some_and(|m| !m.is_empty());
    let (months_out, earliest) = months_from(&mut conn, &kit, point, first, today, months).await?;
    // Unless a month was asked for, open on the first month with a day that can be
    // booked (lead times can push it past the end of this month).
    let first_bookable = earliest.with_day(1).unwrap_or(earliest);
    if !asked && first_bookable > first && !months_out[0].days.iter().any(|d| d.bookable) {
        return Ok(
            months_from(&mut conn, &kit, point, first_bookable, today, months)
                .await?
                .0,
        );
    }
    Ok(months_out)
}

/// Why an open day cannot be a pickup day, if it cannot.
fn day_limit(
    d: NaiveDate,
    today: NaiveDate,
    earliest: NaiveDate,
    latest: NaiveDate,
) -> Option<DayLimit> {
    if d < today {
        Some(DayLimit::Past)
    } else if d < earliest {
        Some(DayLimit::TooSoon)
    } else if d > latest {
        Some(DayLimit::NotYet)
    } else {
        None
    }
}

/// `months` months of availability from the month starting on `first`.
async fn months_from(
    conn: &mut crate::db::Conn,
    kit: &store::BookableKit,
    point: &store::BookablePoint,
    first: NaiveDate,
    today: NaiveDate,
    months: u32,
) -> Result<(Vec<MonthAvailability>, NaiveDate)> {
    let months = months.clamp(1, 12) as i32;
    let last = add_months(first, months) - Duration::days(1);
    let calendar = calendar(conn, point, first.min(today), last).await?;
    let held = store::held_spans(conn, kit.id, first, last).await?;
    // The pickup window depends on the calendar and the rules, not on the holds.
    let situation = KitSituation {
        today,
        rules: kit.rules,
        calendar: &calendar,
        in_service: kit.in_service,
        owned: kit.owned,
        holds: &[],
    };
    let earliest = earliest_pickup(&situation);
    let latest = latest_pickup(&situation);
    let free = free_per_day_of(kit.in_service, held, first, last);
    let mut out = Vec::new();
    for i in 0..months {
        let start = add_months(first, i);
        let end = add_months(first, i + 1) - Duration::days(1);
        let offset = (start - first).num_days() as usize;
        let days = (0..=(end - start).num_days())
            .map(|n| {
                let d = start + Duration::days(n);
                let open = calendar.is_open(d);
                DayAvailability {
                    date: d.to_string(),
                    day: d.day() as u8,
                    free: free[offset + n as usize],
                    open,
                    closed_reason: calendar.closed_reason(d).map(str::to_owned),
                    bookable: open && d >= earliest && d <= latest && kit.kind.is_reservable(),
                    limit: day_limit(d, today, earliest, latest)
                        .filter(|_| open && kit.kind.is_reservable()),
                }
            })
            .collect();
        out.push(MonthAvailability {
            month: month_code(start),
            prev_month: month_code(add_months(start, -1)),
            next_month: month_code(add_months(start, 1)),
            first_weekday: start.weekday().num_days_from_monday() as u8,
            units_in_service: kit.in_service,
            pickup_point: point.id,
            days,
        });
    }
    Ok((out, earliest))
}

/// Closes every pickup point on the Belgian public holidays of `years`, and loads the demo
/// closed days (school holidays) through the same import an admin uses each year.
pub async fn seed_closed_days(db: &Db, years: std::ops::RangeInclusive<i32>) -> Result<()> {
    use crate::domain::reservations::{public_holidays, ClosedPeriod};
    for year in years {
        for (date, name) in public_holidays(year) {
            let period = ClosedPeriod {
                first: date,
                last: date,
                reason: name.to_owned(),
            };
            db.add_closed_period(None, &period).await?;
        }
    }
    crate::service::import::import_closed_days(db, crate::service::import::DEMO_CLOSED_DAYS)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("demo closed days: {e}")))?;
    Ok(())
}
