//! iCalendar (RFC 5545) output: content lines folded at 75 octets without splitting a UTF-8
//! character, TEXT values escaped, CRLF line ends, and the events of reservations.
//!
//! Written here rather than with the `icalendar` crate: its writer (0.16/0.17) folds
//! continuation lines at 76 octets, leaves commas, semicolons and backslashes unescaped,
//! and orders parameters by hash, so the same feed would not always hash to the same ETag.

pub mod conditional;
pub mod request;

use crate::texts::Text;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use leenpunt_shared::labels::human_date;
use leenpunt_shared::{Lang, ReservationStatus};

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            // Other control characters are not allowed in TEXT.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line (RFC 5545 §3.1): no physical line longer than 75 octets
/// (the leading space of a continuation counts), never inside a UTF-8 character, CRLF
/// after each.
pub fn fold(line: &str, out: &mut String) {
    const LIMIT: usize = 75;
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > LIMIT {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// A calendar being written.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }

    /// A property with an already formatted value (dates, codes, URIs).
    pub fn raw(&mut self, name: &str, value: &str) -> &mut Self {
        fold(&format!("{name}:{value}"), &mut self.out);
        self
    }

    /// A TEXT property: the value is escaped.
    pub fn text(&mut self, name: &str, value: &str) -> &mut Self {
        self.raw(name, &escape_text(value))
    }

    pub fn begin(&mut self, component: &str) -> &mut Self {
        self.raw("BEGIN", component)
    }

    pub fn end(&mut self, component: &str) -> &mut Self {
        self.raw("END", component)
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// The time zone every local time in our feeds uses.
pub const TZID: &str = "Europe/Brussels";

/// Europe/Brussels as a VTIMEZONE: the EU rule (last Sunday of March / October).
pub fn write_timezone(w: &mut Writer) {
    w.begin("VTIMEZONE")
        .raw("TZID", TZID)
        .begin("DAYLIGHT")
        .raw("TZOFFSETFROM", "+0100")
        .raw("TZOFFSETTO", "+0200")
        .raw("TZNAME", "CEST")
        .raw("DTSTART", "19700329T020000")
        .raw("RRULE", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
        .end("DAYLIGHT")
        .begin("STANDARD")
        .raw("TZOFFSETFROM", "+0200")
        .raw("TZOFFSETTO", "+0100")
        .raw("TZNAME", "CET")
        .raw("DTSTART", "19701025T030000")
        .raw("RRULE", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
        .end("STANDARD")
        .end("VTIMEZONE");
}

fn date_value(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn local_value(d: NaiveDate, t: NaiveTime) -> String {
    format!("{}T{}", d.format("%Y%m%d"), t.format("%H%M%S"))
}

fn utc_value(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A reservation as a feed shows it.
#[derive(Debug, Clone)]
pub struct FeedReservation {
    pub id: i64,
    pub status: ReservationStatus,
    pub kit_title: String,
    pub quantity: u32,
    pub school: String,
    pub pickup_point: String,
    pub address: String,
    pub pickup: NaiveDate,
    pub return_date: NaiveDate,
    /// The pickup point's hand-over hours, when it has them.
    pub hours: Option<(NaiveTime, NaiveTime)>,
    /// Counts every change (SEQUENCE).
    pub revision: i64,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// Link back to the reservation in Leenpunt.
    pub link: String,
}

/// The calendar status of a reservation: cancelled ones stay in the feed as CANCELLED.
fn event_status(s: ReservationStatus) -> &'static str {
    use ReservationStatus as S;
    match s {
        S::Confirmed | S::PickedUp | S::Returned => "CONFIRMED",
        S::Requested | S::Offered => "TENTATIVE",
        S::Cancelled | S::Rejected | S::NoShow => "CANCELLED",
    }
}

/// Which event of a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Loan,
    Pickup,
    Return,
}

fn write_event(w: &mut Writer, r: &FeedReservation, kind: Kind, host: &str, lang: Lang) {
    let (uid_kind, summary) = match kind {
        Kind::Loan => ("loan", Text::Loan.get(lang)),
        Kind::Pickup => ("pickup", Text::Pickup.get(lang)),
        Kind::Return => ("return", Text::Return.get(lang)),
    };
    w.begin("VEVENT")
        .raw("UID", &format!("reservation-{}-{uid_kind}@{host}", r.id))
        .raw("DTSTAMP", &utc_value(r.updated))
        .raw("CREATED", &utc_value(r.created))
        .raw("LAST-MODIFIED", &utc_value(r.updated))
        .raw("SEQUENCE", &r.revision.to_string());
    match (kind, r.hours) {
        (Kind::Loan, _) | (_, None) => {
            let (first, last) = match kind {
                Kind::Loan => (r.pickup, r.return_date),
                Kind::Pickup => (r.pickup, r.pickup),
                Kind::Return => (r.return_date, r.return_date),
            };
            // All day; DTEND is exclusive: the day after.
            w.raw("DTSTART;VALUE=DATE", &date_value(first))
                .raw("DTEND;VALUE=DATE", &date_value(last + Duration::days(1)))
                .raw("TRANSP", "TRANSPARENT");
        }
        (_, Some((from, until))) => {
            let day = if kind == Kind::Pickup {
                r.pickup
            } else {
                r.return_date
            };
            w.raw(&format!("DTSTART;TZID={TZID}"), &local_value(day, from))
                .raw(&format!("DTEND;TZID={TZID}"), &local_value(day, until));
        }
    }
    let dates = format!(
        "{} – {}",
        human_date(&r.pickup.to_string(), lang),
        human_date(&r.return_date.to_string(), lang)
    );
    let description = Text::FeedLoanDescription {
        quantity: &r.quantity,
        kit: &r.kit_title,
        school: &r.school,
        dates: &dates,
        point: &r.pickup_point,
        address: &r.address,
        link: &r.link,
    }
    .get(lang);
    w.text(
        "SUMMARY",
        &format!("{summary}: {} ({}×)", r.kit_title, r.quantity),
    )
    .text("DESCRIPTION", &description)
    .text("LOCATION", &format!("{}, {}", r.pickup_point, r.address))
    .raw("URL", &r.link)
    .raw("STATUS", event_status(r.status))
    .end("VEVENT");
}

/// A training session as a personal feed shows it (to a participant or a trainer).
#[derive(Debug, Clone)]
pub struct FeedSession {
    pub id: i64,
    pub title: String,
    /// Local (Brussels) day and start and end times.
    pub day: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub place: String,
    /// The session was called off, or the person's registration cancelled.
    pub cancelled: bool,
    /// On the waiting list: TENTATIVE.
    pub waiting: bool,
    /// The person gives the session.
    pub trains: bool,
    pub updated: DateTime<Utc>,
    pub link: String,
}

fn write_session(w: &mut Writer, s: &FeedSession, host: &str, lang: Lang) {
    let label = if s.trains {
        Text::FeedGivingTraining
    } else {
        Text::FeedTraining
    }
    .get(lang);
    let status = if s.cancelled {
        "CANCELLED"
    } else if s.waiting {
        "TENTATIVE"
    } else {
        "CONFIRMED"
    };
    w.begin("VEVENT")
        .raw("UID", &format!("training-session-{}@{host}", s.id))
        .raw("DTSTAMP", &utc_value(s.updated))
        .raw("LAST-MODIFIED", &utc_value(s.updated))
        .raw("SEQUENCE", if s.cancelled { "1" } else { "0" })
        .raw(
            &format!("DTSTART;TZID={TZID}"),
            &local_value(s.day, s.start),
        )
        .raw(&format!("DTEND;TZID={TZID}"), &local_value(s.day, s.end))
        .text("SUMMARY", &format!("{label}: {}", s.title))
        .text("DESCRIPTION", &format!("{}\n{}", s.title, s.link))
        .text("LOCATION", &s.place)
        .raw("URL", &s.link)
        .raw("STATUS", status)
        .end("VEVENT");
}

/// A whole feed: one VCALENDAR with the time zone, and per reservation the loan as an
/// all-day event plus pickup and return as timed events where the pickup point has
/// hand-over hours; training sessions as timed events.
///
/// No `METHOD`: a subscribed feed is not an iTIP message (RFC 5546), and `METHOD:PUBLISH`
/// would oblige an `ORGANIZER` on every event, which clients show as a meeting to answer
/// (docs/feeds-caching.md). The VTIMEZONE is always there: it is the zone
/// `X-WR-TIMEZONE` names, and it keeps a feed without events a valid VCALENDAR, which
/// needs at least one component (RFC 5545 §3.6).
pub fn feed(
    name: &str,
    host: &str,
    lang: Lang,
    reservations: &[FeedReservation],
    sessions: &[FeedSession],
) -> String {
    feed_with_requests(name, host, lang, reservations, &[], sessions)
}

/// [`feed`] with requests (issue 20): each request's events (`request::write`) after the
/// reservations that belong to no request.
pub fn feed_with_requests(
    name: &str,
    host: &str,
    lang: Lang,
    reservations: &[FeedReservation],
    requests: &[request::FeedRequest],
    sessions: &[FeedSession],
) -> String {
    let mut w = Writer::new();
    w.begin("VCALENDAR")
        .raw("VERSION", "2.0")
        .raw("PRODID", "-//Provincie West-Vlaanderen//Leenpunt//NL")
        .raw("CALSCALE", "GREGORIAN")
        .text("X-WR-CALNAME", name)
        .raw("X-WR-TIMEZONE", TZID)
        .raw("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
        .raw("X-PUBLISHED-TTL", "PT1H");
    write_timezone(&mut w);
    for r in reservations {
        write_event(&mut w, r, Kind::Loan, host, lang);
        if r.hours.is_some() {
            write_event(&mut w, r, Kind::Pickup, host, lang);
            write_event(&mut w, r, Kind::Return, host, lang);
        }
    }
    for r in requests {
        request::write(&mut w, r, host, lang);
    }
    for s in sessions {
        write_session(&mut w, s, host, lang);
    }
    w.end("VCALENDAR");
    w.finish()
}

#[cfg(test)]
mod tests;
