//! Calendar feeds: secret links, what they show, RFC 5545 as three independent parsers read
//! it (Python's icalendar, Mozilla's ical.js and libical with its restriction checks),
//! HTTP validators per RFC 9110 (weak and listed tags, `*`, If-Modified-Since, one ETag per
//! content coding), the cache of built bodies, revoking and regenerating.
//! The clock is fixed on Friday 27 November 2026.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::Reservation;
use leenpunt_tests::ical::{assert_valid, icaljs_events, libical_errors, python_events};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};

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
    assert_eq!(libical_errors(&ics), Vec::<String>::new(), "{ics}");

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
    assert_valid(&text);

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
    assert_valid(&text);
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
    assert_valid(&text);
    // One reservation as an .ics download, for who may see it.
    let r = app
        .get_as(&teacher, &format!("/api/v1/reservations/{}/ics", mine.id))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(assert_valid(&r.text().await.unwrap()), 3);
    let r = app
        .get_as(&teacher, &format!("/api/v1/reservations/{}/ics", theirs.id))
        .await;
    assert_eq!(r.status(), 404);
}

/// A client that neither asks for compressed bodies nor decodes them by itself.
fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .build()
        .unwrap()
}

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = raw_client().get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn header(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

/// A feed of the demo teacher with one loan in it: (cookie, reservation, feed path).
async fn teacher_with_a_loan(app: &TestApp) -> (String, Reservation, String) {
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = app
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
        .await;
    assert_eq!(r.status(), 201);
    let reservation: Reservation = r.json().await.unwrap();
    let feed = new_feed(app, &cookie, json!({})).await;
    let path = path_of(feed["url"].as_str().unwrap());
    (cookie, reservation, path)
}

#[tokio::test]
async fn conditional_gets_per_rfc_9110() {
    let app = TestApp::spawn().await;
    let (_, _, path) = teacher_with_a_loan(&app).await;
    let first = get_with(&app, &path, &[]).await;
    assert_eq!(first.status(), 200);
    assert_eq!(header(&first, "content-encoding"), None);
    assert_eq!(header(&first, "vary").as_deref(), Some("accept-encoding"));
    let etag = header(&first, "etag").unwrap();
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && !etag.contains('-'),
        "{etag}"
    );
    let last_modified = header(&first, "last-modified").unwrap();
    let lm = chrono::DateTime::parse_from_rfc2822(&last_modified).unwrap();
    assert!(last_modified.ends_with(" GMT"));
    let ics = first.text().await.unwrap();
    assert_eq!(
        assert_valid(&ics),
        5,
        "loan, pickup, return and two sessions"
    );
    assert!(!ics.contains("METHOD:"), "a feed, not an iTIP message");

    let http_date = |t: chrono::DateTime<chrono::FixedOffset>| {
        t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
    };
    let later = http_date(lm + chrono::Duration::hours(1));
    let earlier = http_date(lm - chrono::Duration::seconds(1));
    let weak = format!("W/{etag}");
    let listed = format!("\"nee\", {weak} , \"ook-niet\"");
    for (name, value, expected) in [
        ("if-none-match", etag.as_str(), 304),
        ("if-none-match", weak.as_str(), 304),
        ("if-none-match", listed.as_str(), 304),
        ("if-none-match", "*", 304),
        ("if-none-match", "\"nee\"", 200),
        ("if-modified-since", last_modified.as_str(), 304),
        ("if-modified-since", later.as_str(), 304),
        ("if-modified-since", earlier.as_str(), 200),
        ("if-modified-since", "gisteren", 200),
    ] {
        let r = get_with(&app, &path, &[(name, value)]).await;
        assert_eq!(r.status(), expected, "{name}: {value}");
        assert_eq!(header(&r, "etag").as_ref(), Some(&etag), "{name}: {value}");
        assert_eq!(header(&r, "vary").as_deref(), Some("accept-encoding"));
        if expected == 304 {
            assert!(r.bytes().await.unwrap().is_empty());
        } else {
            assert_eq!(r.text().await.unwrap(), ics);
        }
    }
    // If-Modified-Since is ignored when If-None-Match is there (RFC 9110 §13.1.3).
    let r = get_with(
        &app,
        &path,
        &[("if-none-match", "\"nee\""), ("if-modified-since", &later)],
    )
    .await;
    assert_eq!(r.status(), 200);
    // A list over two field lines.
    let r = raw_client()
        .get(app.url(&path))
        .header("if-none-match", "\"nee\"")
        .header("if-none-match", &weak)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
}

#[tokio::test]
async fn each_content_coding_has_its_own_etag_and_304() {
    let app = TestApp::spawn().await;
    let (_, _, path) = teacher_with_a_loan(&app).await;
    let plain = get_with(&app, &path, &[]).await;
    let etag = header(&plain, "etag").unwrap();
    let ics = plain.text().await.unwrap();
    let tag = |suffix: &str| format!("{}{suffix}\"", etag.trim_end_matches('"'));

    let gz = get_with(&app, &path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.status(), 200);
    assert_eq!(header(&gz, "content-encoding").as_deref(), Some("gzip"));
    assert_eq!(header(&gz, "etag"), Some(tag("-gz")));
    assert_eq!(header(&gz, "vary").as_deref(), Some("accept-encoding"));
    assert_eq!(
        &gz.bytes().await.unwrap()[..2],
        &[0x1f, 0x8b],
        "a gzip stream"
    );
    let br = get_with(&app, &path, &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(header(&br, "content-encoding").as_deref(), Some("br"));
    assert_eq!(header(&br, "etag"), Some(tag("-br")));
    // Decoded, both are the identity body (reqwest decodes when it asked itself).
    let gzip_only = reqwest::Client::builder().no_brotli().build().unwrap();
    let r = gzip_only.get(app.url(&path)).send().await.unwrap();
    assert_eq!(header(&r, "etag"), Some(tag("-gz")));
    assert_eq!(r.text().await.unwrap(), ics);
    let r = app.get(&path).await;
    assert_eq!(header(&r, "etag"), Some(tag("-br")));
    assert_eq!(r.text().await.unwrap(), ics);
    // A client that prefers identity, or knows only codings we do not send, gets identity
    // under the identity tag: the compression layer has the same rule and leaves it alone.
    for accept in ["gzip;q=0.5, identity", "zstd, deflate, *"] {
        let r = get_with(&app, &path, &[("accept-encoding", accept)]).await;
        assert_eq!(header(&r, "content-encoding"), None, "{accept}");
        assert_eq!(header(&r, "etag"), Some(etag.clone()), "{accept}");
        assert_eq!(r.text().await.unwrap(), ics, "{accept}");
    }

    // Each tag 304s in its own coding only.
    for (accept, sent, expected) in [
        ("gzip", tag("-gz"), 304),
        ("br", tag("-br"), 304),
        ("identity", etag.clone(), 304),
        ("gzip", tag("-br"), 200),
        ("br", etag.clone(), 200),
        ("identity", tag("-gz"), 200),
    ] {
        let r = get_with(
            &app,
            &path,
            &[("accept-encoding", accept), ("if-none-match", &sent)],
        )
        .await;
        assert_eq!(r.status(), expected, "{accept} with {sent}");
        if expected == 304 {
            assert_eq!(header(&r, "etag"), Some(sent), "{accept}");
            assert_eq!(header(&r, "content-encoding"), None, "a 304 has no body");
        }
    }
}

#[tokio::test]
async fn an_empty_feed_is_a_valid_calendar_with_a_date() {
    let app = TestApp::spawn().await;
    let newcomer = app
        .teacher("nieuw@school.be", "126763", &hash_password(DEMO_PASSWORD))
        .await;
    let feed = new_feed(&app, &newcomer, json!({})).await;
    let path = path_of(feed["url"].as_str().unwrap());
    let r = get_with(&app, &path, &[]).await;
    assert_eq!(r.status(), 200);
    let last_modified = header(&r, "last-modified").expect("Last-Modified, also when empty");
    assert!(chrono::DateTime::parse_from_rfc2822(&last_modified).is_ok());
    let ics = r.text().await.unwrap();
    assert_eq!(assert_valid(&ics), 0);
    assert!(
        ics.contains("BEGIN:VTIMEZONE\r\n"),
        "a VCALENDAR needs a component"
    );
    let r = get_with(&app, &path, &[("if-modified-since", &last_modified)]).await;
    assert_eq!(r.status(), 304);
}

#[tokio::test]
async fn the_cached_body_is_what_a_fresh_build_gives_after_every_change() {
    let app = TestApp::spawn().await;
    let (cookie, reservation, path) = teacher_with_a_loan(&app).await;
    let fetch = |path: String| {
        let app = &app;
        async move {
            let r = get_with(app, &path, &[]).await;
            assert_eq!(r.status(), 200);
            (header(&r, "etag").unwrap(), r.text().await.unwrap())
        }
    };
    let (etag, built) = fetch(path.clone()).await;
    assert_eq!(app.state.feed_cache.usage().0, 1, "the built body is kept");
    let (again_tag, again) = fetch(path.clone()).await;
    assert_eq!((again_tag, again), (etag.clone(), built.clone()));

    // A changed reservation: a new fingerprint, a new body, equal to a fresh build.
    let r = app
        .post_json(
            &cookie,
            &format!("/api/v1/reservations/{}/cancel", reservation.id),
            &json!({}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    let (cancelled_tag, cancelled) = fetch(path.clone()).await;
    assert_ne!(cancelled_tag, etag);
    assert_ne!(cancelled, built);
    assert!(cancelled.contains("STATUS:CANCELLED\r\n"));
    // A second feed of the same scope is built afresh: it is not in the cache yet.
    let second = new_feed(&app, &cookie, json!({})).await;
    let (_, rebuilt) = fetch(path_of(second["url"].as_str().unwrap())).await;
    assert_eq!(cancelled, rebuilt);
    assert_eq!(
        fetch(path.clone()).await.1,
        cancelled,
        "served from the cache"
    );

    // A change without a date (the desk's hand-over hours) changes the feed too.
    app.state
        .db
        .set_handover_hours("stem-rtc-brugge", "13:00", "16:00")
        .await
        .unwrap();
    let (moved_tag, moved) = fetch(path.clone()).await;
    assert_ne!(moved_tag, cancelled_tag);
    assert!(
        moved.contains("DTSTART;TZID=Europe/Brussels:20261207T130000\r\n"),
        "{moved}"
    );
    let third = new_feed(&app, &cookie, json!({})).await;
    let (_, rebuilt) = fetch(path_of(third["url"].as_str().unwrap())).await;
    assert_eq!(moved, rebuilt);
    assert_valid(&moved);
}

/// A warm cache skips the fingerprint query while the feed's change stamps are unchanged
/// (`feed_stamps`, kept by triggers). Every kind of change a feed shows, made behind the
/// service's back in raw SQL, must still reach the cached feed: after each, it equals a
/// fresh build (a new feed of the same scope, not in the cache yet) and its ETag moved.
#[tokio::test]
async fn raw_changes_to_everything_a_feed_shows_reach_the_cached_feed() {
    let app = TestApp::spawn().await;
    let (cookie, reservation, path) = teacher_with_a_loan(&app).await;
    let fetch = |path: String| {
        let app = &app;
        async move {
            let r = get_with(app, &path, &[]).await;
            assert_eq!(r.status(), 200);
            (header(&r, "etag").unwrap(), r.text().await.unwrap())
        }
    };
    let user: i64 = sqlx::query_scalar("SELECT user_id FROM reservations WHERE id = $1")
        .bind(reservation.id.0)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let (mut etag, mut body) = fetch(path.clone()).await;
    assert_eq!(fetch(path.clone()).await, (etag.clone(), body.clone()));
    let session = "(SELECT id FROM training_sessions ORDER BY starts_at DESC LIMIT 1)";
    let changes = [
        // As every writer does: a new revision and change time.
        format!(
            "UPDATE reservations SET quantity = 2, revision = revision + 1, \
             updated_at = '2026-11-28T10:00:00+00:00' WHERE id = {}",
            reservation.id.0
        ),
        "UPDATE schools SET name = name || ' (campus Noord)' \
         WHERE id IN (SELECT school_id FROM reservations)"
            .to_owned(),
        "UPDATE kit_types SET title = 'Bee-Bots, klein' WHERE slug = 'bee-bot-set-klein'".to_owned(),
        "UPDATE pickup_points SET street = 'Nieuwe straat 1' WHERE slug = 'stem-rtc-brugge'"
            .to_owned(),
        format!("INSERT INTO training_session_trainers (session_id, user_id) VALUES ({session}, {user})"),
        format!("UPDATE training_sessions SET place = 'Zaal 2' WHERE id = {session}"),
        "UPDATE training_types SET title = title || ' (nieuw)' \
         WHERE id IN (SELECT training_type_id FROM training_sessions)"
            .to_owned(),
        format!("DELETE FROM training_session_trainers WHERE user_id = {user}"),
        // The teacher leaves the school: their bookings there leave their own feed.
        format!("DELETE FROM user_roles WHERE user_id = {user} AND role = 'teacher'"),
    ];
    for sql in changes {
        sqlx::query(&sql)
            .execute(app.state.db.writer())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let (new_tag, new_body) = fetch(path.clone()).await;
        assert_ne!(new_tag, etag, "the ETag moved after {sql}");
        assert_ne!(new_body, body, "the feed changed after {sql}");
        let fresh = new_feed(&app, &cookie, json!({})).await;
        let (_, rebuilt) = fetch(path_of(fresh["url"].as_str().unwrap())).await;
        assert_eq!(new_body, rebuilt, "cached and fresh differ after {sql}");
        assert_eq!(
            fetch(path.clone()).await.1,
            new_body,
            "served again after {sql}"
        );
        (etag, body) = (new_tag, new_body);
    }
}

#[test]
fn the_libical_check_can_fail() {
    // What the feeds said before issue 16: METHOD:PUBLISH without an ORGANIZER.
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//NL\r\nMETHOD:PUBLISH\r\n\
               BEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20261127T100000Z\r\n\
               DTSTART;VALUE=DATE:20261127\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let errors = libical_errors(ics);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("ORGANIZER"), "{errors:?}");
    assert_eq!(
        libical_errors(&ics.replace("METHOD:PUBLISH\r\n", "")),
        Vec::<String>::new()
    );
}
