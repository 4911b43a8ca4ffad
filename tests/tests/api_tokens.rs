//! Personal access tokens: made with a session, used as `Authorization: Bearer`, acting as
//! their owner (same rules, no CSRF, no cookies), refused with problem+json and nothing
//! written when expired, revoked, read-only on a write, of a disabled person or malformed,
//! and named in the audit log.

use leenpunt_shared::tokens::{AccessToken, CreatedToken};
use leenpunt_shared::{Me, Problem};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use reqwest::Method;
use serde_json::json;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const DESK: &str = "ambassadeur@demo.leenpunt.be";
const ADMIN: &str = "beheerder@demo.leenpunt.be";

async fn make(app: &TestApp, cookie: &str, name: &str, scope: &str, days: u32) -> CreatedToken {
    let r = app
        .post_json(
            cookie,
            "/api/v1/me/tokens",
            &json!({ "name": name, "scope": scope, "expires_in_days": days }),
        )
        .await;
    assert_eq!(r.status(), 201, "make a token");
    r.json().await.unwrap()
}

/// A request with a token and nothing else (no cookie, no Origin).
async fn with_token(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> reqwest::Response {
    let mut request = app
        .client
        .request(method, app.url(path))
        .header("authorization", format!("Bearer {token}"));
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// Everything a refused request might have written.
async fn written(app: &TestApp) -> (i64, i64, i64, i64, bool) {
    let reminders_off: i64 = sqlx::query_scalar("SELECT reminders_off FROM users WHERE email = $1")
        .bind(TEACHER)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let reminders_off = reminders_off != 0;
    (
        count(app, "audit_log").await,
        count(app, "reservations").await,
        count(app, "sessions").await,
        count(app, "access_tokens").await,
        reminders_off,
    )
}

async fn assert_problem(response: reqwest::Response, status: u16, kind: &str) -> Problem {
    assert_eq!(response.status(), status, "{kind}");
    assert!(
        response.headers().get("set-cookie").is_none(),
        "a token request never gets a cookie"
    );
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json",
        "{kind}"
    );
    let problem: Problem = response.json().await.unwrap();
    assert_eq!(problem.kind, kind);
    assert!(
        problem.detail.as_ref().is_some_and(|d| !d.is_empty()),
        "{kind} says why"
    );
    problem
}

fn booking() -> serde_json::Value {
    json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge",
            "pickup_date": "2027-03-01", "return_date": "2027-03-05", "quantity": 1 })
}

#[tokio::test]
async fn make_list_and_revoke_a_token_whose_secret_is_not_stored() {
    let app = TestApp::spawn().await;
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let made = make(&app, &cookie, "  Sync schoolbestuur ", "write", 30).await;
    assert!(made.secret.starts_with("lp_") && made.secret.len() == 46);
    assert_eq!(made.token.name, "Sync schoolbestuur", "trimmed");
    assert!(made.token.active && made.token.last_used_at.is_none());
    assert_eq!(&made.token.expires_at[..10], "2026-12-27", "30 days");
    let default = app
        .post_json(
            &cookie,
            "/api/v1/me/tokens",
            &json!({ "name": "Standaard", "scope": "read" }),
        )
        .await
        .json::<CreatedToken>()
        .await
        .unwrap();
    assert_eq!(
        &default.token.expires_at[..10],
        "2027-02-25",
        "90 days by default"
    );

    // The secret is nowhere in the table; its SHA-256 is.
    let rows: Vec<(i64, i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT id, user_id, name, hash, scope, created_at, expires_at FROM access_tokens",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    let secret_part = &made.secret[3..];
    for row in &rows {
        let text = format!("{row:?}");
        assert!(!text.contains(secret_part), "the secret is stored: {text}");
    }
    let hash = leenpunt_server::service::accounts::token_hash(&made.secret);
    assert!(rows.iter().any(|r| r.3 == hash), "its hash is stored");

    let list: Vec<AccessToken> = app
        .get_as(&cookie, "/api/v1/me/tokens")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    let listed = app
        .get_as(&cookie, "/api/v1/me/tokens")
        .await
        .text()
        .await
        .unwrap();
    assert!(!listed.contains(secret_part), "lists never show the secret");

    let r = app
        .client
        .delete(app.url(&format!("/api/v1/me/tokens/{}", made.token.id)))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let list: Vec<AccessToken> = app
        .get_as(&cookie, "/api/v1/me/tokens")
        .await
        .json()
        .await
        .unwrap();
    let revoked = list.iter().find(|t| t.id == made.token.id).unwrap();
    assert!(!revoked.active && revoked.revoked_at.is_some());

    // Someone else's token is "not found" for a teacher, like a missing one.
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/me/tokens/{}", default.token.id)))
        .header("cookie", &desk)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn bad_requests_for_a_token_are_refused_at_their_fields_and_write_nothing() {
    let app = TestApp::spawn().await;
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let before = written(&app).await;
    for (body, field) in [
        (json!({ "name": "  ", "scope": "read" }), "name"),
        (json!({ "name": "x".repeat(81), "scope": "read" }), "name"),
        (
            json!({ "name": "Sync", "scope": "read", "expires_in_days": 366 }),
            "expires_in_days",
        ),
        (
            json!({ "name": "Sync", "scope": "read", "expires_in_days": 0 }),
            "expires_in_days",
        ),
        (json!({ "name": "Sync", "scope": "admin" }), "scope"),
    ] {
        let r = app.post_json(&cookie, "/api/v1/me/tokens", &body).await;
        assert_eq!(r.status(), 422, "{body}");
        let p: Problem = r.json().await.unwrap();
        assert_eq!(p.errors[0].field, field, "{body}");
    }
    assert_eq!(written(&app).await, before);
    let r = app
        .client
        .post(app.url("/api/v1/me/tokens"))
        .json(&json!({ "name": "Sync", "scope": "read" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "making a token needs a session");
}

#[tokio::test]
async fn a_token_acts_as_its_owner_without_csrf_or_cookies() {
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let token = make(&app, &teacher, "Sync", "write", 90).await;
    let sessions = count(&app, "sessions").await;

    let r = with_token(&app, Method::GET, "/api/v1/me", &token.secret, None).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("set-cookie").is_none());
    let me: Me = r.json().await.unwrap();
    assert_eq!(me.email, TEACHER);
    // The owner's rules: a teacher is no desk and no admin.
    for (path, status) in [
        ("/api/v1/reservations", 200),
        ("/api/v1/reservations?scope=desk", 403),
        ("/api/v1/audit", 403),
        ("/api/v1/tokens", 403),
    ] {
        let r = with_token(&app, Method::GET, path, &token.secret, None).await;
        assert_eq!(r.status(), status, "{path}");
    }

    // A write, sent from "another site" and without Origin alike: CSRF guards cookies, and
    // a token request has none.
    let r = app
        .client
        .put(app.url("/api/v1/me/reminders"))
        .header("authorization", format!("Bearer {}", token.secret))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .json(&json!({ "on": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert!(r.headers().get("set-cookie").is_none());
    assert!(written(&app).await.4, "reminders are off now");

    // A booking made with the token is the teacher's, and the audit log names the token.
    let r = with_token(
        &app,
        Method::POST,
        "/api/v1/reservations",
        &token.secret,
        Some(booking()),
    )
    .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    assert!(r.headers().get("set-cookie").is_none());
    // Ending every session with a token ends the sessions, and still sets no cookie.
    let r = with_token(
        &app,
        Method::DELETE,
        "/api/v1/sessions",
        &token.secret,
        None,
    )
    .await;
    assert_eq!(r.status(), 204);
    assert!(
        r.headers().get("set-cookie").is_none(),
        "no cookie, not even a clearing one"
    );
    assert!(count(&app, "sessions").await < sessions);

    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let audit: serde_json::Value = app
        .get_as(&admin, "/api/v1/audit")
        .await
        .json()
        .await
        .unwrap();
    let entries = audit["entries"].as_array().unwrap();
    for action in ["reservation.create", "logout-everywhere"] {
        let entry = entries
            .iter()
            .find(|e| e["action"] == action)
            .unwrap_or_else(|| panic!("{action} in {audit}"));
        assert_eq!(entry["via_token"], "Sync", "{action}");
        assert_eq!(entry["actor_email"], TEACHER, "{action}");
    }
    let made = entries
        .iter()
        .find(|e| e["action"] == "token.create")
        .unwrap();
    assert!(made["via_token"].is_null(), "made with a session");

    // Its last use is noted (at most once a minute). (The token ended every session.)
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let list: Vec<AccessToken> = app
        .get_as(&teacher, "/api/v1/me/tokens")
        .await
        .json()
        .await
        .unwrap();
    assert!(list[0].last_used_at.is_some());
}

#[tokio::test]
async fn refused_tokens_answer_problems_and_write_nothing() {
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let read = make(&app, &teacher, "Alleen lezen", "read", 90).await;
    let revoked = make(&app, &teacher, "Ingetrokken", "write", 90).await;
    let short = make(&app, &teacher, "Kort", "write", 1).await;
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/me/tokens/{}", revoked.token.id)))
        .header("cookie", &teacher)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let own_token = format!("/api/v1/me/tokens/{}", read.token.id);
    let writes = || {
        vec![
            (
                Method::PUT,
                "/api/v1/me/reminders",
                Some(json!({ "on": false })),
            ),
            (Method::POST, "/api/v1/reservations", Some(booking())),
            (Method::DELETE, "/api/v1/sessions", None),
            (Method::DELETE, own_token.as_str(), None),
        ]
    };
    let before = written(&app).await;

    // A read-only token reads, and may not write.
    let r = with_token(&app, Method::GET, "/api/v1/me", &read.secret, None).await;
    assert_eq!(r.status(), 200);
    for (method, path, body) in writes() {
        let r = with_token(&app, method.clone(), path, &read.secret, body).await;
        assert_problem(r, 403, "/problems/token-read-only").await;
    }
    assert_eq!(written(&app).await, before, "read-only: nothing written");

    // Revoked, malformed and unknown tokens: 401 on reads and writes.
    let unknown = format!("lp_{}", "A".repeat(43));
    let mut bad: Vec<String> = vec![
        revoked.secret.clone(),
        unknown,
        "lp_kort".into(),
        read.secret[3..].to_owned(),
    ];
    bad.push(format!("{}x", read.secret));
    for secret in &bad {
        let r = with_token(&app, Method::GET, "/api/v1/me", secret, None).await;
        let p = assert_problem(r, 401, "/problems/invalid-token").await;
        assert!(!p.title.is_empty());
        for (method, path, body) in writes() {
            let r = with_token(&app, method, path, secret, body).await;
            assert_problem(r, 401, "/problems/invalid-token").await;
        }
    }
    for header in ["Basic dXNlcjpwdw==", "Bearer", "lp_"] {
        let r = app
            .client
            .get(app.url("/api/v1/me"))
            .header("authorization", header)
            .header("cookie", &teacher)
            .send()
            .await
            .unwrap();
        assert!(
            r.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .starts_with("Bearer"),
            "{header}"
        );
        assert_problem(r, 401, "/problems/invalid-token").await;
    }
    assert_eq!(written(&app).await, before, "bad tokens: nothing written");

    // Expired: the clock moves past the one-day token's end.
    app.set_time("2026-11-28T09:00:01Z");
    let r = with_token(&app, Method::GET, "/api/v1/me", &short.secret, None).await;
    let p = assert_problem(r, 401, "/problems/invalid-token").await;
    assert!(p.detail.unwrap().contains("verlopen"), "says it expired");
    for (method, path, body) in writes() {
        let r = with_token(&app, method, path, &short.secret, body).await;
        assert_problem(r, 401, "/problems/invalid-token").await;
    }
    assert_eq!(written(&app).await, before, "expired: nothing written");

    // A disabled person's tokens stop working.
    let write = make(
        &app,
        &app.login(TEACHER, DEMO_PASSWORD).await.unwrap(),
        "Schrijven",
        "write",
        90,
    )
    .await;
    let before = written(&app).await;
    sqlx::query("UPDATE users SET disabled_at = '2026-11-28T09:00:00+00:00' WHERE email = $1")
        .bind(TEACHER)
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let r = with_token(&app, Method::GET, "/api/v1/me", &write.secret, None).await;
    assert_problem(r, 401, "/problems/invalid-token").await;
    for (method, path, body) in writes() {
        let r = with_token(&app, method, path, &write.secret, body).await;
        assert_problem(r, 401, "/problems/invalid-token").await;
    }
    assert_eq!(
        written(&app).await,
        before,
        "disabled owner: nothing written"
    );
}

#[tokio::test]
async fn a_token_cannot_sign_in_or_make_tokens() {
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let token = make(&app, &teacher, "Sync", "write", 90).await;
    let before = written(&app).await;
    let r = with_token(
        &app,
        Method::POST,
        "/api/v1/me/tokens",
        &token.secret,
        Some(json!({ "name": "Nog een", "scope": "write", "expires_in_days": 365 })),
    )
    .await;
    assert_problem(r, 403, "/problems/session-required").await;
    let r = with_token(
        &app,
        Method::POST,
        "/api/v1/session",
        &token.secret,
        Some(json!({ "email": TEACHER, "password": DEMO_PASSWORD })),
    )
    .await;
    assert_problem(r, 403, "/problems/session-required").await;
    assert_eq!(written(&app).await, before, "no token and no session made");

    // With a token, the session cookie sent along is ignored: the token decides.
    let desk = app.login(DESK, DEMO_PASSWORD).await.unwrap();
    let me: Me = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", format!("Bearer {}", token.secret))
        .header("cookie", &desk)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me.email, TEACHER);
}

#[tokio::test]
async fn admins_list_and_revoke_anyones_tokens() {
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let token = make(&app, &teacher, "Sync", "read", 90).await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let all: Vec<AccessToken> = app
        .get_as(&admin, "/api/v1/tokens")
        .await
        .json()
        .await
        .unwrap();
    let listed = all.iter().find(|t| t.id == token.token.id).unwrap();
    assert_eq!(listed.owner_email.as_deref(), Some(TEACHER));
    assert_eq!(app.get_as(&teacher, "/api/v1/tokens").await.status(), 403);
    let path = format!("/api/v1/tokens/{}", token.token.id);
    let r = app
        .client
        .delete(app.url(&path))
        .header("cookie", &teacher)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "a teacher revokes only their own");
    let r = app
        .client
        .delete(app.url(&path))
        .header("cookie", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = with_token(&app, Method::GET, "/api/v1/me", &token.secret, None).await;
    assert_problem(r, 401, "/problems/invalid-token").await;
    let r = app
        .client
        .delete(app.url("/api/v1/tokens/999999"))
        .header("cookie", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

/// The authorization matrix's reads, with tokens instead of cookies: the same answers.
#[tokio::test]
async fn the_matrix_with_tokens_answers_as_with_cookies() {
    let app = TestApp::spawn().await;
    let people = [
        ("teacher", "leerkracht@demo.leenpunt.be"),
        ("ambassador", "ambassadeur@demo.leenpunt.be"),
        ("trainer", "trainer@demo.leenpunt.be"),
        ("partner admin", "partnerbeheer@demo.leenpunt.be"),
        ("admin", "beheerder@demo.leenpunt.be"),
    ];
    let paths = [
        "/api/v1/me",
        "/api/v1/audit",
        "/api/v1/mailbox",
        "/api/v1/reservations",
        "/api/v1/reservations?scope=desk",
        "/api/v1/reservations/999999",
        "/api/v1/training-sessions?mine=true",
        "/api/v1/training-sessions/1/roster",
        "/api/v1/qualifications?all=true",
        "/api/v1/qualifications?partner=stem-rtc",
        "/api/v1/qualifications?school=012345",
        "/api/v1/tokens",
        "/api/v1/me/tokens",
        "/api/v1/users",
        "/api/v1/registers/scholen",
        "/api/v1/registers/afhaalpunten",
        "/api/v1/desk/today",
        "/api/v1/desk/agenda",
        "/api/v1/overview",
        "/api/v1/labels",
        "/api/v1/sync/reservations",
        "/api/v1/sync/units",
        "/api/v1/sync/people",
    ];
    for (who, email) in people {
        let cookie = app.login(email, DEMO_PASSWORD).await.unwrap();
        let token = make(&app, &cookie, "Matrix", "read", 90).await;
        for path in paths {
            let by_cookie = app.get_as(&cookie, path).await.status();
            let by_token = with_token(&app, Method::GET, path, &token.secret, None)
                .await
                .status();
            assert_eq!(by_token, by_cookie, "{who}: GET {path}");
        }
    }
}
