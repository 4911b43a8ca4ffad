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
