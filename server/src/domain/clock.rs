//! Time comes from a clock, so tests can fix "now".

use chrono::{DateTime, NaiveDate, Utc};
use std::sync::Arc;

/// The service's time zone, for turning instants into local dates.
pub const TIME_ZONE: &str = "Europe/Brussels";

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always says the same instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl FixedClock {
    pub fn on(date: NaiveDate) -> FixedClock {
        FixedClock(date.and_hms_opt(9, 0, 0).expect("valid time").and_utc())
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

pub type SharedClock = Arc<dyn Clock>;

/// The Europe/Brussels offset from UTC at an instant, in seconds: CET (+1 h), or CEST
/// (+2 h) from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
/// October (the EU rule; one implementation, shared with the browser build).
pub fn brussels_offset_seconds(at: DateTime<Utc>) -> i32 {
    use chrono::Timelike;
    let day = at
        .date_naive()
        .signed_duration_since(NaiveDate::default())
        .num_days();
    (leenpunt_shared::time::brussels_offset_hours(day, at.hour()) * 3600) as i32
}

/// The local date in Brussels at an instant.
pub fn brussels_date(at: DateTime<Utc>) -> NaiveDate {
    (at + chrono::Duration::seconds(i64::from(brussels_offset_seconds(at)))).date_naive()
}

/// Today in Brussels, by a clock.
pub fn today(clock: &dyn Clock) -> NaiveDate {
    brussels_date(clock.now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn brussels_switches_at_one_utc_on_the_last_sundays() {
        // 2026: summer time from 29 March, winter time from 25 October.
        let at = |y, m, d, h, min| Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap();
        assert_eq!(brussels_offset_seconds(at(2026, 3, 29, 0, 59)), 3600);
        assert_eq!(brussels_offset_seconds(at(2026, 3, 29, 1, 0)), 7200);
        assert_eq!(brussels_offset_seconds(at(2026, 10, 25, 0, 59)), 7200);
        assert_eq!(brussels_offset_seconds(at(2026, 10, 25, 1, 0)), 3600);
        assert_eq!(brussels_offset_seconds(at(2027, 1, 15, 12, 0)), 3600);
    }

    #[test]
    fn the_local_date_turns_at_local_midnight() {
        let at = |y, m, d, h| Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap();
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // 23:00 UTC in winter is already midnight in Brussels.
        assert_eq!(brussels_date(at(2026, 12, 31, 22)), date(2026, 12, 31));
        assert_eq!(brussels_date(at(2026, 12, 31, 23)), date(2027, 1, 1));
        // 22:00 UTC in summer.
        assert_eq!(brussels_date(at(2026, 6, 30, 21)), date(2026, 6, 30));
        assert_eq!(brussels_date(at(2026, 6, 30, 22)), date(2026, 7, 1));
    }
}
