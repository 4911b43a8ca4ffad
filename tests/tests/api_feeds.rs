//! Calendar feeds: secret links, what they show, RFC 5545 as two independent parsers read
//! it (Python's icalendar and Mozilla's ical.js), ETag/304, revoking and regenerating.
//! The clock is fixed on Friday 27 November 2026.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::Reservation;
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};
use std::process::Command;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";

fn booking(kit: &str, point: &str, pickup: &str, ret: &str, quantity: u32) -> Value {
    json!({ "kit": kit, "pickup_point": point, "pickup_date": pickup, "return_date": ret, "quantity": quantity })
}

/// The path part of a feed URL.
fn path_of(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    format!("/{}", rest.split_once('/').unwrap().1)
}

async fn new_feed(app: &TestApp, cookie: &str, body: Value) -> Value {
    let r = app.post_json(cookie, "/api/v1/feeds", &body).await;
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

/// Parses a calendar with Python's icalendar; returns (UID, DTSTART as ISO, DTEND as ISO,
/// STATUS, SUMMARY) per event.
fn python_events(ics: &str) -> Vec<Vec<String>> {
    let script = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = []
for e in cal.walk('VEVENT'):
    out.append([str(e['UID']), e.decoded('DTSTART').isoformat(), e.decoded('DTEND').isoformat(), str(e['STATUS']), str(e['SUMMARY'])])
print(json.dumps(out))
"#;
    run_parser(Command::new("/usr/bin/python3").args(["-c", script]), ics)
}

/// Parses a calendar with ical.js; returns (UID, start as UTC ISO or date, end, STATUS,
/// SUMMARY) per event.
fn icaljs_events(ics: &str) -> Vec<Vec<String>> {
    let module = std::env::var("LEENPUNT_TEST_ICALJS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/tools/node_modules/ical.js"
        )
        .to_owned()
    });
    let script = format!(
        r#"
import ICAL from '{module}/dist/ical.js';
let text = '';
process.stdin.on('data', d => text += d);
process.stdin.on('end', () => {{
  const comp = new ICAL.Component(ICAL.parse(text));
  for (const tz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const out = comp.getAllSubcomponents('vevent').map(v => {{
    const e = new ICAL.Event(v);
    const iso = t => t.isDate ? t.toString() : t.toJSDate().toISOString();
    return [e.uid, iso(e.startDate), iso(e.endDate), v.getFirstPropertyValue('status'), e.summary];
  }});
  console.log(JSON.stringify(out));
}});
"#
    );
    run_parser(
        Command::new("node").args(["--input-type=module", "-e", &script]),
        ics,
    )
}

fn run_parser(cmd: &mut Command, ics: &str) -> Vec<Vec<String>> {
    use std::io::Write;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the calendar parsers are installed by `cargo xtask test`");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ics.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "parser failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("parser output")
}

#[tokio::test]
async fn a_teachers_feed_in_two_independent_parsers_across_the_dst_change() {
    let app = TestApp::spawn().await;
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    // Friday 26 March to Monday 12 April 2027: summer time starts on the 28th. The
    // Brugge desk hands over 09:00–12:00.
    let r = app
        .post_json(
            &cookie,
            "/api/v1/reservations",
            &booking(
                "bee-bot-set-klein",
                "stem-rtc-brugge",
                "2027-03-26",
                "2027-04-12",
                1,
            ),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let feed = new_feed(&app, &cookie, json!({ "scope": "user" })).await;
    let url = feed["url"].as_str().unwrap();
    assert!(feed["webcal"].as_str().unwrap().starts_with("webcal://"));
    assert!(feed["google"]
        .as_str()
        .unwrap()
        .starts_with("https://calendar.google.com/"));
    let r = app.get(&path_of(url)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
    assert!(r.headers().contains_key("etag"));
    assert!(r.headers().contains_key("last-modified"));
    let ics = r.text().await.unwrap();
    assert!(ics.contains("X-WR-CALNAME:Mijn Leenpunt\r\n"));

    for (parser, events) in [
        ("python icalendar", python_events(&ics)),
        ("ical.js", icaljs_events(&ics)),
    ] {
        // The demo teacher is also on the list of two demo training sessions: one 40
        // days ago (attended) and one this morning.
        assert_eq!(
            events.len(),
            5,
            "{parser}: loan, pickup, return and two training sessions"
        );
        let session = events
            .iter()
            .find(|e| e[0].starts_with("training-session-") && e[4].contains("Bouwen met creatool"))
            .unwrap_or_else(|| panic!("{parser}: no training session"));
        assert_eq!(session[3], "CONFIRMED");
        assert!(
            session[4].starts_with("Opleiding: "),
            "{parser}: {}",
            session[4]
        );
        if parser == "ical.js" {
            assert_eq!(session[1], "2026-11-27T07:30:00.000Z");
        } else {
            assert_eq!(session[1], "2026-11-27T08:30:00+01:00");
        }
        let by_kind = |kind: &str| {
            events
                .iter()
                .find(|e| e[0].contains(kind))
                .unwrap_or_else(|| panic!("{parser}: no {kind}"))
        };
        let loan = by_kind("-loan@");
        assert_eq!(&loan[1][..10], "2027-03-26", "{parser}");
        assert_eq!(
            &loan[2][..10],
            "2027-04-13",
            "{parser}: DTEND is the day after the return"
        );
        assert_eq!(loan[3], "CONFIRMED");
        assert!(
            loan[4].contains("Bee-Bot set klein"),
            "{parser}: {}",
            loan[4]
        );
        let pickup = by_kind("-pickup@");
        let ret = by_kind("-return@");
        // 09:00 in Brussels: 08:00 UTC in winter time, 07:00 UTC in summer time.
        if parser == "ical.js" {
            assert_eq!(pickup[1], "2027-03-26T08:00:00.000Z");
            assert_eq!(ret[1], "2027-04-12T07:00:00.000Z");
        } else {
            assert_eq!(pickup[1], "2027-03-26T09:00:00+01:00");
            assert_eq!(ret[1], "2027-04-12T09:00:00+02:00");
        }
    }
}

#[tokio::test]
async fn etag_revocation_and_regeneration() {
    let app = TestApp::spawn().await;
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let feed = new_feed(&app, &cookie, json!({})).await;
    let path = path_of(feed["url"].as_str().unwrap());
    let first = app.get(&path).await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = app
        .client
        .get(app.url(&path))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    // A new reservation changes the feed.
    let created: Reservation = app
        .post_json(
            &cookie,
            "/api/v1/reservations",
            &booking(
                "bee-bot-set-klein",
                "stem-rtc-brugge",
                "2026-12-07",
                "2026-12-10",
                1,
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    let changed = app
        .client
        .get(app.url(&path))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    let text = changed.text().await.unwrap();
    assert!(text.contains(&format!("UID:reservation-{}-loan@", created.id)));
    // Cancelled: stays in the feed, as CANCELLED, with a higher SEQUENCE.
    app.post_json(
        &cookie,
        &format!("/api/v1/reservations/{}/cancel", created.id),
        &json!({}),
    )
    .await;
    let text = app.get(&path).await.text().await.unwrap();
    assert!(
        text.contains("STATUS:CANCELLED\r\n") && text.contains("SEQUENCE:1\r\n"),
        "{text}"
    );

    // Regenerate: the old link dies, the new one works.
    let id = feed["id"].as_i64().unwrap();
    let r = app
        .post_json(
            &cookie,
            &format!("/api/v1/feeds/{id}/regenerate"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let renewed: Value = r.json().await.unwrap();
    assert_eq!(app.get(&path).await.status(), 404);
    let new_path = path_of(renewed["url"].as_str().unwrap());
    assert_eq!(app.get(&new_path).await.status(), 200);
    // The list shows the feed without its secret.
    let listed: Vec<Value> = app
        .get_as(&cookie, "/api/v1/feeds")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].get("url").is_none());
    // Revoke.
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/feeds/{}", renewed["id"])))
        .header("cookie", &cookie)
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(app.get(&new_path).await.status(), 404);
    assert_eq!(app.get("/agenda/geen-geldig-token.ics").await.status(), 404);
}

#[tokio::test]
async fn feeds_show_only_what_their_owner_may_see() {
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let other = app
        .teacher("ander@school.be", "126763", &hash_password(DEMO_PASSWORD))
        .await;
    let theirs: Reservation = app
        .post_json(
            &other,
            "/api/v1/reservations",
            &booking(
                "bee-bot-set-klein",
                "stem-rtc-brugge",
                "2026-12-07",
                "2026-12-10",
                1,
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    let mine: Reservation = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &booking(
                "bee-bot-set-groot",
                "stem-rtc-brugge",
                "2026-12-07",
                "2026-12-10",
                1,
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    // A school feed only for teachers of that school.
    let r = app
        .post_json(
            &teacher,
            "/api/v1/feeds",
            &json!({ "scope": "school", "school": "126763" }),
        )
        .await;
    assert_eq!(r.status(), 403);
    let school = new_feed(
        &app,
        &teacher,
        json!({ "scope": "school", "school": "012345" }),
    )
    .await;
    let text = app
        .get(&path_of(school["url"].as_str().unwrap()))
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains(&format!("reservation-{}-loan", mine.id)));
    assert!(!text.contains(&format!("reservation-{}-loan", theirs.id)));
    // Desk staff follow a pickup point's hand-over agenda; teachers cannot.
    let r = app
        .post_json(
            &teacher,
            "/api/v1/feeds",
            &json!({ "scope": "pickup", "pickup": "stem-rtc-brugge" }),
        )
        .await;
    assert_eq!(r.status(), 403);
    let desk = app
        .login("ambassadeur@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let point = new_feed(
        &app,
        &desk,
        json!({ "scope": "pickup", "pickup": "stem-rtc-brugge" }),
    )
    .await;
    let text = app
        .get(&path_of(point["url"].as_str().unwrap()))
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains(&format!("reservation-{}-pickup", theirs.id)));
    assert!(text.contains(&format!("reservation-{}-pickup", mine.id)));
    assert!(text.contains("X-WR-CALNAME:Leenpunt: "));
    // One reservation as an .ics download, for who may see it.
    let r = app
        .get_as(&teacher, &format!("/api/v1/reservations/{}/ics", mine.id))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let r = app
        .get_as(&teacher, &format!("/api/v1/reservations/{}/ics", theirs.id))
        .await;
    assert_eq!(r.status(), 404);
}
