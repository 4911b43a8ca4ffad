//! Reminders that prevent no-shows and late returns: when each is due, its occasion key
//! (what makes it exactly-once), and its text.
//!
//! A reminder is sent once per occasion. The key names the reservation *and* the date it
//! is about, so a reservation moved to another day gets a reminder for the new day, and
//! one that is cancelled or picked up is simply no longer a candidate.

use super::reservations::{format_date, OpenCalendar};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use leenpunt_shared::{Lang, Reservation};

/// Default open days between the pickup reminder and the pickup day.
pub const DEFAULT_PICKUP_REMINDER_DAYS: u32 = 2;
/// The most open days ahead a partner may choose.
pub const MAX_PICKUP_REMINDER_DAYS: u32 = 10;
/// The return reminder goes out from this local hour on the day before the return day.
pub const RETURN_REMINDER_HOUR: u32 = 17;
/// …and is no use any more after this local hour on the return day itself.
pub const RETURN_REMINDER_LATEST_HOUR: u32 = 12;

/// A training reminder goes out from this local hour on the day before the session.
pub const SESSION_REMINDER_HOUR: u32 = 8;

/// The occasions reminded of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    Pickup,
    Return,
}

impl Occasion {
    /// The exactly-once key: occasion, reservation and the day it is about.
    pub fn key(self, reservation: i64, day: NaiveDate) -> String {
        match self {
            Occasion::Pickup => format!("pickup:{reservation}:{day}"),
            Occasion::Return => format!("return:{reservation}:{day}"),
        }
    }
}

/// Who a training reminder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionRole {
    /// A registered teacher: place and time.
    Participant,
    /// A trainer of the session: place, time and the roster.
    Trainer,
}

impl SessionRole {
    /// The exactly-once key: role, session, person and the start it is about (a session
    /// moved to another time is reminded again).
    pub fn key(self, session: i64, user: i64, starts_at: &str) -> String {
        match self {
            SessionRole::Participant => format!("session:{session}:{user}:{starts_at}"),
            SessionRole::Trainer => format!("roster:{session}:{user}:{starts_at}"),
        }
    }
}

/// Whether a training reminder is due at local time `now` for a session starting at local
/// time `starts`: from 08:00 the day before until the start.
pub fn session_reminder_due(now: NaiveDateTime, starts: NaiveDateTime) -> bool {
    let from = (starts.date() - Duration::days(1))
        .and_time(NaiveTime::from_hms_opt(SESSION_REMINDER_HOUR, 0, 0).unwrap_or_default());
    now >= from && now < starts
}

/// A session as its reminder tells it (local times).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionBrief<'a> {
    pub person: &'a str,
    pub title: &'a str,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub place: &'a str,
    pub link: &'a str,
}

/// A training reminder's subject and body; `roster` (name, school) only for trainers.
pub fn session_reminder_text(
    role: SessionRole,
    lang: Lang,
    s: &SessionBrief<'_>,
    roster: &[(String, String)],
) -> (String, String) {
    let when = format!(
        "{} {}–{}",
        format_date(s.starts.date(), lang),
        s.starts.format("%H:%M"),
        s.ends.format("%H:%M")
    );
    let list = roster
        .iter()
        .map(|(name, school)| {
            if school.is_empty() {
                format!("- {name}\n")
            } else {
                format!("- {name} ({school})\n")
            }
        })
        .collect::<String>();
    match (role, lang) {
        (SessionRole::Participant, Lang::Nl) => (
            format!("Herinnering: opleiding {} morgen", s.title),
            format!(
                "Dag {},\n\nMorgen volg je deze opleiding:\n\n{}\nWanneer: {when}\nWaar: {}\n\n\
                 Kan je niet komen? Schrijf je dan uit, zodat iemand van de wachtlijst je plaats \
                 krijgt: {}\n\nLeenpunt\n",
                s.person, s.title, s.place, s.link
            ),
        ),
        (SessionRole::Participant, Lang::En) => (
            format!("Reminder: training {} tomorrow", s.title),
            format!(
                "Hello {},\n\nTomorrow you attend this training:\n\n{}\nWhen: {when}\nWhere: {}\n\n\
                 Can't come? Please unregister, so someone on the waiting list gets your seat: \
                 {}\n\nLeenpunt\n",
                s.person, s.title, s.place, s.link
            ),
        ),
        (SessionRole::Trainer, Lang::Nl) => (
            format!("Morgen: {} ({} ingeschreven)", s.title, roster.len()),
            format!(
                "Dag {},\n\nMorgen geef je deze opleiding:\n\n{}\nWanneer: {when}\nWaar: {}\n\n\
                 Ingeschreven ({}):\n{list}\nDe aanwezigheidslijst: {}\n\nLeenpunt\n",
                s.person,
                s.title,
                s.place,
                roster.len(),
                s.link
            ),
        ),
        (SessionRole::Trainer, Lang::En) => (
            format!("Tomorrow: {} ({} registered)", s.title, roster.len()),
            format!(
                "Hello {},\n\nTomorrow you give this training:\n\n{}\nWhen: {when}\nWhere: {}\n\n\
                 Registered ({}):\n{list}\nThe attendance list: {}\n\nLeenpunt\n",
                s.person,
                s.title,
                s.place,
                roster.len(),
                s.link
            ),
        ),
    }
}

/// Whether the pickup reminder is due on `today`: from `days` open days before the pickup
/// day (at the pickup point's calendar) until the day before it — so a missed run catches
/// up, and nothing is sent on the day itself. A reservation made today already has its
/// confirmation mail and gets no reminder on the same day.
pub fn pickup_reminder_due(
    today: NaiveDate,
    pickup: NaiveDate,
    made_on: NaiveDate,
    days: u32,
    calendar: &OpenCalendar,
) -> bool {
    if today >= pickup || made_on >= today {
        return false;
    }
    match calendar.nth_open_day_after(today, days) {
        Some(reach) => reach >= pickup,
        None => true,
    }
}

/// Whether the return reminder is due at local time `now`: from the evening before the
/// return day until noon on the return day.
pub fn return_reminder_due(now: NaiveDateTime, return_date: NaiveDate) -> bool {
    let from = (return_date - Duration::days(1))
        .and_time(NaiveTime::from_hms_opt(RETURN_REMINDER_HOUR, 0, 0).unwrap_or_default());
    let until = return_date
        .and_time(NaiveTime::from_hms_opt(RETURN_REMINDER_LATEST_HOUR, 0, 0).unwrap_or_default());
    now >= from && now < until
}

fn day(iso: &str, lang: Lang) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| format_date(d, lang))
        .unwrap_or_else(|_| iso.to_owned())
}

/// The reminder's subject and body for a borrower.
pub fn reminder_text(
    occasion: Occasion,
    lang: Lang,
    r: &Reservation,
    hours: &str,
    links: (&str, &str),
) -> (String, String) {
    let (page, ics) = links;
    let hours = hours.trim();
    match (occasion, lang) {
        (Occasion::Pickup, Lang::Nl) => (
            format!(
                "Herinnering: {} afhalen op {}",
                r.kit_title,
                day(&r.pickup_date, lang)
            ),
            format!(
                "Dag {},\n\nJe haalt binnenkort materiaal af:\n\n{} × {}\nAfhalen: {}\n\
                 Waar: {}, {}\n{}Terugbrengen: {}\n\nJe reservatie: {page}\n\
                 In je agenda: {ics}\n\nKan je toch niet komen? Annuleer dan via de link \
                 hierboven, zodat een andere school het materiaal kan lenen.\n\nLeenpunt\n",
                r.borrower,
                r.quantity,
                r.kit_title,
                day(&r.pickup_date, lang),
                r.pickup_point,
                r.pickup_point_address,
                if hours.is_empty() {
                    String::new()
                } else {
                    format!("Uren: {hours}\n")
                },
                day(&r.return_date, lang),
            ),
        ),
        (Occasion::Pickup, Lang::En) => (
            format!(
                "Reminder: pick up {} on {}",
                r.kit_title,
                day(&r.pickup_date, lang)
            ),
            format!(
                "Hello {},\n\nYou are picking up material soon:\n\n{} × {}\nPickup: {}\n\
                 Where: {}, {}\n{}Return: {}\n\nYour reservation: {page}\n\
                 In your calendar: {ics}\n\nCan't make it after all? Please cancel with the \
                 link above, so another school can borrow the material.\n\nLeenpunt\n",
                r.borrower,
                r.quantity,
                r.kit_title,
                day(&r.pickup_date, lang),
                r.pickup_point,
                r.pickup_point_address,
                if hours.is_empty() {
                    String::new()
                } else {
                    format!("Hours: {hours}\n")
                },
                day(&r.return_date, lang),
            ),
        ),
        (Occasion::Return, Lang::Nl) => (
            format!(
                "Herinnering: {} terugbrengen op {}",
                r.kit_title,
                day(&r.return_date, lang)
            ),
            format!(
                "Dag {},\n\nMorgen breng je dit materiaal terug:\n\n{} × {}\nTerugbrengen: {}\n\
                 Waar: {}, {}\n{}\nKijk even na of alle onderdelen erbij zijn.\n\n\
                 Je reservatie: {page}\n\nLeenpunt\n",
                r.borrower,
                r.quantity,
                r.kit_title,
                day(&r.return_date, lang),
                r.pickup_point,
                r.pickup_point_address,
                if hours.is_empty() {
                    String::new()
                } else {
                    format!("Uren: {hours}\n")
                },
            ),
        ),
        (Occasion::Return, Lang::En) => (
            format!(
                "Reminder: return {} on {}",
                r.kit_title,
                day(&r.return_date, lang)
            ),
            format!(
                "Hello {},\n\nTomorrow you return this material:\n\n{} × {}\nReturn: {}\n\
                 Where: {}, {}\n{}\nPlease check that all parts are there.\n\n\
                 Your reservation: {page}\n\nLeenpunt\n",
                r.borrower,
                r.quantity,
                r.kit_title,
                day(&r.return_date, lang),
                r.pickup_point,
                r.pickup_point_address,
                if hours.is_empty() {
                    String::new()
                } else {
                    format!("Hours: {hours}\n")
                },
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_pickup_reminder_counts_open_days_and_catches_up() {
        let workdays = OpenCalendar::new(OpenCalendar::WORKDAYS, &[]);
        // Pickup Tuesday 8 Dec 2026, two open days ahead: due from Friday 4 Dec.
        let pickup = d("2026-12-08");
        let made = d("2026-11-20");
        assert!(!pickup_reminder_due(
            d("2026-12-03"),
            pickup,
            made,
            2,
            &workdays
        ));
        assert!(pickup_reminder_due(
            d("2026-12-04"),
            pickup,
            made,
            2,
            &workdays
        ));
        // A missed Friday run catches up over the weekend and on Monday…
        assert!(pickup_reminder_due(
            d("2026-12-05"),
            pickup,
            made,
            2,
            &workdays
        ));
        assert!(pickup_reminder_due(
            d("2026-12-07"),
            pickup,
            made,
            2,
            &workdays
        ));
        // …but never on the day itself or after it.
        assert!(!pickup_reminder_due(pickup, pickup, made, 2, &workdays));
        assert!(!pickup_reminder_due(
            d("2026-12-09"),
            pickup,
            made,
            2,
            &workdays
        ));
        // Booked today: the confirmation is enough.
        assert!(!pickup_reminder_due(
            d("2026-12-07"),
            pickup,
            d("2026-12-07"),
            2,
            &workdays
        ));
        // A closed Monday pushes the reminder a day earlier.
        let closed_monday = OpenCalendar::new(
            OpenCalendar::WORKDAYS,
            &[super::super::reservations::ClosedPeriod {
                first: d("2026-12-07"),
                last: d("2026-12-07"),
                reason: "studiedag".into(),
            }],
        );
        assert!(!pickup_reminder_due(
            d("2026-12-03"),
            pickup,
            made,
            1,
            &workdays
        ));
        assert!(pickup_reminder_due(
            d("2026-12-04"),
            pickup,
            made,
            1,
            &closed_monday
        ));
        assert!(!pickup_reminder_due(
            d("2026-12-04"),
            pickup,
            made,
            1,
            &workdays
        ));
    }

    #[test]
    fn the_return_reminder_is_for_the_evening_before() {
        let ret = d("2026-12-10");
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert!(!return_reminder_due(at("2026-12-09 16:59"), ret));
        assert!(return_reminder_due(at("2026-12-09 17:00"), ret));
        assert!(return_reminder_due(at("2026-12-10 08:00"), ret));
        assert!(!return_reminder_due(at("2026-12-10 12:00"), ret));
    }

    #[test]
    fn the_session_reminder_starts_the_morning_before() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let starts = at("2026-12-10 13:30");
        assert!(!session_reminder_due(at("2026-12-09 07:59"), starts));
        assert!(session_reminder_due(at("2026-12-09 08:00"), starts));
        assert!(session_reminder_due(at("2026-12-10 13:29"), starts));
        assert!(!session_reminder_due(starts, starts));
        assert_ne!(
            SessionRole::Participant.key(1, 2, "2026-12-10T12:30:00+00:00"),
            SessionRole::Trainer.key(1, 2, "2026-12-10T12:30:00+00:00")
        );
    }

    #[test]
    fn keys_name_the_day_so_a_moved_reservation_is_reminded_again() {
        let a = Occasion::Pickup.key(7, d("2026-12-08"));
        let b = Occasion::Pickup.key(7, d("2026-12-09"));
        assert_ne!(a, b);
        assert_ne!(a, Occasion::Return.key(7, d("2026-12-08")));
    }
}
