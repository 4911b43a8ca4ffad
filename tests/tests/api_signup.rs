//! Signing up, the confirmation mail, and confirming.

use leenpunt_shared::Problem;
use leenpunt_tests::TestApp;
use reqwest::StatusCode;

async fn outbox(app: &TestApp, to: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body FROM outbox WHERE to_addr = $1 ORDER BY id")
        .bind(to)
        .fetch_all(app.state.db.pool())
        .await
        .unwrap()
}

/// The confirmation link from a mail body, as a path.
fn link_path(body: &str) -> String {
    let url = body
        .split_whitespace()
        .find(|w| w.contains("/bevestig/"))
        .expect("a link");
    url[url.find("/bevestig/").unwrap()..].to_owned()
}

async fn sign_up(app: &TestApp, email: &str, password: &str, school: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/signup"))
        .json(&serde_json::json!({ "email": email, "name": "Els Jansens", "password": password, "school": school }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_up_confirm_then_sign_in() {
    let app = TestApp::spawn().await;
    assert_eq!(
        sign_up(&app, "els.jansens@school.be", "mijn geheim 123", "126763")
            .await
            .status(),
        202
    );
    let mails = outbox(&app, "els.jansens@school.be").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].0.starts_with("Bevestig je e-mailadres"));
    assert_eq!(
        app.login("els.jansens@school.be", "mijn geheim 123").await,
        Err(StatusCode::FORBIDDEN),
        "not confirmed yet"
    );

    let link = link_path(&mails[0].1);
    let confirmed = app.get(&link).await;
    assert_eq!(confirmed.status(), 303);
    assert_eq!(confirmed.headers()["location"], "/aanmelden?bevestigd=1");
    let cookie = app
        .login("els.jansens@school.be", "mijn geheim 123")
        .await
        .unwrap();
    let me: leenpunt_shared::Me = app
        .get_as(&cookie, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        me.grants[0].school.as_ref().unwrap().name,
        "GO! Basisschool De Zeemeeuw"
    );

    // Without SMTP the admin reads the mail in the development mailbox.
    let admin = app
        .login("beheerder@demo.leenpunt.be", leenpunt_tests::DEMO_PASSWORD)
        .await
        .unwrap();
    let mailbox: serde_json::Value = app
        .get_as(&admin, "/api/v1/mailbox")
        .await
        .json()
        .await
        .unwrap();
    let first = &mailbox[0];
    assert_eq!(first["to"], "els.jansens@school.be");
    assert!(first["body"].as_str().unwrap().contains("/bevestig/"));

    let again = app.get(&link).await;
    assert_eq!(
        again.headers()["location"],
        "/aanmelden?fout=link-gebruikt",
        "a link works once"
    );
    assert_eq!(
        app.get("/bevestig/verzonnen").await.headers()["location"],
        "/aanmelden?fout=link-onbekend"
    );
}

#[tokio::test]
async fn every_wrong_field_is_named_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let users_before: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let response = app
        .client
        .post(app.url("/api/v1/signup"))
        .json(&serde_json::json!({ "email": "geen-adres", "name": " ", "password": "kort", "school": "999999" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let problem: Problem = response.json().await.unwrap();
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        vec!["email", "name", "school"],
        "password is judged once the address is valid"
    );
    let weak = sign_up(&app, "els@school.be", "els@school.be", "126763").await;
    let problem: Problem = weak.json().await.unwrap();
    assert_eq!(problem.errors[0].field, "password");
    assert_eq!(
        problem.errors[0].message,
        "Je wachtwoord mag niet je e-mailadres zijn."
    );
    let users_after: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(users_before, users_after);
}

#[tokio::test]
async fn an_existing_address_gets_a_mail_not_a_second_account() {
    let app = TestApp::spawn().await;
    let response = sign_up(
        &app,
        "leerkracht@demo.leenpunt.be",
        "nog een wachtwoord",
        "126763",
    )
    .await;
    assert_eq!(response.status(), 202, "same answer as for a new address");
    let mails = outbox(&app, "leerkracht@demo.leenpunt.be").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].0.contains("al een account"));
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE email = 'leerkracht@demo.leenpunt.be'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn the_confirmation_mail_goes_out_over_smtp() {
    let sink = leenpunt_tests::smtp::SmtpSink::start().await;
    let url = sink.url.clone();
    let app = TestApp::spawn_configured(|c| c.smtp_url = Some(url)).await;
    assert_eq!(
        sign_up(&app, "an.smtp@school.be", "mijn geheim 123", "126763")
            .await
            .status(),
        202
    );
    let mail = sink.wait_for("an.smtp@school.be").await;
    assert!(
        mail.data
            .contains("Subject: Bevestig je e-mailadres voor Leenpunt"),
        "{}",
        mail.data
    );
    let link = mail
        .data
        .lines()
        .find(|l| l.contains("/bevestig/"))
        .expect("link line")
        .trim()
        .to_owned();
    let path = &link[link.find("/bevestig/").unwrap()..];
    assert_eq!(
        app.get(path).await.headers()["location"],
        "/aanmelden?bevestigd=1"
    );
    // The outbox knows it was sent.
    let sent: Option<String> =
        sqlx::query_scalar("SELECT sent_at FROM outbox WHERE to_addr = 'an.smtp@school.be'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert!(sent.is_some());
}

#[tokio::test]
async fn a_failed_delivery_is_kept_and_retried_later() {
    // Nothing listens on this port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app =
        TestApp::spawn_configured(move |c| c.smtp_url = Some(format!("smtp://127.0.0.1:{port}")))
            .await;
    assert_eq!(
        sign_up(&app, "an.later@school.be", "mijn geheim 123", "126763")
            .await
            .status(),
        202
    );
    let mut row: (i64, Option<String>, Option<String>, String) = (0, None, None, String::new());
    for _ in 0..50 {
        row = sqlx::query_as("SELECT attempts, sent_at, last_error, next_try_at FROM outbox WHERE to_addr = 'an.later@school.be'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        if row.0 > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        row.0, 1,
        "one attempt, then a pause (the test clock stands still)"
    );
    assert!(row.1.is_none() && row.2.is_some());
    assert!(
        row.3.as_str() > "2026-11-27T09:00:00+00:00",
        "next try is later: {}",
        row.3
    );
}

#[tokio::test]
async fn the_school_can_be_typed_by_name_or_number() {
    let app = TestApp::spawn().await;
    // The name as typed, without picking from the list (case and hyphens aside).
    let r = sign_up(
        &app,
        "an.naam@school.be",
        "mijn geheim 123",
        "go! basisschool de zeemeeuw",
    )
    .await;
    assert_eq!(r.status(), 202);
    // The list's own label, "name · municipality".
    let r = sign_up(
        &app,
        "an.label@school.be",
        "mijn geheim 123",
        "Vrije Basisschool Sint-Lodewijk · Brugge",
    )
    .await;
    assert_eq!(r.status(), 202);
    // The number without its leading zero.
    let r = sign_up(&app, "an.nummer@school.be", "mijn geheim 123", "12345").await;
    assert_eq!(r.status(), 202);
    let schools: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.email, s.instellingsnummer FROM users u JOIN user_roles r ON r.user_id = u.id \
         JOIN schools s ON s.id = r.school_id WHERE u.email LIKE 'an.%' ORDER BY u.email",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(
        schools,
        [
            ("an.label@school.be".to_owned(), "012345".to_owned()),
            ("an.naam@school.be".to_owned(), "126763".to_owned()),
            ("an.nummer@school.be".to_owned(), "012345".to_owned()),
        ]
    );
    // Part of a name is not a school: the message says what to do.
    let r = sign_up(&app, "an.deel@school.be", "mijn geheim 123", "Zeemeeuw").await;
    assert_eq!(r.status(), 422);
    let problem: Problem = r.json().await.unwrap();
    assert_eq!(problem.errors[0].field, "school");
    assert!(problem.errors[0]
        .message
        .contains("naam of het instellingsnummer"));
}

#[tokio::test]
async fn a_missing_school_is_requested_from_the_admins() {
    let app = TestApp::spawn().await;
    let request = |body: serde_json::Value| {
        app.client
            .post(app.url("/api/v1/school-requests"))
            .json(&body)
            .send()
    };
    // A listed school is pointed back to the list; nothing is sent.
    let r = request(serde_json::json!({ "name": "Els Jansens", "email": "els@school.be", "school": "GO! Basisschool De Zeemeeuw", "municipality": "Oostende" }))
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let problem: Problem = r.json().await.unwrap();
    assert_eq!(problem.errors[0].field, "school");
    assert!(outbox(&app, "beheerder@demo.leenpunt.be").await.is_empty());

    let r = request(serde_json::json!({ "name": "Els Jansens", "email": "els@school.be", "school": "Basisschool Het Nieuwe Veld", "municipality": "Roeselare", "number": "987654", "message": "We openen in januari." }))
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let mails = outbox(&app, "beheerder@demo.leenpunt.be").await;
    assert_eq!(mails.len(), 1);
    let (subject, body) = &mails[0];
    assert!(subject.contains("Basisschool Het Nieuwe Veld"), "{subject}");
    for part in [
        "els@school.be",
        "Roeselare",
        "987654",
        "We openen in januari.",
        "/beheer/register/scholen",
        "/beheer/uitnodigen",
    ] {
        assert!(body.contains(part), "{part}: {body}");
    }
    // The requester gets no mail from a form anyone can fill in.
    assert!(outbox(&app, "els@school.be").await.is_empty());
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'school-request'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(audited, 1);
}
