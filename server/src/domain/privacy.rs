//! Retention: which records the daily job removes, as instants before which they go.

use chrono::{DateTime, Duration, Utc};
use leenpunt_shared::privacy::Retention;

/// The instants (UTC, RFC 3339) before which each kind of record is removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cutoffs {
    /// Mails sent before this.
    pub sent_mail: String,
    /// Sessions last used before this.
    pub sessions: String,
    /// Failed sign-ins and mail requests before this.
    pub throttles: String,
    /// Unconfirmed accounts created before this.
    pub unconfirmed: String,
}

/// The cut-offs at `now` for the configured periods.
pub fn cutoffs(now: DateTime<Utc>, r: &Retention) -> Cutoffs {
    let before = |days: u32| (now - Duration::days(i64::from(days))).to_rfc3339();
    Cutoffs {
        sent_mail: before(r.sent_mail_days),
        sessions: before(r.session_days),
        throttles: before(r.throttle_days),
        unconfirmed: before(r.unconfirmed_days),
    }
}

/// What one run removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Removed {
    pub mails: u64,
    pub sessions: u64,
    pub throttles: u64,
    pub unconfirmed: u64,
}

impl Removed {
    /// The audit detail: counts only, no person.
    pub fn detail(&self) -> String {
        format!(
            "mails={} sessions={} throttles={} unconfirmed={}",
            self.mails, self.sessions, self.throttles, self.unconfirmed
        )
    }
}

/// The exactly-once key of a day's retention run.
pub fn retention_key(day: chrono::NaiveDate) -> String {
    format!("retention:{day}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoffs_count_back_from_now() {
        let now = DateTime::parse_from_rfc3339("2026-12-10T03:00:00Z")
            .unwrap()
            .to_utc();
        let c = cutoffs(now, &Retention::default());
        assert_eq!(c.sent_mail, "2026-09-11T03:00:00+00:00");
        assert_eq!(c.sessions, "2026-11-10T03:00:00+00:00");
        assert_eq!(c.throttles, c.sessions);
        assert_eq!(c.unconfirmed, "2026-12-03T03:00:00+00:00");
        assert_eq!(
            Removed {
                mails: 2,
                ..Removed::default()
            }
            .detail(),
            "mails=2 sessions=0 throttles=0 unconfirmed=0"
        );
    }
}
