//! Erasure: what blocks it, what an erased account becomes, how a person's name and address
//! are taken out of free text, and when an inactive account is warned and then erased.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use leenpunt_shared::privacy::Blocker;

/// The name an erased account keeps.
pub const ERASED_NAME: &str = "Verwijderde gebruiker";

/// What replaces an erased person's address in free text.
pub const ERASED_ADDRESS: &str = "verwijderd";

/// The unique placeholder an erased account's `email` becomes: in the reserved `.invalid`
/// domain (RFC 2606), so it is nobody's address and no mail can ever reach anyone.
pub fn placeholder_email(user: i64) -> String {
    format!("verwijderd-{user}@verwijderd.invalid")
}

/// Whether an erasure may go ahead: only when nothing is still running for the person.
pub fn may_erase(blockers: &[Blocker]) -> Result<(), &[Blocker]> {
    if blockers.is_empty() {
        Ok(())
    } else {
        Err(blockers)
    }
}

/// Characters that continue a word or an address.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '@' | '.' | '_' | '-' | '+')
}

/// Replaces whole occurrences of `needle` (ignoring case) in `text` by `with`; "whole" means
/// not part of a longer word, so "An" in "Antwerpen" stays.
fn replace_whole(text: &str, needle: &str, with: &str) -> String {
    if needle.trim().is_empty() {
        return text.to_owned();
    }
    let lower = text.to_lowercase();
    let wanted = needle.to_lowercase();
    // Lower-casing may change byte lengths (rare letters); then only exact matches count.
    let (hay, wanted) = if lower.len() == text.len() {
        (lower.as_str(), wanted.as_str())
    } else {
        (text, needle)
    };
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    let mut search = 0;
    while let Some(pos) = hay[search..].find(wanted) {
        let start = search + pos;
        let end = start + wanted.len();
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c));
        let after_ok = text[end..]
            .chars()
            .next()
            .is_none_or(|c| !is_word_char(c) || c == '.');
        if before_ok && after_ok {
            out.push_str(&text[from..start]);
            out.push_str(with);
            from = end;
        }
        search = start + wanted.chars().next().map_or(1, char::len_utf8);
    }
    out.push_str(&text[from..]);
    out
}

/// `text` without the person's name and address (each whole occurrence, ignoring case,
/// replaced by a neutral word); `None` when neither occurs.
pub fn scrub(text: &str, name: &str, email: &str) -> Option<String> {
    let out = replace_whole(text, email, ERASED_ADDRESS);
    let out = replace_whole(&out, name, ERASED_NAME);
    (out != text).then_some(out)
}

/// The first day of the school year (1 September) that `day` falls in.
pub fn school_year_start(day: NaiveDate) -> NaiveDate {
    let year = if day.month() >= 9 {
        day.year()
    } else {
        day.year() - 1
    };
    NaiveDate::from_ymd_opt(year, 9, 1).expect("1 September exists")
}

/// An account whose last activity (sign-in, reservation, training) is before this day has
/// been inactive for `school_years` whole school years: the years before the current one.
pub fn inactive_before(today: NaiveDate, school_years: u32) -> NaiveDate {
    let start = school_year_start(today);
    NaiveDate::from_ymd_opt(start.year() - school_years as i32, 9, 1).expect("1 September exists")
}

/// What the daily job does with an inactive account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InactiveStep {
    /// Send the warning mail (it was not warned for this stretch of inactivity yet).
    Warn,
    /// Warned long enough ago without signing in since: erase.
    Erase,
    /// Warned, still within the warning period.
    Wait,
}

/// The step for an inactive account warned at `warned_at` (if at all), `warning_days` of
/// notice given.
pub fn inactive_step(
    warned_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    warning_days: u32,
) -> InactiveStep {
    match warned_at {
        None => InactiveStep::Warn,
        Some(at) if now >= at + Duration::days(i64::from(warning_days)) => InactiveStep::Erase,
        Some(_) => InactiveStep::Wait,
    }
}

/// The exactly-once key of the warning for one stretch of inactivity: a sign-in (or any
/// activity) later moves `last_active`, so a later stretch gets a warning of its own.
pub fn inactive_warning_key(user: i64, last_active: &str) -> String {
    format!("inactive:{user}:{last_active}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn scrubbing_replaces_whole_names_and_addresses_only() {
        assert_eq!(
            scrub(
                "Lotte Vermeulen (lotte@school.be) schreef: LOTTE VERMEULEN komt.",
                "Lotte Vermeulen",
                "lotte@school.be"
            )
            .as_deref(),
            Some("Verwijderde gebruiker (verwijderd) schreef: Verwijderde gebruiker komt.")
        );
        assert_eq!(scrub("Antwerpen en Anna", "An", "an@x.be"), None);
        assert_eq!(
            scrub("Groeten, An.", "An", "an@x.be").as_deref(),
            Some("Groeten, Verwijderde gebruiker.")
        );
        assert_eq!(
            scrub("mail xan@x.be of an@x.be.", "Zed", "an@x.be").as_deref(),
            Some("mail xan@x.be of verwijderd.")
        );
        assert_eq!(scrub("niets", "", ""), None);
    }

    #[test]
    fn three_whole_school_years_make_an_account_inactive() {
        assert_eq!(school_year_start(day("2026-11-27")), day("2026-09-01"));
        assert_eq!(school_year_start(day("2026-08-31")), day("2025-09-01"));
        // In 2026–27, the three school years before it began on 1 September 2023.
        assert_eq!(inactive_before(day("2026-11-27"), 3), day("2023-09-01"));
        assert_eq!(inactive_before(day("2027-08-31"), 3), day("2023-09-01"));
        assert_eq!(inactive_before(day("2027-09-01"), 3), day("2024-09-01"));
    }

    #[test]
    fn an_inactive_account_is_warned_then_erased_after_the_notice() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        let now = at("2026-12-10T03:00:00Z");
        assert_eq!(inactive_step(None, now, 30), InactiveStep::Warn);
        assert_eq!(
            inactive_step(Some(at("2026-11-20T03:00:00Z")), now, 30),
            InactiveStep::Wait
        );
        assert_eq!(
            inactive_step(Some(at("2026-11-10T03:00:00Z")), now, 30),
            InactiveStep::Erase
        );
        assert_eq!(
            inactive_warning_key(7, "2023-05-01T10:00:00+00:00"),
            "inactive:7:2023-05-01T10:00:00+00:00"
        );
        assert_eq!(placeholder_email(7), "verwijderd-7@verwijderd.invalid");
        assert!(may_erase(&[]).is_ok());
    }
}

/// The mails of an erasure, in the person's language.
pub mod mails {
    use crate::domain::mail::{compose, Mail};
    use crate::texts::Text;
    use leenpunt_shared::{Email, Lang};

    fn one(lang: Lang, to: &Email, subject: Text<'_>, body: Text<'_>) -> Mail {
        compose(
            lang,
            to,
            subject.get(lang),
            Text::MailHello,
            &[body.get(lang)],
        )
    }

    /// The last mail: the account is gone (on request, or after inactivity).
    pub fn farewell(lang: Lang, to: &Email, inactive: bool) -> Mail {
        let body = if inactive {
            Text::ErasedInactiveBody
        } else {
            Text::ErasedBody
        };
        one(lang, to, Text::ErasedSubject, body)
    }

    /// The warning before an inactive account is erased.
    pub fn inactive_warning(lang: Lang, to: &Email, days: u32, link: &str) -> Mail {
        one(
            lang,
            to,
            Text::InactiveSubject,
            Text::InactiveBody {
                days: &days,
                link: &link,
            },
        )
    }

    /// To an admin: someone asked (nobody is named; the link shows who).
    pub fn requested(lang: Lang, to: &Email, link: &str) -> Mail {
        one(
            lang,
            to,
            Text::ErasureRequestedSubject,
            Text::ErasureRequestedBody { link: &link },
        )
    }

    /// To the person: an admin refused, and why.
    pub fn refused(lang: Lang, to: &Email, reason: &str) -> Mail {
        one(
            lang,
            to,
            Text::ErasureRefusedSubject,
            Text::ErasureRefusedBody { reason: &reason },
        )
    }
}

/// The blockers in words, for a refusal's detail.
pub fn blockers_in_words(blockers: &[Blocker], lang: leenpunt_shared::Lang) -> String {
    use crate::texts::{instant, iso_day, Text};
    blockers
        .iter()
        .map(|b| match b {
            Blocker::OpenLoan {
                reservation,
                kit,
                day,
            } => Text::ErasureBlockedLoan {
                id: reservation,
                kit,
                day: &iso_day(day, lang),
            }
            .get(lang),
            Blocker::UpcomingReservation {
                reservation,
                kit,
                day,
            } => Text::ErasureBlockedReservation {
                id: reservation,
                kit,
                day: &iso_day(day, lang),
            }
            .get(lang),
            Blocker::Waiting { kit, day } => Text::ErasureBlockedWaiting {
                kit,
                day: &iso_day(day, lang),
            }
            .get(lang),
            Blocker::UpcomingSession { training, day, .. } => Text::ErasureBlockedSession {
                training,
                day: &instant(day, lang),
            }
            .get(lang),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
