//! Forgotten passwords: a single-use, two-hour link by mail; no answer reveals whether an
//! address has an account; a new password ends every session.

use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";

/// The token in the newest reset mail to an address.
async fn reset_token(app: &TestApp, to: &str) -> Option<String> {
    let body: Option<String> = sqlx::query_scalar(
        "SELECT body FROM outbox WHERE to_addr = $1 AND subject LIKE 'Kies een nieuw wachtwoord%' ORDER BY id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_optional(app.state.db.pool())
    .await
    .unwrap();
    let body = body?;
    let start = body.find("/wachtwoord/")? + "/wachtwoord/".len();
    Some(body[start..].split_whitespace().next()?.to_owned())
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session() {
    let app = TestApp::spawn().await;
    let old_session = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    // Unknown and known addresses get the same answer; only the known one gets a mail.
    for email in ["niemand@nergens.be", "geen-adres", TEACHER] {
        let r = app
            .post_json("", "/api/v1/password-reset", &json!({ "email": email }))
            .await;
        assert_eq!(r.status(), 202, "{email}");
    }
    assert!(reset_token(&app, "niemand@nergens.be").await.is_none());
    let token = reset_token(&app, TEACHER).await.expect("a reset mail");
    let path = format!("/api/v1/password-reset/{token}");
    let r = app
        .post_json("", &path, &json!({ "password": "kort" }))
        .await;
    assert_eq!(r.status(), 422);
    let p: leenpunt_shared::Problem = r.json().await.unwrap();
    assert_eq!(p.errors[0].field, "password");
    let r = app
        .post_json("", &path, &json!({ "password": "een-nieuw-wachtwoord" }))
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(
        app.get_as(&old_session, "/api/v1/me").await.status(),
        401,
        "old sessions end"
    );
    assert!(app.login(TEACHER, DEMO_PASSWORD).await.is_err());
    assert!(app.login(TEACHER, "een-nieuw-wachtwoord").await.is_ok());
    // Single use.
    let r = app
        .post_json(
            "",
            &path,
            &json!({ "password": "nog-een-ander-wachtwoord" }),
        )
        .await;
    assert_eq!(r.status(), 422);
    let p: leenpunt_shared::Problem = r.json().await.unwrap();
    assert_eq!(p.errors[0].field, "token");
    assert!(
        p.errors[0].message.contains("al gebruikt"),
        "{}",
        p.errors[0].message
    );
}

#[tokio::test]
async fn a_reset_link_expires_after_two_hours() {
    use leenpunt_server::service::signup::{reset_password, ResetProblem};
    let app = TestApp::spawn().await;
    app.post_json("", "/api/v1/password-reset", &json!({ "email": TEACHER }))
        .await;
    let token = reset_token(&app, TEACHER).await.unwrap();
    let later = app.state.clock.now() + chrono::Duration::hours(2) + chrono::Duration::minutes(1);
    let outcome = reset_password(&app.state.db, later, &token, "een-nieuw-wachtwoord")
        .await
        .unwrap();
    assert_eq!(
        outcome,
        Err(ResetProblem::Token(
            leenpunt_server::domain::auth::TokenProblem::Expired
        ))
    );
}

/// The token in the newest invitation mail to an address.
async fn invitation_token(app: &TestApp, to: &str) -> Option<String> {
    let body: Option<String> = sqlx::query_scalar(
        "SELECT body FROM outbox WHERE to_addr = $1 AND subject LIKE 'Je bent uitgenodigd%' ORDER BY id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_optional(app.state.db.pool())
    .await
    .unwrap();
    let body = body?;
    let start = body.find("/uitnodiging/")? + "/uitnodiging/".len();
    Some(body[start..].split_whitespace().next()?.to_owned())
}

#[tokio::test]
async fn invitations_by_admins_and_partner_admins() {
    let app = TestApp::spawn().await;
    let admin = app
        .login("beheerder@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let mos_admin = app
        .login("partnerbeheer@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let invite = |who: &str, role: &str, partner: Option<&str>| json!({ "email": who, "name": "Nieuwe collega", "role": role, "partner": partner });
    // A partner admin invites desk staff of their own partner only.
    let r = app
        .post_json(
            &mos_admin,
            "/api/v1/invitations",
            &invite("balie@mos.be", "ambassador", Some("mos")),
        )
        .await;
    assert_eq!(r.status(), 202);
    let r = app
        .post_json(
            &mos_admin,
            "/api/v1/invitations",
            &invite("x@stem.be", "ambassador", Some("stem-rtc")),
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = app
        .post_json(
            &mos_admin,
            "/api/v1/invitations",
            &invite("y@mos.be", "admin", None),
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = app
        .post_json(
            &teacher,
            "/api/v1/invitations",
            &invite("z@school.be", "trainer", Some("mos")),
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = app
        .post_json(
            "",
            "/api/v1/invitations",
            &invite("z@school.be", "trainer", Some("mos")),
        )
        .await;
    assert_eq!(r.status(), 401);
    // Bad input: each field says what.
    let r = app
        .post_json(
            &admin,
            "/api/v1/invitations",
            &json!({ "email": "geen", "role": "koning" }),
        )
        .await;
    assert_eq!(r.status(), 422);
    let p: leenpunt_shared::Problem = r.json().await.unwrap();
    let fields: Vec<&str> = p.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["email", "role"]);
    let r = app
        .post_json(
            &admin,
            "/api/v1/invitations",
            &invite("t@school.be", "teacher", None),
        )
        .await;
    assert_eq!(r.status(), 422);

    // The invited person chooses a password and can sign in with the role.
    let token = invitation_token(&app, "balie@mos.be")
        .await
        .expect("an invitation mail");
    assert!(
        app.login("balie@mos.be", "wat-dan-ook-123").await.is_err(),
        "no password yet"
    );
    let r = app
        .post_json(
            "",
            &format!("/api/v1/invitations/{token}/accept"),
            &json!({ "password": "mijn-eerste-wachtwoord" }),
        )
        .await;
    assert_eq!(r.status(), 204);
    let cookie = app
        .login("balie@mos.be", "mijn-eerste-wachtwoord")
        .await
        .unwrap();
    let me: leenpunt_shared::Me = app
        .get_as(&cookie, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me.grants[0].role, leenpunt_shared::Role::Ambassador);
    assert!(me.grants[0].partner.as_ref().unwrap().name.contains("MOS"));
    // The link works once.
    let r = app
        .post_json(
            "",
            &format!("/api/v1/invitations/{token}/accept"),
            &json!({ "password": "nog-een-wachtwoord" }),
        )
        .await;
    assert_eq!(r.status(), 422);

    // An existing account gains the role and gets a notice instead of a new account.
    let r = app
        .post_json(
            &admin,
            "/api/v1/invitations",
            &invite(TEACHER, "trainer", Some("mos")),
        )
        .await;
    assert_eq!(r.status(), 202);
    let notices: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE to_addr = $1 AND subject LIKE 'Je hebt een nieuwe rol%'",
    )
    .bind(TEACHER)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(notices, 1);
    let me: leenpunt_shared::Me = app
        .get_as(&teacher, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert!(me
        .grants
        .iter()
        .any(|g| g.role == leenpunt_shared::Role::Trainer));
}
