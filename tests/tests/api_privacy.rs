//! Privacy duties: every column of the schema is classified for personal data, the daily
//! retention job removes what is past its period (once per day, recorded without names),
//! and the privacy notice and accessibility statement tell the configured facts.

use leenpunt_server::service::privacy::apply_retention;
use leenpunt_shared::privacy::Retention;
use leenpunt_tests::{schema, TestApp};
use std::collections::BTreeSet;

const URL: &str = "https://leenpunt.example";

const CLASSES: [&str; 5] = ["none", "direct", "linked", "free-text", "secret"];

#[tokio::test]
async fn every_column_is_classified_for_personal_data() {
    let inventory = include_str!("../../migrations/personal_data.csv");
    let mut listed = BTreeSet::new();
    for (n, line) in inventory.lines().enumerate().skip(1) {
        let mut cells = line.splitn(4, ',');
        let (Some(table), Some(column), Some(class)) = (cells.next(), cells.next(), cells.next())
        else {
            panic!("line {}: {line}", n + 1);
        };
        assert!(CLASSES.contains(&class), "line {}: class {class}", n + 1);
        assert!(
            listed.insert(format!("{table}.{column}")),
            "line {}: {table}.{column} twice",
            n + 1
        );
    }
    let app = TestApp::spawn_with(false).await;
    let tables = schema::tables(&app.state.db).await;
    let mut schema = BTreeSet::new();
    for table in tables {
        let columns = schema::columns(&app.state.db, &table).await;
        schema.extend(columns.into_iter().map(|c| format!("{table}.{c}")));
    }
    let unclassified: Vec<_> = schema.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&schema).collect();
    assert!(
        unclassified.is_empty(),
        "add these columns to migrations/personal_data.csv: {unclassified:?}"
    );
    assert!(
        stale.is_empty(),
        "these columns are gone from the schema: {stale:?}"
    );
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql)
        .execute(&mut *app.state.db.writer().acquire().await.unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn the_retention_job_removes_what_is_past_its_period_once_a_day() {
    let app = TestApp::spawn().await;
    let old = "2026-08-01T10:00:00+00:00";
    let recent = "2026-12-05T10:00:00+00:00";
    exec(
        &app,
        &format!(
            "INSERT INTO outbox (to_addr, subject, body, created_at, sent_at, next_try_at) VALUES \
         ('oud@school.be', 'Oud', 'x', '{old}', '{old}', '{old}'), \
         ('nieuw@school.be', 'Nieuw', 'x', '{recent}', '{recent}', '{recent}'), \
         ('wacht@school.be', 'Niet verstuurd', 'x', '{old}', NULL, '{old}')"
        ),
    )
    .await;
    exec(&app, &format!(
        "INSERT INTO login_failures (email, client, at) VALUES ('x@y.be', '10.0.0.1', '{old}'), ('x@y.be', '10.0.0.1', '{recent}')"
    ))
    .await;
    exec(&app, &format!(
        "INSERT INTO users (email, name, created_at) VALUES ('nooit@school.be', 'Nooit Bevestigd', '{old}')"
    ))
    .await;
    exec(&app, &format!(
        "INSERT INTO audit_log (at, actor_id, action, subject, detail) \
         SELECT '{old}', NULL, 'signup', 'user:' || id, email FROM users WHERE email = 'nooit@school.be'"
    ))
    .await;
    exec(&app, &format!(
        "INSERT INTO users (email, name, created_at) VALUES ('pas@school.be', 'Pas Aangemeld', '{recent}')"
    ))
    .await;
    let demo_users = count(
        &app,
        "SELECT count(*) FROM users WHERE confirmed_at IS NOT NULL",
    )
    .await;

    app.set_time("2026-12-10T03:00:00Z");
    let retention = Retention::default();
    let (a, b) = tokio::join!(
        apply_retention(&app.state.db, app.clock.as_ref(), &retention, URL),
        apply_retention(&app.state.db, app.clock.as_ref(), &retention, URL)
    );
    let runs: Vec<_> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(runs.len(), 1, "one run per day, on one instance");
    let removed = runs[0];
    assert!(removed.mails >= 1 && removed.throttles >= 1, "{removed:?}");
    assert_eq!(removed.unconfirmed, 1);

    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE to_addr = 'oud@school.be'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE to_addr = 'nieuw@school.be'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM outbox WHERE to_addr = 'wacht@school.be'"
        )
        .await,
        1,
        "a mail not sent yet is not removed"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM login_failures").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM users WHERE email = 'nooit@school.be'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM users WHERE email = 'pas@school.be'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM users WHERE confirmed_at IS NOT NULL"
        )
        .await,
        demo_users,
        "confirmed accounts stay"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE detail LIKE '%nooit@school.be%'"
        )
        .await,
        0,
        "the audit keeps the event, not the address"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE action = 'signup'"
        )
        .await,
        1
    );
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'privacy.retention' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert!(detail.contains("unconfirmed=1"), "{detail}");

    // Later the same day: nothing; the next day: a new run.
    app.set_time("2026-12-10T20:00:00Z");
    assert_eq!(
        apply_retention(&app.state.db, app.clock.as_ref(), &retention, URL)
            .await
            .unwrap(),
        None
    );
    app.set_time("2026-12-11T03:00:00Z");
    assert!(
        apply_retention(&app.state.db, app.clock.as_ref(), &retention, URL)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn the_privacy_notice_and_accessibility_statement_tell_the_configured_facts() {
    let app = TestApp::spawn_configured(|c| {
        c.privacy_contact = Some("privacy@west-vlaanderen.example".into());
        c.retention.sent_mail_days = 60;
    })
    .await;
    let page = app.get("/privacy").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for part in [
        "Provincie West-Vlaanderen",
        "mailto:privacy@west-vlaanderen.example",
        "Verstuurde mails: 60 dagen",
        "Aanmeldsessies, na het laatste gebruik: 30 dagen",
        "geen cookiemelding",
        "Accounts zonder aanmelding, reservatie of opleiding: 3 schooljaren (daarna gewist, met een waarschuwingsmail 30 dagen vooraf)",
        "Account verwijderen",
    ] {
        assert!(html.contains(part), "{part}");
    }
    let page = app.get("/toegankelijkheid").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("WCAG 2.1"), "{html}");
    assert!(html.contains("privacy@west-vlaanderen.example"));
    // Every page links to both from its footer; without a contact the notice says so.
    let app = TestApp::spawn().await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains(r#"href="/privacy""#) && home.contains(r#"href="/toegankelijkheid""#));
    let html = app.get("/privacy").await.text().await.unwrap();
    assert!(html.contains("nog geen privacycontact"), "{html}");
}

#[tokio::test]
async fn a_person_downloads_everything_held_about_them_and_only_an_admin_sees_anothers() {
    let app = TestApp::spawn().await;
    let teacher = app
        .login("leerkracht@demo.leenpunt.be", leenpunt_tests::DEMO_PASSWORD)
        .await
        .unwrap();
    // A reservation with a note, a mail and a feed: records of several kinds.
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &serde_json::json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge",
                "pickup_date": "2026-12-07", "return_date": "2026-12-10", "quantity": 1,
                "note": "Voor de STEM-week van 3B" }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let feed = app
        .post_json(
            &teacher,
            "/api/v1/feeds",
            &serde_json::json!({ "scope": "user" }),
        )
        .await;
    assert!(feed.status().is_success(), "{}", feed.text().await.unwrap());

    let answer = app.get_as(&teacher, "/api/v1/me/personal-data").await;
    assert_eq!(answer.status(), 200);
    assert!(answer
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let data: leenpunt_shared::privacy::PersonalData = answer.json().await.unwrap();
    let table = |name: &str| {
        data.tables
            .iter()
            .find(|t| t.table == name)
            .unwrap_or_else(|| {
                panic!(
                    "{name} missing: {:?}",
                    data.tables.iter().map(|t| &t.table).collect::<Vec<_>>()
                )
            })
    };
    let users = table("users");
    assert_eq!(users.rows.len(), 1);
    assert!(!users.columns.contains(&"password_hash".to_owned()));
    let email = users.columns.iter().position(|c| c == "email").unwrap();
    assert_eq!(
        users.rows[0][email].as_deref(),
        Some("leerkracht@demo.leenpunt.be")
    );
    for name in [
        "user_roles",
        "reservations",
        "outbox",
        "calendar_feeds",
        "qualifications",
    ] {
        assert!(!table(name).rows.is_empty(), "{name}");
    }
    let text = serde_json::to_string(&data).unwrap();
    assert!(text.contains("Voor de STEM-week van 3B"));
    assert!(!text.contains("$argon2"), "no password hash");
    assert!(
        !text.contains("ambassadeur@demo.leenpunt.be"),
        "nobody else's address"
    );
    let me: serde_json::Value = app
        .get_as(&teacher, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    let id = me["id"].as_i64().unwrap();

    // Another person's data: not for a teacher or desk staff, yes for an admin.
    let desk = app
        .login(
            "ambassadeur@demo.leenpunt.be",
            leenpunt_tests::DEMO_PASSWORD,
        )
        .await
        .unwrap();
    let path = format!("/api/v1/users/{id}/personal-data");
    assert_eq!(app.get_as(&desk, &path).await.status(), 404);
    assert_eq!(app.get(&path).await.status(), 401);
    let admin = app
        .login("beheerder@demo.leenpunt.be", leenpunt_tests::DEMO_PASSWORD)
        .await
        .unwrap();
    let theirs: leenpunt_shared::privacy::PersonalData =
        app.get_as(&admin, &path).await.json().await.unwrap();
    assert_eq!(theirs.person.0, id);
    assert_eq!(theirs.tables.len(), data.tables.len());
}

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const TEACHER_NAME: &str = "Lotte Vermeulen";

/// Every (table, column) of the schema whose value contains `needle` (ignoring case).
async fn columns_holding(app: &TestApp, needle: &str) -> Vec<String> {
    let tables = schema::tables(&app.state.db).await;
    let mut found = Vec::new();
    for table in tables {
        let columns = schema::columns(&app.state.db, &table).await;
        for column in columns {
            let holds = app
                .state
                .db
                .engine()
                .instr(&format!("lower(CAST(\"{column}\" AS TEXT))"), "lower($1)");
            let n: i64 = sqlx::query_scalar(&format!(
                "SELECT count(*) FROM \"{table}\" WHERE {holds} > 0"
            ))
            .bind(needle)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
            if n > 0 {
                found.push(format!("{table}.{column} ({n})"));
            }
        }
    }
    found
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// The figures an admin and the public see for the school years around the data.
async fn figures(app: &TestApp, admin: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for path in [
        "/api/v1/stats?from=2025-09-01&to=2026-08-31",
        "/api/v1/stats?from=2026-09-01&to=2027-08-31",
        "/api/v1/stats/public",
    ] {
        let r = app.get_as(admin, path).await;
        assert_eq!(r.status(), 200, "{path}");
        let mut v: serde_json::Value = r.json().await.unwrap();
        // When the report was made is not a figure.
        if let Some(o) = v.as_object_mut() {
            o.remove("generated_at");
        }
        out.push(v);
    }
    out
}

#[tokio::test]
async fn an_erased_person_is_nowhere_in_the_schema_and_the_figures_stay() {
    let sink = leenpunt_tests::smtp::SmtpSink::start().await;
    let smtp = sink.url.clone();
    let app = TestApp::spawn_configured(|c| c.smtp_url = Some(smtp)).await;
    let pw = leenpunt_tests::DEMO_PASSWORD;
    let me = user_id(&app, TEACHER).await;
    // Records of every kind: a failed sign-in, a password-reset request (token, mail,
    // throttle), a school request naming the address, sessions, a feed, a waiting-list
    // place left again, a reservation with a note, a returned loan a desk note names the
    // person in, a maintenance ticket, the demo qualification and registration.
    assert!(app.login(TEACHER, "verkeerd-wachtwoord").await.is_err());
    let reset = app
        .client
        .post(app.url("/api/v1/password-reset"))
        .json(&serde_json::json!({ "email": TEACHER }))
        .send()
        .await
        .unwrap();
    assert!(reset.status().is_success(), "{}", reset.status());
    let request = app
        .client
        .post(app.url("/api/v1/school-requests"))
        .json(&serde_json::json!({ "name": TEACHER_NAME, "email": TEACHER,
            "school": "Basisschool Het Nieuwe Veld", "municipality": "Roeselare" }))
        .send()
        .await
        .unwrap();
    assert!(request.status().is_success(), "{}", request.status());
    let teacher = app.login(TEACHER, pw).await.unwrap();
    let feed = app
        .post_json(
            &teacher,
            "/api/v1/feeds",
            &serde_json::json!({ "scope": "user" }),
        )
        .await;
    assert!(feed.status().is_success());
    // An access token named after the person.
    let token = app
        .post_json(
            &teacher,
            "/api/v1/me/tokens",
            &serde_json::json!({ "name": "Rooster van Lotte Vermeulen", "scope": "read",
                "expires_in_days": 30 }),
        )
        .await;
    assert_eq!(token.status(), 201);
    let booking = serde_json::json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge",
        "pickup_date": "2026-12-07", "return_date": "2026-12-10", "quantity": 1,
        "note": "Voor de STEM-week van Lotte Vermeulen" });
    let r = app
        .post_json(&teacher, "/api/v1/reservations", &booking)
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let reservation: serde_json::Value = r.json().await.unwrap();
    let reservation = reservation["id"].as_i64().unwrap();
    exec(&app, &format!(
        "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
           return_date, held_until, status, note, reason, created_at, updated_at) \
         SELECT k.id, (SELECT pickup_point_id FROM kit_type_pickup_points WHERE kit_type_id = k.id LIMIT 1), \
           (SELECT id FROM schools WHERE instellingsnummer = '012345'), {me}, 1, '2026-03-02', '2026-03-06', \
           '2026-03-06', 'teruggebracht', 'Voor 4A', 'Lotte Vermeulen belde: een dag later', \
           '2026-02-01T08:00:00+00:00', '2026-03-06T08:00:00+00:00' \
         FROM kit_types k WHERE k.slug = 'bee-bot-set-klein'"
    )).await;
    exec(&app, "INSERT INTO maintenance_tickets (unit_id, opened_at, opened_by, shortfall, note) \
        SELECT id, '2026-03-06T09:00:00+00:00', NULL, '', 'Kapot teruggebracht door lotte vermeulen (leerkracht@demo.leenpunt.be)' \
        FROM units LIMIT 1").await;
    exec(
        &app,
        &format!(
            "INSERT INTO form_drafts (id_hash, owner_id, created_at, fields, errors) \
        VALUES ('x', {me}, '2026-11-27T09:00:00+00:00', '[[\"name\",\"Lotte Vermeulen\"]]', '[]')"
        ),
    )
    .await;

    let admin = app.login("beheerder@demo.leenpunt.be", pw).await.unwrap();
    assert!(!columns_holding(&app, TEACHER).await.is_empty());
    assert!(!columns_holding(&app, TEACHER_NAME).await.is_empty());

    // The person asks; asking twice is one request. Only admins see it.
    for _ in 0..2 {
        let r = app
            .post_json(
                &teacher,
                "/api/v1/me/erasure-request",
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(r.status(), 202);
    }
    let desk = app.login("ambassadeur@demo.leenpunt.be", pw).await.unwrap();
    assert_eq!(
        app.get_as(&desk, "/api/v1/erasure-requests").await.status(),
        403
    );
    let pending: Vec<leenpunt_shared::privacy::ErasureRequest> = app
        .get_as(&admin, "/api/v1/erasure-requests")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].email, TEACHER);
    let id = pending[0].id;
    assert!(
        pending[0].blockers.iter().any(|b| matches!(b,
            leenpunt_shared::privacy::Blocker::UpcomingReservation { reservation: r, .. } if *r == reservation)),
        "{:?}", pending[0].blockers
    );
    let confirm = format!("/api/v1/erasure-requests/{id}/confirm");
    assert_eq!(
        app.post_json(&desk, &confirm, &serde_json::json!({}))
            .await
            .status(),
        404
    );
    // The upcoming reservation blocks it, by number; nothing changed.
    let refused = app
        .post_json(&admin, &confirm, &serde_json::json!({}))
        .await;
    assert_eq!(refused.status(), 409);
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("reservatie {reservation}")),
        "{problem}"
    );
    assert!(app.login(TEACHER, pw).await.is_ok(), "still there");
    // Staff cancel it (the answer told them to); then the erasure goes through.
    let cancel = app
        .post_json(
            &admin,
            &format!("/api/v1/reservations/{reservation}/cancel"),
            &serde_json::json!({ "reason": "verwijderverzoek" }),
        )
        .await;
    assert!(
        cancel.status().is_success(),
        "{}",
        cancel.text().await.unwrap()
    );
    // The cancellation itself may move figures; compare from here.
    let before = figures(&app, &admin).await;
    let done = app
        .post_json(&admin, &confirm, &serde_json::json!({}))
        .await;
    assert_eq!(done.status(), 204, "{}", done.text().await.unwrap());
    assert_eq!(
        app.post_json(&admin, &confirm, &serde_json::json!({}))
            .await
            .status(),
        404
    );

    // The farewell mail went out, and with it the last copy of the address.
    let farewell = async {
        // Generous: the mail worker is slow on a loaded two-core machine, and a send that
        // timed out is retried 1, 2, 4, … minutes later by the app's clock, which this
        // test holds still. From ten seconds on, move it on by ten minutes every two
        // seconds (at most nine hours from 09:00: still the same day).
        for round in 0..1200 {
            if round >= 100 && round % 20 == 19 {
                use leenpunt_server::domain::clock::Clock;
                app.clock
                    .set(app.clock.now() + chrono::Duration::minutes(10));
            }
            let received = sink.received.lock().unwrap().clone();
            if let Some(m) = received.into_iter().find(|m| {
                m.to.iter().any(|t| t == TEACHER)
                    && m.data.contains("Je account bij Leenpunt is verwijderd")
            }) {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        // What the outbox says, to tell a slow worker from a mail never queued.
        type Row = (i64, String, i64, String, Option<String>, Option<String>);
        let outbox: Vec<Row> = sqlx::query_as(
            "SELECT id, subject, attempts, next_try_at, sent_at, last_error \
                 FROM outbox ORDER BY id DESC LIMIT 5",
        )
        .fetch_all(app.state.db.pool())
        .await
        .unwrap_or_default();
        let got = sink.received.lock().unwrap().len();
        use leenpunt_server::domain::clock::Clock;
        panic!(
            "no farewell mail (clock {}, {got} mails received); latest in the outbox: {outbox:#?}",
            app.clock.now()
        );
    };
    assert!(farewell.await.data.contains("laatste mail"));
    for _ in 0..400 {
        if count(
            &app,
            "SELECT count(*) FROM outbox WHERE forget_after_send = 1",
        )
        .await
            == 0
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(columns_holding(&app, TEACHER).await, Vec::<String>::new());
    assert_eq!(
        columns_holding(&app, TEACHER_NAME).await,
        Vec::<String>::new()
    );
    assert_eq!(figures(&app, &admin).await, before, "the figures stay");

    // The account is gone for signing in; the session ended; events stay without a person.
    assert_eq!(
        app.login(TEACHER, pw).await,
        Err(reqwest::StatusCode::UNAUTHORIZED)
    );
    assert_eq!(app.get_as(&teacher, "/api/v1/me").await.status(), 401);
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM reservations WHERE user_id = {me}")
        )
        .await,
        2,
        "reservations stay for the figures"
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM audit_log WHERE actor_id = {me}")
        )
        .await,
        0
    );
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'privacy.erasure' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(
        detail, "request teacher:012345",
        "a teacher of a school, nobody in particular"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_log WHERE subject = 'school-request:verwijderd'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn an_admin_refuses_with_a_reason_the_person_reads() {
    let app = TestApp::spawn().await;
    let pw = leenpunt_tests::DEMO_PASSWORD;
    let teacher = app.login(TEACHER, pw).await.unwrap();
    let admin = app.login("beheerder@demo.leenpunt.be", pw).await.unwrap();
    assert_eq!(
        app.post_json(
            &teacher,
            "/api/v1/me/erasure-request",
            &serde_json::json!({})
        )
        .await
        .status(),
        202
    );
    let pending: Vec<leenpunt_shared::privacy::ErasureRequest> = app
        .get_as(&admin, "/api/v1/erasure-requests")
        .await
        .json()
        .await
        .unwrap();
    let refuse = format!("/api/v1/erasure-requests/{}/refuse", pending[0].id);
    let empty = app
        .post_json(&admin, &refuse, &serde_json::json!({ "reason": "  " }))
        .await;
    assert_eq!(empty.status(), 422);
    let r = app
        .post_json(
            &admin,
            &refuse,
            &serde_json::json!({ "reason": "Er loopt nog een geschil" }),
        )
        .await;
    assert_eq!(r.status(), 204);
    let mail = count(&app, &format!(
        "SELECT count(*) FROM outbox WHERE to_addr = '{TEACHER}' AND body LIKE '%Er loopt nog een geschil%'"
    )).await;
    assert_eq!(mail, 1);
    let page = app
        .get_as(&teacher, "/mijn-account")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Er loopt nog een geschil"),
        "the account page says why"
    );
    assert!(app.login(TEACHER, pw).await.is_ok());
    // Admins' own requests need another admin.
    assert_eq!(
        app.post_json(&admin, "/api/v1/me/erasure-request", &serde_json::json!({}))
            .await
            .status(),
        202
    );
    let pending: Vec<leenpunt_shared::privacy::ErasureRequest> = app
        .get_as(&admin, "/api/v1/erasure-requests")
        .await
        .json()
        .await
        .unwrap();
    let own = app
        .post_json(
            &admin,
            &format!("/api/v1/erasure-requests/{}/confirm", pending[0].id),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(own.status(), 409);
}

/// An old account: created, last signed in and last borrowed before 1 September 2023.
async fn old_account(app: &TestApp, email: &str, name: &str) -> i64 {
    exec(app, &format!(
        "INSERT INTO users (email, name, password_hash, confirmed_at, created_at, last_sign_in_at) VALUES \
         ('{email}', '{name}', (SELECT password_hash FROM users WHERE email = '{TEACHER}'), \
          '2022-05-01T10:00:00+00:00', '2022-05-01T10:00:00+00:00', '2023-06-01T10:00:00+00:00')"
    )).await;
    let id = user_id(app, email).await;
    exec(app, &format!(
        "INSERT INTO user_roles (user_id, role, school_id) SELECT {id}, 'teacher', id FROM schools WHERE instellingsnummer = '012345'"
    )).await;
    exec(app, &format!(
        "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
           return_date, held_until, status, note, created_at, updated_at) \
         SELECT k.id, (SELECT pickup_point_id FROM kit_type_pickup_points WHERE kit_type_id = k.id LIMIT 1), \
           (SELECT id FROM schools WHERE instellingsnummer = '012345'), {id}, 1, '2023-05-08', '2023-05-12', \
           '2023-05-12', 'teruggebracht', 'voor {name}', '2023-04-01T08:00:00+00:00', '2023-05-12T08:00:00+00:00' \
         FROM kit_types k WHERE k.slug = 'bee-bot-set-klein'"
    )).await;
    id
}

#[tokio::test]
async fn inactive_accounts_are_warned_once_then_anonymised_unless_they_sign_in() {
    let app = TestApp::spawn().await;
    let retention = Retention::default();
    let gone = old_account(&app, "oud@school.be", "Oud Gebruiker").await;
    let back = old_account(&app, "terug@school.be", "Terug Gekomen").await;
    let run = || apply_retention(&app.state.db, app.clock.as_ref(), &retention, URL);
    let warnings = |to: &'static str| {
        let app = &app;
        async move {
            count(app, &format!(
                "SELECT count(*) FROM outbox WHERE to_addr = '{to}' AND subject LIKE '%binnenkort verwijderd%'"
            )).await
        }
    };

    app.set_time("2026-12-10T03:00:00Z");
    let first = run().await.unwrap().unwrap();
    assert_eq!((first.warned, first.anonymised), (2, 0), "{first:?}");
    assert_eq!(warnings("oud@school.be").await, 1);
    let body: String =
        sqlx::query_scalar("SELECT body FROM outbox WHERE to_addr = 'oud@school.be'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert!(
        body.contains("30 dagen") && body.contains("https://leenpunt.example/aanmelden"),
        "{body}"
    );
    // The next days: no second warning, nothing erased yet.
    app.set_time("2026-12-11T03:00:00Z");
    let next = run().await.unwrap().unwrap();
    assert_eq!((next.warned, next.anonymised), (0, 0));
    assert_eq!(warnings("oud@school.be").await, 1);
    // One of them signs in within the notice period.
    app.set_time("2026-12-20T10:00:00Z");
    assert!(app
        .login("terug@school.be", leenpunt_tests::DEMO_PASSWORD)
        .await
        .is_ok());

    // Thirty days after the warning: the silent one is anonymised, the other stays.
    app.set_time("2027-01-09T03:00:00Z");
    let last = run().await.unwrap().unwrap();
    assert_eq!((last.warned, last.anonymised), (0, 1), "{last:?}");
    let (name, email, erased): (String, String, Option<String>) =
        sqlx::query_as("SELECT name, email, erased_at FROM users WHERE id = $1")
            .bind(gone)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(name, "Verwijderde gebruiker");
    assert!(email.ends_with("@verwijderd.invalid"), "{email}");
    assert!(erased.is_some());
    assert_eq!(
        columns_holding(&app, "oud@school.be").await.len(),
        1,
        "only the farewell mail, until it is sent"
    );
    assert_eq!(
        columns_holding(&app, "Oud Gebruiker").await,
        Vec::<String>::new()
    );
    let kept: String = sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
        .bind(back)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(kept, "Terug Gekomen");
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'privacy.erasure' AND actor_id IS NULL ORDER BY id DESC LIMIT 1",
    ).fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(detail, "inactive teacher:012345");
    // A farewell mail never delivered goes a day later.
    app.set_time("2027-01-11T03:00:00Z");
    run().await.unwrap().unwrap();
    assert_eq!(
        columns_holding(&app, "oud@school.be").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn desk_staff_see_a_borrowers_name_and_school_not_their_other_bookings_and_reports_name_nobody(
) {
    let app = TestApp::spawn().await;
    let pw = leenpunt_tests::DEMO_PASSWORD;
    let teacher = app.login(TEACHER, pw).await.unwrap();
    let booking = serde_json::json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge",
        "pickup_date": "2026-12-07", "return_date": "2026-12-10", "quantity": 1 });
    let r = app
        .post_json(&teacher, "/api/v1/reservations", &booking)
        .await;
    assert_eq!(r.status(), 201);
    let stem: serde_json::Value = r.json().await.unwrap();
    // The same teacher's booking at another partner service (MOS).
    let me = user_id(&app, TEACHER).await;
    exec(&app, &format!(
        "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
           return_date, held_until, status, created_at, updated_at) \
         SELECT k.id, (SELECT pickup_point_id FROM kit_type_pickup_points WHERE kit_type_id = k.id LIMIT 1), \
           (SELECT id FROM schools WHERE instellingsnummer = '012345'), {me}, 1, '2026-12-14', '2026-12-18', \
           '2026-12-18', 'bevestigd', '2026-11-27T08:00:00+00:00', '2026-11-27T08:00:00+00:00' \
         FROM kit_types k WHERE k.slug = 'mos-afvalsorteerkoffer'"
    )).await;
    let mos: i64 = sqlx::query_scalar("SELECT max(id) FROM reservations")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();

    let desk = app.login("ambassadeur@demo.leenpunt.be", pw).await.unwrap();
    let list: Vec<leenpunt_shared::Reservation> = app
        .get_as(&desk, "/api/v1/reservations?scope=desk")
        .await
        .json()
        .await
        .unwrap();
    let seen = list
        .iter()
        .find(|r| r.id.0 == stem["id"].as_i64().unwrap())
        .expect("the desk's own pickup point's booking");
    assert_eq!(seen.borrower, TEACHER_NAME);
    assert_eq!(seen.school, "Vrije Basisschool Sint-Lodewijk");
    assert!(
        list.iter().all(|r| r.id.0 != mos),
        "not the borrower's other bookings"
    );
    let text = serde_json::to_string(&list).unwrap();
    assert!(!text.contains(TEACHER), "no e-mail address for the desk");
    assert_eq!(
        app.get_as(&desk, &format!("/api/v1/reservations/{mos}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get_as(&desk, &format!("/api/v1/users/{me}/personal-data"))
            .await
            .status(),
        404
    );

    // Reports and their CSV tables carry figures, not people: for the partner admin and
    // for the admin alike.
    let people: Vec<(String, String)> = sqlx::query_as("SELECT name, email FROM users")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    for who in [
        "partnerbeheer@demo.leenpunt.be",
        "beheerder@demo.leenpunt.be",
    ] {
        let cookie = app.login(who, pw).await.unwrap();
        let period = "from=2026-09-01&to=2027-08-31";
        let report: serde_json::Value = app
            .get_as(&cookie, &format!("/api/v1/stats?{period}"))
            .await
            .json()
            .await
            .unwrap();
        let mut texts = vec![report.to_string()];
        for table in report["tables"].as_array().unwrap() {
            let id = table["id"].as_str().unwrap();
            let csv = app
                .get_as(&cookie, &format!("/api/v1/stats/csv?table={id}&{period}"))
                .await;
            assert_eq!(csv.status(), 200, "{id}");
            texts.push(csv.text().await.unwrap());
        }
        texts.push(app.get("/api/v1/stats/public").await.text().await.unwrap());
        for text in &texts {
            for (name, email) in &people {
                assert!(
                    !text.contains(name.as_str()) && !text.contains(email.as_str()),
                    "{name} in a report for {who}"
                );
            }
        }
    }
}
