//! Calendar feeds of requests (issue 20): a teacher's and a school's feed show a sent
//! cart's lines at one pickup point as one event (the lines, their quantities and statuses
//! in its description; a stable UID; SEQUENCE and LAST-MODIFIED moving with any line;
//! CANCELLED when every line is), the desks' pickup-point and kit-type feeds keep one event
//! per line, single bookings keep theirs. Every feed is read by the three parsers the feed
//! tests use. The clock starts on Friday 27 November 2026.

use leenpunt_shared::cart::CartSubmitted;
use leenpunt_shared::Reservation;
use leenpunt_tests::ical::{assert_valid, events, icaljs_events, python_events};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const DESK: &str = "ambassadeur@demo.leenpunt.be";
const BEE_BOT: &str = "bee-bot-set-klein";
const PROEF: &str = "proefjeskoffer-elektriciteit";
const MAGNET: &str = "ontdekkoffer-magnetisme";
const MOS: &str = "mos-afvalsorteerkoffer";
/// Hands over 09:00–12:00: a request there has loan, pickup and return events.
const BRUGGE: &str = "stem-rtc-brugge";

fn path_of(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    format!("/{}", rest.split_once('/').unwrap().1)
}

async fn feed(app: &TestApp, cookie: &str, body: Value) -> String {
    let r = app.post_json(cookie, "/api/v1/feeds", &body).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    path_of(v["url"].as_str().unwrap())
}

async fn read(app: &TestApp, path: &str) -> String {
    let r = app.get(path).await;
    assert_eq!(r.status(), 200);
    let ics = r.text().await.unwrap();
    assert_valid(&ics);
    ics
}

fn uids(ics: &str) -> Vec<String> {
    events(ics).into_keys().collect()
}

#[tokio::test]
async fn a_request_is_one_event_in_teacher_and_school_feeds_and_per_line_at_the_desk() {
    let app = TestApp::spawn().await;
    let t = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    // A single booking keeps its own events.
    let r = app
        .post_json(
            &t,
            "/api/v1/reservations",
            &json!({ "kit": MAGNET, "pickup_point": BRUGGE, "pickup_date": "2026-12-15",
                     "return_date": "2026-12-17", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let single: Reservation = r.json().await.unwrap();

    // A cart: two lines at Brugge (one with dates of its own), one at MOS Brugge.
    let r = app
        .put_json(
            &t,
            "/api/v1/cart",
            &json!({ "pickup_date": "2026-12-08", "return_date": "2026-12-10" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    for body in [
        json!({ "kit": BEE_BOT, "pickup_point": BRUGGE, "quantity": 2 }),
        json!({ "kit": PROEF, "pickup_point": BRUGGE, "quantity": 1,
                "pickup_date": "2026-12-08", "return_date": "2026-12-11" }),
        json!({ "kit": MOS, "pickup_point": "mos-brugge", "quantity": 1 }),
    ] {
        let r = app.post_json(&t, "/api/v1/cart/lines", &body).await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }
    let r = app.post_json(&t, "/api/v1/cart/submit", &json!({})).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sent: CartSubmitted = r.json().await.unwrap();
    assert_eq!(sent.requests.len(), 2);
    let (brugge, mos) = (&sent.requests[0], &sent.requests[1]);
    assert_eq!(brugge.reservations.len(), 2);
    let bee = &brugge.reservations[0];
    let proef = &brugge.reservations[1];
    assert_eq!(bee.kit_slug, BEE_BOT);

    let mine = feed(&app, &t, json!({ "scope": "user" })).await;
    let ics = read(&app, &mine).await;
    let ids = uids(&ics);
    // One event per request (with pickup and return at Brugge), none per cart line.
    for kind in ["loan", "pickup", "return"] {
        assert!(
            ids.iter()
                .any(|u| u.starts_with(&format!("request-{}-{kind}@", brugge.id))),
            "{ids:?}"
        );
        assert!(ids
            .iter()
            .any(|u| u.starts_with(&format!("reservation-{}-{kind}@", single.id))));
    }
    assert!(ids
        .iter()
        .any(|u| u.starts_with(&format!("request-{}-loan@", mos.id))));
    for line in brugge.reservations.iter().chain(&mos.reservations) {
        assert!(
            !ids.iter()
                .any(|u| u.starts_with(&format!("reservation-{}-", line.id))),
            "cart line {} has its own event: {ids:?}",
            line.id
        );
    }
    let loan = |ics: &str| {
        events(ics)
            .into_iter()
            .find(|(uid, _)| uid.starts_with(&format!("request-{}-loan@", brugge.id)))
            .map(|(_, e)| e)
            .expect("the Brugge request's loan event")
    };
    let event = loan(&ics);
    assert_eq!(
        event["SUMMARY"],
        format!("Uitlening: 3 kits — {}", bee.pickup_point)
    );
    assert_eq!(event["STATUS"], "CONFIRMED");
    // The whole request's period: from the first pickup to the last return.
    assert_eq!(event["DTSTART"], "20261208");
    assert_eq!(event["DTEND"], "20261212");
    let description = &event["DESCRIPTION"];
    assert!(
        description.contains(&format!("2 × {}: Bevestigd", bee.kit_title)),
        "{description}"
    );
    assert!(
        description.contains(&format!("1 × {}: Bevestigd", proef.kit_title)),
        "{description}"
    );
    // Both parsers agree on the summary and the status.
    for parsed in [python_events(&ics), icaljs_events(&ics)] {
        let e = parsed
            .iter()
            .find(|e| e[0].starts_with(&format!("request-{}-pickup@", brugge.id)))
            .expect("the pickup event");
        assert_eq!(e[3], "CONFIRMED");
        assert_eq!(e[4], format!("Afhalen: 3 kits — {}", bee.pickup_point));
    }
    let (sequence, modified) = (event["SEQUENCE"].clone(), event["LAST-MODIFIED"].clone());

    // The school's feed shows the same request events.
    let school = feed(&app, &t, json!({ "scope": "school", "school": "012345" })).await;
    let school_ics = read(&app, &school).await;
    let school_ids = uids(&school_ics);
    assert!(school_ids
        .iter()
        .any(|u| u.starts_with(&format!("request-{}-loan@", brugge.id))));
    assert!(!school_ids
        .iter()
        .any(|u| u.starts_with(&format!("reservation-{}-", bee.id))));

    // The desk's pickup-point and kit-type feeds keep one event per line.
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let point = feed(&app, &desk, json!({ "scope": "pickup", "pickup": BRUGGE })).await;
    let point_ids = uids(&read(&app, &point).await);
    for line in &brugge.reservations {
        assert!(
            point_ids
                .iter()
                .any(|u| u.starts_with(&format!("reservation-{}-pickup@", line.id))),
            "{point_ids:?}"
        );
    }
    assert!(!point_ids.iter().any(|u| u.starts_with("request-")));
    let kit = feed(&app, &desk, json!({ "scope": "kit", "kit": BEE_BOT })).await;
    let kit_ids = uids(&read(&app, &kit).await);
    assert!(kit_ids
        .iter()
        .any(|u| u.starts_with(&format!("reservation-{}-loan@", bee.id))));
    assert!(!kit_ids.iter().any(|u| u.starts_with("request-")));

    // One line cancelled an hour later: the request's event changes (SEQUENCE up,
    // LAST-MODIFIED later), stays confirmed for the line still on.
    app.set_time("2026-11-27T10:00:00Z");
    let r = app
        .post_json(
            &t,
            &format!("/api/v1/reservations/{}/cancel", bee.id),
            &json!({}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let ics = read(&app, &mine).await;
    let event = loan(&ics);
    assert!(
        event["SEQUENCE"].parse::<i64>().unwrap() > sequence.parse::<i64>().unwrap(),
        "{} after {sequence}",
        event["SEQUENCE"]
    );
    assert!(event["LAST-MODIFIED"] > modified);
    assert_eq!(event["LAST-MODIFIED"], "20261127T100000Z");
    assert_eq!(event["STATUS"], "CONFIRMED");
    assert_eq!(
        event["SUMMARY"],
        format!("Uitlening: 1 kit — {}", bee.pickup_point)
    );
    assert!(event["DESCRIPTION"].contains(&format!("2 × {}: Geannuleerd", bee.kit_title)));
    // What is left sets the period.
    assert_eq!(event["DTEND"], "20261212");
    let sequence = event["SEQUENCE"].clone();

    // Every line cancelled: the request's events are CANCELLED (and stay in the feed).
    app.set_time("2026-11-27T11:00:00Z");
    let r = app
        .post_json(
            &t,
            &format!("/api/v1/reservations/{}/cancel", proef.id),
            &json!({}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let ics = read(&app, &mine).await;
    let event = loan(&ics);
    assert_eq!(event["STATUS"], "CANCELLED");
    assert!(event["SEQUENCE"].parse::<i64>().unwrap() > sequence.parse::<i64>().unwrap());
    for parsed in [python_events(&ics), icaljs_events(&ics)] {
        assert!(parsed
            .iter()
            .filter(|e| e[0].starts_with(&format!("request-{}-", brugge.id)))
            .all(|e| e[3] == "CANCELLED"));
    }
    // The other request and the single booking are untouched.
    let all = events(&ics);
    let other = all
        .iter()
        .find(|(u, _)| u.starts_with(&format!("request-{}-loan@", mos.id)))
        .unwrap()
        .1;
    assert_eq!(other["STATUS"], "CONFIRMED");
    assert_eq!(
        other["SUMMARY"],
        format!("Uitlening: 1 kit — {}", mos.pickup_point)
    );
}

#[tokio::test]
async fn an_english_teacher_reads_the_request_in_english() {
    let app = TestApp::spawn().await;
    let t = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    sqlx::query("UPDATE users SET lang = 'en' WHERE email = $1")
        .bind(TEACHER)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let r = app
        .put_json(
            &t,
            "/api/v1/cart",
            &json!({ "pickup_date": "2026-12-08", "return_date": "2026-12-10" }),
        )
        .await;
    assert_eq!(r.status(), 200);
    for kit in [PROEF, MAGNET] {
        let r = app
            .post_json(
                &t,
                "/api/v1/cart/lines",
                &json!({ "kit": kit, "pickup_point": BRUGGE, "quantity": 1 }),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    let r = app.post_json(&t, "/api/v1/cart/submit", &json!({})).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sent: CartSubmitted = r.json().await.unwrap();
    let request = &sent.requests[0];
    let mine = feed(&app, &t, json!({ "scope": "user" })).await;
    let ics = read(&app, &mine).await;
    let event = events(&ics)
        .into_iter()
        .find(|(u, _)| u.starts_with(&format!("request-{}-return@", request.id)))
        .unwrap()
        .1;
    assert_eq!(
        event["SUMMARY"],
        format!("Return: 2 kits — {}", request.pickup_point)
    );
    assert!(
        event["DESCRIPTION"].contains("Confirmed"),
        "{}",
        event["DESCRIPTION"]
    );
    assert!(event["DESCRIPTION"].contains("Pickup point: "));
}
