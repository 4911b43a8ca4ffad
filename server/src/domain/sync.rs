//! The pure parts of the sync collections: opaque cursors, `updated_since` instants on
//! the database's clock format, and entity tags.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use sha2::{Digest, Sha256};

/// The page sizes a client may ask for, and the default.
pub const LIMITS: std::ops::RangeInclusive<u32> = 1..=500;
pub const DEFAULT_LIMIT: u32 = 100;

/// The synced collections; their names are the routes' last segment and the cursors'
/// prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Reservations,
    Units,
    Schools,
    People,
    KitTypes,
}

impl Collection {
    pub fn name(self) -> &'static str {
        match self {
            Collection::Reservations => "reservations",
            Collection::Units => "units",
            Collection::Schools => "schools",
            Collection::People => "people",
            Collection::KitTypes => "kit-types",
        }
    }
}

/// The cursor after a row with this change number, for one collection: base64url of
/// `<collection>:<change_seq>`. Clients must treat it as opaque.
pub fn cursor(collection: &str, change_seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{collection}:{change_seq}"))
}

/// The change number a cursor of this collection stands for; `None` when it is not one
/// (malformed, or another collection's).
pub fn parse_cursor(collection: &str, cursor: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim_end_matches('=')).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let seq = text.strip_prefix(collection)?.strip_prefix(':')?;
    if seq.is_empty() || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    seq.parse().ok()
}

/// An RFC 3339 instant as the smallest `changed_at` value (UTC, milliseconds, as SQLite's
/// `strftime('%Y-%m-%dT%H:%M:%fZ')` writes it) that is at or after it: rounded up to the
/// millisecond, so "at or after" stays exact.
pub fn since(value: &str) -> Option<String> {
    let instant = DateTime::parse_from_rfc3339(value)
        .ok()?
        .with_timezone(&Utc);
    let floor = instant.trunc_subsecs(3);
    let ceil = if floor == instant {
        floor
    } else {
        floor + TimeDelta::milliseconds(1)
    };
    Some(ceil.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
}

/// A weak entity tag over everything the answer depends on: the collection, whose view it
/// is, the query, and the filtered set's size and last change number.
pub fn etag(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.len().to_le_bytes());
        hash.update(part.as_bytes());
    }
    let digest = hash.finalize();
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let c = cursor("reservations", 42);
        assert_eq!(parse_cursor("reservations", &c), Some(42));
        assert!(c
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(parse_cursor("units", &c), None);
        assert_eq!(parse_cursor(Collection::Schools.name(), &c), None);
        assert_eq!(
            parse_cursor("schools", &cursor(Collection::Schools.name(), 7)),
            Some(7)
        );
        let kits = cursor(Collection::KitTypes.name(), 9);
        assert_eq!(parse_cursor("kit-types", &kits), Some(9));
        assert_eq!(parse_cursor(Collection::People.name(), &kits), None);
        assert_eq!(parse_cursor("reservations", "!!"), None);
        assert_eq!(parse_cursor("reservations", ""), None);
        assert_eq!(
            parse_cursor("reservations", &URL_SAFE_NO_PAD.encode("reservations:-1")),
            None
        );
        assert_eq!(
            parse_cursor("reservations", &URL_SAFE_NO_PAD.encode("reservations:")),
            None
        );
        assert_eq!(
            parse_cursor(
                "reservations",
                &URL_SAFE_NO_PAD.encode("reservations:99999999999999999999")
            ),
            None
        );
    }

    #[test]
    fn since_is_utc_milliseconds_rounded_up() {
        assert_eq!(
            since("2026-12-01T10:00:00+01:00").as_deref(),
            Some("2026-12-01T09:00:00.000Z")
        );
        assert_eq!(
            since("2026-12-01T09:00:00.1234Z").as_deref(),
            Some("2026-12-01T09:00:00.124Z")
        );
        assert_eq!(
            since("2026-12-01T09:00:00.999Z").as_deref(),
            Some("2026-12-01T09:00:00.999Z")
        );
        assert_eq!(since("2026-12-01"), None);
        assert_eq!(since("yesterday"), None);
    }

    #[test]
    fn etags_are_weak_and_differ_by_every_part() {
        let a = etag(&["reservations", "all", "3", "7"]);
        assert!(a.starts_with("W/\"") && a.ends_with('"'));
        assert_eq!(a, etag(&["reservations", "all", "3", "7"]));
        assert_ne!(a, etag(&["reservations", "all", "3", "8"]));
        assert_ne!(a, etag(&["reservations", "all", "4", "7"]));
        assert_ne!(a, etag(&["reservations", "all3", "", "7"]));
    }
}
