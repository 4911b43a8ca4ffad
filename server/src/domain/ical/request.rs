//! A request (a sent cart's lines at one pickup point, issue 20) as calendar events: one
//! loan event for the whole request, and pickup and return events where the pickup point
//! has hand-over hours, with every line, its quantity and status in the description.

use super::{date_value, event_status, local_value, utc_value, FeedReservation, Writer, TZID};
use crate::texts::Text;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use leenpunt_shared::labels::human_date;
use leenpunt_shared::{Lang, ReservationStatus};

/// A request with all its lines (each a reservation).
#[derive(Debug, Clone)]
pub struct FeedRequest {
    pub id: i64,
    /// Never empty; by id.
    pub lines: Vec<FeedReservation>,
}

fn ended(s: ReservationStatus) -> bool {
    event_status(s) == "CANCELLED"
}

impl FeedRequest {
    /// The lines still on: every line when all are cancelled (the event then shows what
    /// was cancelled).
    fn live(&self) -> Vec<&FeedReservation> {
        let live: Vec<&FeedReservation> = self.lines.iter().filter(|l| !ended(l.status)).collect();
        if live.is_empty() {
            self.lines.iter().collect()
        } else {
            live
        }
    }

    /// The first pickup day of its lines still on.
    pub fn first_pickup(&self) -> NaiveDate {
        self.live()
            .iter()
            .map(|l| l.pickup)
            .min()
            .unwrap_or_default()
    }

    fn last_return(&self) -> NaiveDate {
        self.live()
            .iter()
            .map(|l| l.return_date)
            .max()
            .unwrap_or_default()
    }

    /// CANCELLED when every line is; CONFIRMED when a line still on is confirmed (or out,
    /// or back); TENTATIVE while every line still on waits (approval, an offer).
    pub fn status(&self) -> &'static str {
        let live: Vec<&str> = self
            .lines
            .iter()
            .map(|l| event_status(l.status))
            .filter(|s| *s != "CANCELLED")
            .collect();
        if live.is_empty() {
            "CANCELLED"
        } else if live.contains(&"CONFIRMED") {
            "CONFIRMED"
        } else {
            "TENTATIVE"
        }
    }

    /// Counts every change of every line: each line's revision only grows.
    pub fn sequence(&self) -> i64 {
        self.lines.iter().map(|l| l.revision).sum()
    }

    pub fn updated(&self) -> DateTime<Utc> {
        self.lines
            .iter()
            .map(|l| l.updated)
            .max()
            .unwrap_or_default()
    }

    fn created(&self) -> DateTime<Utc> {
        self.lines
            .iter()
            .map(|l| l.created)
            .min()
            .unwrap_or_default()
    }

    /// The units of the lines still on.
    pub fn units(&self) -> u32 {
        self.live().iter().map(|l| l.quantity).sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Loan,
    Pickup,
    Return,
}

fn dates(first: NaiveDate, last: NaiveDate, lang: Lang) -> String {
    format!(
        "{} – {}",
        human_date(&first.to_string(), lang),
        human_date(&last.to_string(), lang)
    )
}

/// One line of the description: "2 × Bee-Bot set (klein): Bevestigd", with the line's
/// own dates when they are not the request's.
fn line_text(l: &FeedReservation, period: (NaiveDate, NaiveDate), lang: Lang) -> String {
    let mut text = format!("{} × {}: {}", l.quantity, l.kit_title, l.status.label(lang));
    if (l.pickup, l.return_date) != period {
        text.push_str(&format!(" ({})", dates(l.pickup, l.return_date, lang)));
    }
    text
}

fn write_event(w: &mut Writer, r: &FeedRequest, kind: Kind, host: &str, lang: Lang) {
    let (uid_kind, what) = match kind {
        Kind::Loan => ("loan", Text::Loan.get(lang)),
        Kind::Pickup => ("pickup", Text::Pickup.get(lang)),
        Kind::Return => ("return", Text::Return.get(lang)),
    };
    let first = &r.lines[0];
    let (pickup, return_date) = (r.first_pickup(), r.last_return());
    let updated = r.updated();
    w.begin("VEVENT")
        .raw("UID", &format!("request-{}-{uid_kind}@{host}", r.id))
        .raw("DTSTAMP", &utc_value(updated))
        .raw("CREATED", &utc_value(r.created()))
        .raw("LAST-MODIFIED", &utc_value(updated))
        .raw("SEQUENCE", &r.sequence().to_string());
    match (kind, first.hours) {
        (Kind::Loan, _) | (_, None) => {
            let (from, until) = match kind {
                Kind::Loan => (pickup, return_date),
                Kind::Pickup => (pickup, pickup),
                Kind::Return => (return_date, return_date),
            };
            w.raw("DTSTART;VALUE=DATE", &date_value(from))
                .raw("DTEND;VALUE=DATE", &date_value(until + Duration::days(1)))
                .raw("TRANSP", "TRANSPARENT");
        }
        (_, Some((from, until))) => {
            let day = if kind == Kind::Pickup {
                pickup
            } else {
                return_date
            };
            w.raw(&format!("DTSTART;TZID={TZID}"), &local_value(day, from))
                .raw(&format!("DTEND;TZID={TZID}"), &local_value(day, until));
        }
    }
    let units = r.units();
    let kits = if units == 1 {
        Text::FeedRequestOneKit.get(lang)
    } else {
        Text::FeedRequestKits { count: &units }.get(lang)
    };
    let lines = r
        .lines
        .iter()
        .map(|l| line_text(l, (pickup, return_date), lang))
        .collect::<Vec<_>>()
        .join("\n");
    let description = Text::FeedRequestDescription {
        lines: &lines,
        school: &first.school,
        dates: &dates(pickup, return_date, lang),
        point: &first.pickup_point,
        address: &first.address,
        link: &first.link,
    }
    .get(lang);
    w.text(
        "SUMMARY",
        &Text::FeedRequestSummary {
            what: &what,
            kits: &kits,
            point: &first.pickup_point,
        }
        .get(lang),
    )
    .text("DESCRIPTION", &description)
    .text(
        "LOCATION",
        &format!("{}, {}", first.pickup_point, first.address),
    )
    .raw("URL", &first.link)
    .raw("STATUS", r.status())
    .end("VEVENT");
}

/// A request's events: the loan, and pickup and return where its point has hours.
pub(super) fn write(w: &mut Writer, r: &FeedRequest, host: &str, lang: Lang) {
    if r.lines.is_empty() {
        return;
    }
    write_event(w, r, Kind::Loan, host, lang);
    if r.lines[0].hours.is_some() {
        write_event(w, r, Kind::Pickup, host, lang);
        write_event(w, r, Kind::Return, host, lang);
    }
}
