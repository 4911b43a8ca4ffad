//! Privacy duties: every column of the schema is classified for personal data, the daily
//! retention job removes what is past its period (once per day, recorded without names),
//! and the privacy notice and accessibility statement tell the configured facts.

use leenpunt_server::service::privacy::apply_retention;
use leenpunt_shared::privacy::Retention;
use leenpunt_tests::TestApp;
use std::collections::BTreeSet;

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
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    let mut schema = BTreeSet::new();
    for table in tables {
        let columns: Vec<String> =
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_xinfo('{table}')"))
                .fetch_all(app.state.db.pool())
                .await
                .unwrap();
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
        apply_retention(&app.state.db, app.clock.as_ref(), &retention),
        apply_retention(&app.state.db, app.clock.as_ref(), &retention)
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
        apply_retention(&app.state.db, app.clock.as_ref(), &retention)
            .await
            .unwrap(),
        None
    );
    app.set_time("2026-12-11T03:00:00Z");
    assert!(
        apply_retention(&app.state.db, app.clock.as_ref(), &retention)
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
