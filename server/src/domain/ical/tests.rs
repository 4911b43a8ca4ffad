use super::*;

fn folded(line: &str) -> String {
    let mut out = String::new();
    fold(line, &mut out);
    out
}

#[test]
fn escaping() {
    assert_eq!(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
    assert_eq!(escape_text("one\ntwo\r\nthree"), "one\\ntwo\\nthree");
    assert_eq!(escape_text("bel\u{7}"), "bel");
}

#[test]
fn short_lines_are_not_folded() {
    assert_eq!(folded("SUMMARY:kort"), "SUMMARY:kort\r\n");
    let exactly = "X".repeat(75);
    assert_eq!(folded(&exactly), format!("{exactly}\r\n"));
}

#[test]
fn long_lines_fold_at_75_octets() {
    let line = "D".repeat(200);
    let out = folded(&line);
    for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(physical.len() <= 75, "{} octets", physical.len());
    }
    let unfolded = out.replace("\r\n ", "");
    assert_eq!(unfolded, format!("{line}\r\n"));
}

#[test]
fn multi_byte_characters_are_never_split() {
    // 73 ASCII octets, then three-octet characters straddling the limit.
    let line = format!("{}€€€", "a".repeat(73));
    let out = folded(&line);
    let lines: Vec<&str> = out.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "a".repeat(73),
        "the euro sign does not fit in 2 octets"
    );
    assert_eq!(lines[1], " €€€");
    // Every physical line is valid UTF-8 on its own and within 75 octets.
    for physical in out.split("\r\n") {
        assert!(physical.len() <= 75);
        assert!(std::str::from_utf8(physical.as_bytes()).is_ok());
    }
    // A four-octet character at the boundary.
    let line = format!("{}🐝x", "b".repeat(72));
    let out = folded(&line);
    assert!(
        out.starts_with(&format!("{}\r\n 🐝x", "b".repeat(72))),
        "{out:?}"
    );
}

fn reservation(hours: bool) -> FeedReservation {
    let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    FeedReservation {
        id: 7,
        status: ReservationStatus::Confirmed,
        kit_title: "Bee-Bot set klein (6 robots)".into(),
        quantity: 2,
        school: "VBS Sint-Lodewijk".into(),
        pickup_point: "STEM-uitleenpunt Brugge".into(),
        address: "Kloosterstraat 12, 8000 Brugge".into(),
        pickup: NaiveDate::from_ymd_opt(2027, 3, 26).unwrap(),
        return_date: NaiveDate::from_ymd_opt(2027, 3, 30).unwrap(),
        hours: hours.then(|| {
            (
                NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            )
        }),
        revision: 3,
        created: at("2026-11-27T09:00:00Z"),
        updated: at("2026-11-28T10:30:00Z"),
        link: "https://leenpunt.example/mijn-reservaties".into(),
    }
}

#[test]
fn a_loan_is_an_all_day_event_ending_the_day_after_the_return() {
    let ics = feed(
        "Mijn Leenpunt",
        "leenpunt.example",
        Lang::Nl,
        &[reservation(false)],
        &[],
    );
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(
        !ics.replace("\r\n", "").contains('\n'),
        "only CRLF line ends"
    );
    assert!(ics.contains("UID:reservation-7-loan@leenpunt.example\r\n"));
    assert!(ics.contains("DTSTART;VALUE=DATE:20270326\r\n"));
    assert!(ics.contains("DTEND;VALUE=DATE:20270331\r\n"));
    assert!(ics.contains("SEQUENCE:3\r\n"));
    assert!(ics.contains("STATUS:CONFIRMED\r\n"));
    assert!(!ics.contains("METHOD:"), "a feed, not an iTIP message");
    assert!(!ics.contains("ORGANIZER"));
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded
        .contains("LOCATION:STEM-uitleenpunt Brugge\\, Kloosterstraat 12\\, 8000 Brugge\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
}

#[test]
fn hand_over_hours_add_timed_events_across_the_dst_change() {
    let ics = feed(
        "Mijn Leenpunt",
        "leenpunt.example",
        Lang::En,
        &[reservation(true)],
        &[],
    );
    assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Brussels\r\n"));
    // Pickup on Friday 26 March 2027 (winter time), return on Tuesday 30 March (summer time):
    // both at the desk's local hours.
    assert!(ics.contains("DTSTART;TZID=Europe/Brussels:20270326T090000\r\n"));
    assert!(ics.contains("DTSTART;TZID=Europe/Brussels:20270330T090000\r\n"));
    assert!(ics.contains("DTEND;TZID=Europe/Brussels:20270330T120000\r\n"));
    assert!(ics.contains("UID:reservation-7-pickup@leenpunt.example\r\n"));
    assert!(ics.contains("UID:reservation-7-return@leenpunt.example\r\n"));
    assert!(ics.contains("SUMMARY:Pickup: Bee-Bot set klein (6 robots) (2×)\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 3);
}

#[test]
fn cancelled_and_waiting_reservations() {
    let mut r = reservation(false);
    r.status = ReservationStatus::Cancelled;
    assert!(feed("x", "h", Lang::Nl, &[r.clone()], &[]).contains("STATUS:CANCELLED\r\n"));
    r.status = ReservationStatus::Requested;
    assert!(feed("x", "h", Lang::Nl, &[r], &[]).contains("STATUS:TENTATIVE\r\n"));
}

#[test]
fn an_empty_feed_still_has_a_component() {
    let ics = feed("Mijn Leenpunt", "leenpunt.example", Lang::Nl, &[], &[]);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Brussels\r\n"));
    assert!(ics.ends_with("END:VTIMEZONE\r\nEND:VCALENDAR\r\n"));
    assert!(!ics.contains("BEGIN:VEVENT"));
}
