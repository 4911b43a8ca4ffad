//! Signing in and out, sessions, throttling, CSRF and the authorization matrix.

use leenpunt_shared::{Me, Problem, Role};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use reqwest::StatusCode;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";

#[tokio::test]
async fn sign_in_see_yourself_sign_out() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/api/v1/session"))
        .json(&serde_json::json!({ "email": " Leerkracht@Demo.Leenpunt.be ", "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(flag), "{flag} in {set_cookie}");
    }
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let me: Me = app
        .get_as(&cookie, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me.email, TEACHER);
    assert_eq!(me.grants[0].role, Role::Teacher);
    assert_eq!(
        me.grants[0].school.as_ref().unwrap().name,
        "Vrije Basisschool Sint-Lodewijk"
    );

    let out = app
        .client
        .delete(app.url("/api/v1/session"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        app.get_as(&cookie, "/api/v1/me").await.status(),
        401,
        "the old session is gone"
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_account_look_the_same() {
    let app = TestApp::spawn().await;
    let attempt = |email: &'static str| {
        let app = &app;
        async move {
            let r = app
                .client
                .post(app.url("/api/v1/session"))
                .json(&serde_json::json!({ "email": email, "password": "niet het wachtwoord" }))
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<Problem>().await.unwrap())
        }
    };
    let (s1, p1) = attempt(TEACHER).await;
    let (s2, p2) = attempt("niemand@nergens.be").await;
    let (s3, p3) = attempt("geen-adres").await;
    assert_eq!(
        (s1, s2, s3),
        (
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED
        )
    );
    assert_eq!(p1, p2);
    assert_eq!(p2, p3);
    assert_eq!(p1.title, "Het e-mailadres of het wachtwoord klopt niet");
}

#[tokio::test]
async fn every_login_gets_a_new_session_and_logout_everywhere_ends_them_all() {
    let app = TestApp::spawn().await;
    let a = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let b = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    assert_ne!(a, b);
    let r = app
        .client
        .delete(app.url("/api/v1/sessions"))
        .header("cookie", &a)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(app.get_as(&a, "/api/v1/me").await.status(), 401);
    assert_eq!(app.get_as(&b, "/api/v1/me").await.status(), 401);
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account() {
    let app = TestApp::spawn().await;
    for _ in 0..10 {
        assert_eq!(
            app.login(TEACHER, "fout wachtwoord").await,
            Err(StatusCode::UNAUTHORIZED)
        );
    }
    // Even the right password is refused now, with a clear reason.
    assert_eq!(
        app.login(TEACHER, DEMO_PASSWORD).await,
        Err(StatusCode::TOO_MANY_REQUESTS)
    );
    // Another account is not affected.
    assert!(app
        .login("trainer@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .is_ok());
}

#[tokio::test]
async fn cross_site_requests_that_change_state_are_refused() {
    let app = TestApp::spawn().await;
    let evil = app
        .client
        .post(app.url("/api/v1/session"))
        .header("origin", "https://evil.example")
        .json(&serde_json::json!({ "email": TEACHER, "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    let own = app
        .client
        .post(app.url("/api/v1/session"))
        .header("origin", app.base.clone())
        .json(&serde_json::json!({ "email": TEACHER, "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 204);
    let form = app
        .client
        .post(app.url("/sessie"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("email", TEACHER), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 403);
}

#[tokio::test]
async fn the_sign_in_form_redirects_with_a_cookie_or_back_with_a_reason() {
    let app = TestApp::spawn().await;
    let ok = app
        .client
        .post(app.url("/sessie"))
        .form(&[
            ("email", TEACHER),
            ("password", DEMO_PASSWORD),
            ("next", "/catalogus?theme=stem"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    assert_eq!(ok.headers()["location"], "/catalogus?theme=stem");
    assert!(ok.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("leenpunt_session="));
    let bad = app
        .client
        .post(app.url("/sessie"))
        .form(&[
            ("email", TEACHER),
            ("password", "fout"),
            ("next", "//evil.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 303);
    assert_eq!(
        bad.headers()["location"],
        "/aanmelden?fout=ongeldig&next=%2F"
    );
}

#[tokio::test]
async fn the_audit_log_is_append_only() {
    let app = TestApp::spawn().await;
    app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let pool = app.state.db.writer();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'login'")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert!(sqlx::query("UPDATE audit_log SET action = 'x'")
        .execute(pool)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM audit_log")
        .execute(pool)
        .await
        .is_err());
}

/// Every endpoint × every kind of person: the status each gets.
#[tokio::test]
async fn authorization_matrix() {
    let app = TestApp::spawn().await;
    let people = [
        ("anonymous", None),
        ("teacher", Some("leerkracht@demo.leenpunt.be")),
        ("ambassador", Some("ambassadeur@demo.leenpunt.be")),
        ("trainer", Some("trainer@demo.leenpunt.be")),
        ("partner admin", Some("partnerbeheer@demo.leenpunt.be")),
        ("admin", Some("beheerder@demo.leenpunt.be")),
    ];
    let slug = app.search("kind=uitleen").await.items[0].slug.clone();
    let kit_path = format!("/api/v1/catalogue/{slug}");
    let availability_path = format!("/api/v1/catalogue/{slug}/availability");
    // A Bee-Bot unit of the STEM-uitleendienst (whose desk and trainer the demo has) and
    // its label; the first demo session is an XR-junior one (no demo trainer there).
    let (unit, code): (i64, String) = sqlx::query_as(
        "SELECT u.id, t.code FROM units u JOIN unit_tags t ON t.unit_id = u.id AND t.retired_at IS NULL \
         WHERE u.inventory_code = 'BB-K-01'",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let scan_path = format!("/api/v1/scan/{code}");
    let history_path = format!("/api/v1/units/{unit}/history");
    let qr_path = format!("/api/v1/units/{unit}/qr.svg");
    let unit_path = format!("/api/v1/units/{unit}");
    let teacher_id: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'leerkracht@demo.leenpunt.be'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let teacher_data = format!("/api/v1/users/{teacher_id}/personal-data");
    // The teacher's booking at MOS (whose partner admin the demo has, not its desk).
    let mos_id: i64 = sqlx::query_scalar(
        "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
           return_date, held_until, status, created_at, updated_at) \
         SELECT k.id, (SELECT pickup_point_id FROM kit_type_pickup_points WHERE kit_type_id = k.id LIMIT 1), \
           (SELECT id FROM schools WHERE instellingsnummer = '012345'), $1, 1, '2026-12-14', '2026-12-18', \
           '2026-12-18', 'bevestigd', '2026-11-27T08:00:00+00:00', '2026-11-27T08:00:00+00:00' \
         FROM kit_types k WHERE k.slug = 'mos-afvalsorteerkoffer' RETURNING id",
    )
    .bind(teacher_id)
    .fetch_one(app.state.db.writer())
    .await
    .unwrap();
    let mos_booking = format!("/api/v1/reservations/{mos_id}");
    // (method, path, expected status per person in the order above)
    let matrix: Vec<(&str, &str, [u16; 6])> = vec![
        ("GET", "/api/v1/catalogue", [200; 6]),
        ("GET", &kit_path, [200; 6]),
        ("GET", "/api/openapi.json", [200; 6]),
        ("GET", "/api/v1/me", [401, 200, 200, 200, 200, 200]),
        ("GET", "/api/v1/audit", [401, 403, 403, 403, 403, 200]),
        ("GET", "/api/v1/mailbox", [401, 403, 403, 403, 403, 200]),
        ("GET", "/api/v1/schools", [200; 6]),
        ("GET", &availability_path, [200; 6]),
        (
            "GET",
            "/api/v1/reservations",
            [401, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/v1/reservations?scope=desk",
            [401, 403, 200, 403, 200, 200],
        ),
        (
            "GET",
            "/api/v1/reservations/999999",
            [401, 404, 404, 404, 404, 404],
        ),
        ("GET", "/api/v1/trainings", [200; 6]),
        ("GET", "/api/v1/training-sessions", [200; 6]),
        (
            "GET",
            "/api/v1/training-sessions?mine=true",
            [401, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/v1/training-sessions/1/roster",
            [401, 403, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/api/v1/qualifications",
            [401, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/v1/qualifications?all=true",
            [401, 403, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/api/v1/qualifications?partner=stem-rtc",
            [401, 403, 403, 200, 403, 200],
        ),
        (
            "GET",
            "/api/v1/qualifications?school=012345",
            [401, 200, 403, 403, 403, 200],
        ),
        ("GET", &scan_path, [401, 403, 200, 403, 403, 200]),
        ("GET", &history_path, [401, 403, 200, 403, 403, 200]),
        ("GET", &qr_path, [401, 403, 200, 403, 403, 200]),
        // Minimal exposure: a person's data (here the teacher's) is for themselves and
        // admins; desk staff see a borrower's name and school on their own desk's
        // reservations only, never another partner's booking or the person's export.
        ("GET", &teacher_data, [401, 200, 404, 404, 404, 200]),
        (
            "GET",
            "/api/v1/me/personal-data",
            [401, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/v1/erasure-requests",
            [401, 403, 403, 403, 403, 200],
        ),
        ("GET", &mos_booking, [401, 200, 404, 404, 200, 200]),
        // The screens' administration actions over the API (issue 18).
        ("GET", "/api/v1/users", [401, 403, 403, 403, 200, 200]),
        (
            "GET",
            "/api/v1/registers/scholen",
            [401, 403, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/api/v1/registers/afhaalpunten",
            [401, 403, 403, 403, 200, 200],
        ),
        ("GET", "/api/v1/desk/today", [401, 403, 200, 403, 200, 200]),
        ("GET", "/api/v1/desk/agenda", [401, 403, 200, 403, 200, 200]),
        ("GET", "/api/v1/overview", [401, 403, 403, 403, 200, 200]),
        ("GET", "/api/v1/labels", [401, 403, 403, 403, 200, 200]),
        ("GET", &unit_path, [401, 403, 200, 403, 403, 200]),
        (
            "GET",
            "/api/v1/sync/reservations",
            [401, 403, 200, 403, 200, 200],
        ),
        ("GET", "/api/v1/sync/units", [401, 403, 200, 403, 200, 200]),
        ("GET", "/api/v1/sync/schools", [200; 6]),
        ("GET", "/api/v1/sync/people", [401, 403, 403, 403, 200, 200]),
        ("GET", "/api/v1/sync/kit-types", [200; 6]),
        (
            "DELETE",
            "/api/v1/roles/999999",
            [401, 404, 404, 404, 404, 404],
        ),
        ("DELETE", "/api/v1/sessions", [401, 204, 204, 204, 204, 204]),
        ("DELETE", "/api/v1/session", [204; 6]),
    ];
    for (i, (who, email)) in people.iter().enumerate() {
        for (method, path, expected) in &matrix {
            // A fresh session per check: some endpoints end it.
            let cookie = match email {
                Some(e) => app.login(e, DEMO_PASSWORD).await.unwrap(),
                None => String::new(),
            };
            let request = match *method {
                "GET" => app.client.get(app.url(path)),
                _ => app.client.delete(app.url(path)),
            };
            let status = request
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            assert_eq!(status, expected[i], "{who}: {method} {path}");
        }
    }
}
