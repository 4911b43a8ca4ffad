//! Trainings storage: training types, sessions, registrations, qualifications and the
//! conditions of conditional reservations.

use super::{classify, Db, DbResult};
use crate::domain::trainings::{Held, Registered, Required, Seats};
use chrono::{DateTime, NaiveDate, Utc};
use leenpunt_shared::*;
use sqlx::{AnyConnection, Row};

mod attendance;
mod conditions;
mod gate;
mod qualifications;
mod registrations;
mod sessions;
mod types;

pub use attendance::*;
pub use conditions::*;
pub use gate::*;
pub use qualifications::*;
pub use registrations::*;
pub use sessions::*;
pub use types::*;

fn instant(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_json_is_read_and_unreadable_json_is_an_error() {
        let json = r#"[[3,"bee-bot","Bee-Bot in de klas",[["2026-01-05","2028-01-04",0],["2026-02-01",null,1]],[[9,"2026-12-02T13:00:00+00:00"]]]]"#;
        let inputs = gate_inputs(Some(json)).unwrap();
        assert_eq!(inputs.required.len(), 1);
        assert_eq!(inputs.held.len(), 2);
        assert!(!inputs.held[0].revoked && inputs.held[1].revoked);
        assert_eq!(inputs.held[1].valid_until, None);
        assert_eq!(inputs.registered[0].session, 9);
        assert_eq!(inputs.registered[0].day.to_string(), "2026-12-02");
        assert!(gate_inputs(Some(r#"[[3,"x","y",[["2026-01-05",null,"ja"]],[]]]"#)).is_err());
        assert!(gate_inputs(None).unwrap().required.is_empty());
    }
}
