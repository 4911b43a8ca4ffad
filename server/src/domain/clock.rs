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

/// A clock that says what it was last set to: tests move time forward with it (past a
/// training session, past an offer's deadline) without sleeping.
#[derive(Debug)]
pub struct SettableClock(std::sync::RwLock<DateTime<Utc>>);

impl SettableClock {
    pub fn new(at: DateTime<Utc>) -> SettableClock {
        SettableClock(std::sync::RwLock::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = at;
    }
}

impl Clock for SettableClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.read().unwrap_or_else(|e| e.into_inner())
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

/// The local date and time in Brussels at an instant.
pub fn brussels_time(at: DateTime<Utc>) -> chrono::NaiveDateTime {
    (at + chrono::Duration::seconds(i64::from(brussels_offset_seconds(at)))).naive_utc()
}

/// The instant of a local Brussels date and time. In the hour skipped in spring, the
/// winter offset applies; in the hour repeated in autumn, the later (winter) one.
pub fn brussels_to_utc(local: chrono::NaiveDateTime) -> DateTime<Utc> {
    for offset in [3600, 7200] {
        let at = (local - chrono::Duration::seconds(offset)).and_utc();
        if i64::from(brussels_offset_seconds(at)) == offset {
            return at;
        }
    }
    (local - chrono::Duration::hours(1)).and_utc()
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
    fn local_times_round_trip_through_utc() {
        let local = |m, d, h| {
            NaiveDate::from_ymd_opt(2026, m, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
        };
        for (m, d, h, utc_hour) in [(12, 3, 14, 13), (7, 1, 14, 12), (3, 29, 12, 10)] {
            let at = brussels_to_utc(local(m, d, h));
            assert_eq!(
                at,
                Utc.with_ymd_and_hms(2026, m, d, utc_hour, 0, 0).unwrap()
            );
            assert_eq!(brussels_time(at), local(m, d, h));
        }
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
