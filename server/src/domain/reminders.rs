//! Reminders that prevent no-shows and late returns: when each is due, its occasion key
//! (what makes it exactly-once), and its text.
//!
//! A reminder is sent once per occasion. The key names the reservation *and* the date it
//! is about, so a reservation moved to another day gets a reminder for the new day, and
//! one that is cancelled or picked up is simply no longer a candidate.

use super::mail::{compose, Mail};
use super::reservations::OpenCalendar;
use crate::texts::{day, iso_day, Text};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use leenpunt_shared::handover::{DeskPickup, UnitInfo};
use leenpunt_shared::{Email, Lang, Reservation};

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

/// The desk digest goes out from this local hour unless the configuration says otherwise.
pub const DEFAULT_DIGEST_HOUR: u32 = 7;

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
    /// Where reminders are switched off.
    pub account: &'a str,
}

/// A training reminder in the person's language; `roster` (name, school) only for
/// trainers.
pub fn session_reminder_mail(
    role: SessionRole,
    lang: Lang,
    to: &Email,
    s: &SessionBrief<'_>,
    roster: &[(String, String)],
) -> Mail {
    let when = format!(
        "{} {}–{}",
        day(s.starts.date(), lang),
        s.starts.format("%H:%M"),
        s.ends.format("%H:%M")
    );
    let details = format!(
        "{}\n{}\n{}",
        s.title,
        Text::SessionWhen { when: &when }.get(lang),
        Text::SessionWhere { place: &s.place }.get(lang)
    );
    let hello = Text::MailHelloName { name: &s.person };
    match role {
        SessionRole::Participant => compose(
            lang,
            to,
            Text::SessionReminderSubject { title: &s.title }.get(lang),
            hello,
            &[
                Text::SessionReminderIntro.get(lang),
                details,
                Text::SessionReminderUnregister { link: &s.link }.get(lang),
                Text::ReminderOptOut { link: &s.account }.get(lang),
            ],
        ),
        SessionRole::Trainer => {
            let count = roster.len();
            let list = roster
                .iter()
                .map(|(name, school)| {
                    if school.is_empty() {
                        format!("- {name}")
                    } else {
                        format!("- {name} ({school})")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            compose(
                lang,
                to,
                Text::RosterReminderSubject {
                    title: &s.title,
                    count: &count,
                }
                .get(lang),
                hello,
                &[
                    Text::RosterReminderIntro.get(lang),
                    details,
                    format!(
                        "{}\n{list}",
                        Text::RosterRegistered { count: &count }.get(lang)
                    ),
                    Text::RosterLink { link: &s.link }.get(lang),
                    Text::ReminderOptOut { link: &s.account }.get(lang),
                ],
            )
        }
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

/// A borrower's reminder, in their language.
pub fn reminder_mail(
    occasion: Occasion,
    lang: Lang,
    to: &Email,
    r: &Reservation,
    hours: &str,
    links: (&str, &str, &str),
) -> Mail {
    let (page, ics, account) = links;
    let opt_out = Text::ReminderOptOut { link: &account }.get(lang);
    let kit = &r.kit_title;
    let pickup = iso_day(&r.pickup_date, lang);
    let back = iso_day(&r.return_date, lang);
    let hours = hours.trim();
    let what = [
        Text::ReminderWhat {
            quantity: &r.quantity,
            kit,
        }
        .get(lang),
        match occasion {
            Occasion::Pickup => Text::ReminderPickupDay { day: &pickup }.get(lang),
            Occasion::Return => Text::MailReturn { day: &back }.get(lang),
        },
        Text::ReminderWhere {
            point: &r.pickup_point,
            address: &r.pickup_point_address,
        }
        .get(lang),
        if hours.is_empty() {
            String::new()
        } else {
            Text::ReminderHours { hours: &hours }.get(lang)
        },
        match occasion {
            Occasion::Pickup => Text::MailReturn { day: &back }.get(lang),
            Occasion::Return => String::new(),
        },
    ]
    .into_iter()
    .filter(|l| !l.is_empty())
    .collect::<Vec<_>>()
    .join("\n");
    let hello = Text::MailHelloName { name: &r.borrower };
    match occasion {
        Occasion::Pickup => compose(
            lang,
            to,
            Text::PickupReminderSubject { kit, day: &pickup }.get(lang),
            hello,
            &[
                Text::PickupReminderIntro.get(lang),
                what,
                format!(
                    "{}\n{}",
                    Text::ReminderReservation { page: &page }.get(lang),
                    Text::ReminderCalendar { ics: &ics }.get(lang)
                ),
                Text::PickupReminderCancel.get(lang),
                opt_out,
            ],
        ),
        Occasion::Return => compose(
            lang,
            to,
            Text::ReturnReminderSubject { kit, day: &back }.get(lang),
            hello,
            &[
                Text::ReturnReminderIntro.get(lang),
                what,
                Text::ReturnReminderCheck.get(lang),
                Text::ReminderReservation { page: &page }.get(lang),
                opt_out,
            ],
        ),
    }
}

/// Whether the desk digest of the local day of `now` is due: from `hour` o'clock on. It is
/// decided once per person and day (see [`digest_key`]), so a missed run catches up later
/// that day and never sends yesterday's digest.
pub fn digest_due(now: NaiveDateTime, hour: u32) -> bool {
    NaiveTime::from_hms_opt(hour, 0, 0).is_some_and(|from| now.time() >= from)
}

/// The exactly-once key of a person's desk digest for a day.
pub fn digest_key(user: i64, day: NaiveDate) -> String {
    format!("digest:{user}:{day}")
}

/// What a desk's day holds for one person's partner services: the same lists as the
/// "Vandaag" screen, with the requests awaiting approval and the units in maintenance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeskDigest {
    pub pickups: Vec<DeskPickup>,
    pub returns: Vec<Reservation>,
    pub overdue: Vec<Reservation>,
    pub awaiting_approval: u32,
    pub maintenance: Vec<UnitInfo>,
}

impl DeskDigest {
    /// Nothing to tell: no digest is sent.
    pub fn is_empty(&self) -> bool {
        self.pickups.is_empty()
            && self.returns.is_empty()
            && self.overdue.is_empty()
            && self.awaiting_approval == 0
            && self.maintenance.is_empty()
    }
}

/// The links a digest points to.
pub struct DigestLinks<'a> {
    pub today: &'a str,
    pub approvals: &'a str,
    pub account: &'a str,
}

/// A desk digest in the person's language: one section per non-empty list.
pub fn digest_mail(
    lang: Lang,
    to: &Email,
    name: &str,
    day_of: NaiveDate,
    d: &DeskDigest,
    links: &DigestLinks<'_>,
) -> Mail {
    let line = |r: &Reservation| {
        format!(
            "- {} × {} — {} ({}) — {}",
            r.quantity, r.kit_title, r.school, r.borrower, r.pickup_point
        )
    };
    let section = |title: String, lines: Vec<String>| {
        if lines.is_empty() {
            String::new()
        } else {
            format!("{title}\n{}", lines.join("\n"))
        }
    };
    let pickups: Vec<String> = d
        .pickups
        .iter()
        .map(|p| {
            let mut l = line(&p.reservation);
            if p.handed_over > 0 {
                l.push_str(
                    &Text::DigestHandedOver {
                        handed: &p.handed_over,
                        quantity: &p.reservation.quantity,
                    }
                    .get(lang),
                );
            }
            l
        })
        .collect();
    let returns: Vec<String> = d.returns.iter().map(line).collect();
    let overdue: Vec<String> = d
        .overdue
        .iter()
        .map(|r| {
            format!(
                "{}{}",
                line(r),
                Text::DigestDueSince {
                    day: &iso_day(&r.return_date, lang)
                }
                .get(lang)
            )
        })
        .collect();
    let maintenance: Vec<String> = d
        .maintenance
        .iter()
        .map(|u| format!("- {} — {}", u.inventory_code, u.kit_title))
        .collect();
    let approvals = if d.awaiting_approval == 0 {
        String::new()
    } else {
        Text::DigestApprovals {
            count: &d.awaiting_approval,
            link: &links.approvals,
        }
        .get(lang)
    };
    let paragraphs: Vec<String> = [
        Text::DigestIntro {
            day: &day(day_of, lang),
        }
        .get(lang),
        section(
            Text::DigestPickups {
                count: &d.pickups.len(),
            }
            .get(lang),
            pickups,
        ),
        section(
            Text::DigestReturns {
                count: &d.returns.len(),
            }
            .get(lang),
            returns,
        ),
        section(
            Text::DigestOverdue {
                count: &d.overdue.len(),
            }
            .get(lang),
            overdue,
        ),
        approvals,
        section(
            Text::DigestMaintenance {
                count: &d.maintenance.len(),
            }
            .get(lang),
            maintenance,
        ),
        Text::DigestOpen { link: &links.today }.get(lang),
        Text::ReminderOptOut {
            link: &links.account,
        }
        .get(lang),
    ]
    .into_iter()
    .filter(|p| !p.is_empty())
    .collect();
    compose(
        lang,
        to,
        Text::DigestSubject {
            day: &day(day_of, lang),
            pickups: &d.pickups.len(),
            returns: &d.returns.len(),
        }
        .get(lang),
        Text::MailHelloName { name: &name },
        &paragraphs,
    )
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
        // A partner that chose 0 days sends no pickup reminders.
        assert!(!pickup_reminder_due(
            d("2026-12-07"),
            pickup,
            made,
            0,
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

    #[test]
    fn the_digest_is_due_from_its_hour_and_keyed_per_person_and_day() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert!(!digest_due(at("2026-12-08 06:59"), 7));
        assert!(digest_due(at("2026-12-08 07:00"), 7));
        assert!(digest_due(at("2026-12-08 23:59"), 7));
        assert!(digest_due(at("2026-12-08 00:00"), 0));
        assert!(!digest_due(at("2026-12-08 12:00"), 24), "no such hour");
        assert_ne!(
            digest_key(1, d("2026-12-08")),
            digest_key(1, d("2026-12-09"))
        );
        assert_ne!(
            digest_key(1, d("2026-12-08")),
            digest_key(2, d("2026-12-08"))
        );
    }

    #[test]
    fn an_empty_day_is_an_empty_digest_and_a_full_one_names_every_list() {
        assert!(DeskDigest::default().is_empty());
        let r = Reservation {
            id: leenpunt_shared::ReservationId(9),
            status: leenpunt_shared::ReservationStatus::PickedUp,
            kit_slug: "bee-bot-set-klein".into(),
            kit_title: "Bee-Bot set klein".into(),
            partner: "STEM-RTC".into(),
            pickup_point: "STEM-RTC Brugge".into(),
            pickup_point_address: String::new(),
            school: "VBS De Regenboog".into(),
            borrower: "An Peeters".into(),
            quantity: 2,
            pickup_date: "2026-12-01".into(),
            return_date: "2026-12-04".into(),
            held_until: "2026-12-04".into(),
            note: String::new(),
            reason: None,
            at_risk: false,
            offer_expires_at: None,
            created_at: "2026-11-20T10:00:00Z".into(),
            waiting_for: Vec::new(),
            return_notes: Vec::new(),
            request_id: None,
        };
        let digest = DeskDigest {
            overdue: vec![r],
            awaiting_approval: 3,
            ..DeskDigest::default()
        };
        assert!(!digest.is_empty());
        let to = Email::parse("balie@example.be").unwrap();
        let links = DigestLinks {
            today: "https://x/balie/vandaag",
            approvals: "https://x/balie?status=aangevraagd",
            account: "https://x/mijn-account",
        };
        let mail = digest_mail(Lang::Nl, &to, "Jan", d("2026-12-08"), &digest, &links);
        for part in [
            "Te laat terug (1)",
            "2 × Bee-Bot set klein — VBS De Regenboog (An Peeters) — STEM-RTC Brugge",
            "4 december 2026",
            "3 aanvragen wachten op goedkeuring",
            "https://x/balie/vandaag",
            "https://x/mijn-account",
        ] {
            assert!(mail.body.contains(part), "{part}: {}", mail.body);
        }
        assert!(!mail.body.contains("Af te halen"), "{}", mail.body);
    }
}
