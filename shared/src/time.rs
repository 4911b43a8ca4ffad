//! Local time in Brussels, without a time-zone database: the EU summer-time rule in
//! integer arithmetic, so the server and the browser build share one implementation.

use crate::query::day_number;

/// The civil date of a day number (days since 1970-01-01); Howard Hinnant's algorithm.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// The day number of the last Sunday of a month that has 31 days.
fn last_sunday(year: i64, month: u32) -> i64 {
    let last = day_number(&format!("{year:04}-{month:02}-31")).unwrap_or(0);
    // 1970-01-01 was a Thursday: (n + 4) mod 7 is 0 on Sundays.
    last - (last + 4).rem_euclid(7)
}

/// Brussels' offset from UTC in hours at a UTC instant given as day number and hour:
/// +2 from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
/// October, +1 otherwise.
pub fn brussels_offset_hours(day: i64, hour: u32) -> i64 {
    let (year, _, _) = civil_from_days(day);
    let at = day * 24 + i64::from(hour);
    let from = last_sunday(year, 3) * 24 + 1;
    let until = last_sunday(year, 10) * 24 + 1;
    if at >= from && at < until {
        2
    } else {
        1
    }
}

/// A UTC RFC 3339 instant (`2026-11-29T09:00:00+00:00` or `…Z`) as Brussels local date and
/// time: ("2026-11-29", "10:00"). `None` if it is not one.
pub fn brussels_local(rfc3339: &str) -> Option<(String, String)> {
    let day = day_number(rfc3339.get(0..10)?)?;
    let hour: u32 = rfc3339.get(11..13)?.parse().ok()?;
    let minute: u32 = rfc3339.get(14..16)?.parse().ok()?;
    let utc_suffix = rfc3339.ends_with('Z') || rfc3339.ends_with("+00:00");
    if !utc_suffix {
        return None;
    }
    let local = day * 24 + i64::from(hour) + brussels_offset_hours(day, hour);
    let (y, m, d) = civil_from_days(local.div_euclid(24));
    Some((
        format!("{y:04}-{m:02}-{d:02}"),
        format!("{:02}:{minute:02}", local.rem_euclid(24)),
    ))
}

/// The UTC instant (RFC 3339, `+00:00`) at which a Brussels local day (a day number)
/// begins. Summer time never switches at midnight, so the offset an hour before is the one.
pub fn brussels_midnight_utc(day: i64) -> String {
    let before = day * 24 - 1;
    let offset = brussels_offset_hours(before.div_euclid(24), before.rem_euclid(24) as u32);
    let utc = day * 24 - offset;
    let (y, m, d) = civil_from_days(utc.div_euclid(24));
    format!("{y:04}-{m:02}-{d:02}T{:02}:00:00+00:00", utc.rem_euclid(24))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_midnight_in_utc() {
        let winter = day_number("2026-11-30").unwrap();
        assert_eq!(brussels_midnight_utc(winter), "2026-11-29T23:00:00+00:00");
        let summer = day_number("2026-07-01").unwrap();
        assert_eq!(brussels_midnight_utc(summer), "2026-06-30T22:00:00+00:00");
        let (day, time) = brussels_local(&brussels_midnight_utc(summer)).unwrap();
        assert_eq!((day.as_str(), time.as_str()), ("2026-07-01", "00:00"));
    }

    #[test]
    fn days_round_trip() {
        for n in [-1000, 0, 20_784, 60_000] {
            let (y, m, d) = civil_from_days(n);
            assert_eq!(day_number(&format!("{y:04}-{m:02}-{d:02}")), Some(n));
        }
    }

    #[test]
    fn summer_time_switches_at_one_utc() {
        let day = |s: &str| day_number(s).unwrap();
        assert_eq!(brussels_offset_hours(day("2026-03-29"), 0), 1);
        assert_eq!(brussels_offset_hours(day("2026-03-29"), 1), 2);
        assert_eq!(brussels_offset_hours(day("2026-10-25"), 0), 2);
        assert_eq!(brussels_offset_hours(day("2026-10-25"), 1), 1);
    }

    #[test]
    fn local_times() {
        assert_eq!(
            brussels_local("2026-11-29T09:00:00+00:00"),
            Some(("2026-11-29".into(), "10:00".into()))
        );
        assert_eq!(
            brussels_local("2026-06-30T22:30:00Z"),
            Some(("2026-07-01".into(), "00:30".into()))
        );
        assert_eq!(brussels_local("gisteren"), None);
    }
}
