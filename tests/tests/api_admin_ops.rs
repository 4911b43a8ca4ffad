//! The screens' administration actions over the API (issue 18): people and roles, the
//! registers, the desk's day, units and their maintenance tickets, labels. Each goes
//! through the same service as its screen, so the checks here are about behaviour: what
//! the operation changes, who may, and that a refusal writes nothing.
//! The clock starts on Friday 27 November 2026.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::admin::{Overview, RegisterScreen, UserRow};
use leenpunt_shared::handover::{TodayScreen, UnitScreen};
use leenpunt_shared::{Problem, Reservation};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const DESK: &str = "ambassadeur@demo.leenpunt.be";
const TRAINER: &str = "trainer@demo.leenpunt.be";
const PARTNER_ADMIN: &str = "partnerbeheer@demo.leenpunt.be";
const ADMIN: &str = "beheerder@demo.leenpunt.be";

async fn login(app: &TestApp, email: &str) -> String {
    app.login(email, DEMO_PASSWORD)
        .await
        .unwrap_or_else(|s| panic!("{email} signs in: {s}"))
}

/// A personal access token made with a session (write scope).
async fn token(app: &TestApp, cookie: &str) -> String {
    let r = app
        .post_json(
            cookie,
            "/api/v1/me/tokens",
            &json!({ "name": "Integratie", "scope": "write", "expires_in_days": 30 }),
        )
        .await;
    assert_eq!(r.status(), 201, "make a token");
    r.json::<Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A request with a token and nothing else (no cookie, no Origin).
async fn with_token(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
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

async fn user_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn unit_screen(app: &TestApp, cookie: &str, unit: i64) -> UnitScreen {
    let r = app.get_as(cookie, &format!("/api/v1/units/{unit}")).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

#[tokio::test]
async fn disabling_a_person_through_the_api_refuses_their_token_and_session() {
    let app = TestApp::spawn().await;
    let teacher = login(&app, TEACHER).await;
    let teachers_token = token(&app, &teacher).await;
    let admin = login(&app, ADMIN).await;
    let admins_token = token(&app, &admin).await;
    let id = user_id(&app, TEACHER).await;
    let disable = format!("/api/v1/users/{id}/disable");

    // Nobody but an admin, and nothing written when refused.
    let others = [
        login(&app, TEACHER).await,
        login(&app, DESK).await,
        login(&app, PARTNER_ADMIN).await,
    ];
    let changes = "SELECT count(*) FROM audit_log WHERE action IN ('user.disable', 'user.enable')";
    let disabled = "SELECT count(*) FROM users WHERE disabled_at IS NOT NULL";
    let before = (scalar(&app, changes).await, scalar(&app, disabled).await);
    let anonymous = app
        .client
        .post(app.url(&disable))
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    for cookie in &others {
        let r = app.post_json(cookie, &disable, &json!({})).await;
        assert_eq!(r.status(), 403);
    }
    let own = app
        .post_json(
            &admin,
            &format!("/api/v1/users/{}/disable", user_id(&app, ADMIN).await),
            &json!({}),
        )
        .await;
    assert_eq!(own.status(), 409, "never one's own account");
    assert!(!own.json::<Problem>().await.unwrap().title.is_empty());
    assert_eq!(
        (scalar(&app, changes).await, scalar(&app, disabled).await),
        before,
        "refusals write nothing"
    );

    // Disabled with the admin's token: the teacher's token and session stop working.
    let r = with_token(&app, Method::POST, &disable, &admins_token, None).await;
    assert_eq!(r.status(), 204);
    assert!(r.headers().get("set-cookie").is_none());
    let me = with_token(&app, Method::GET, "/api/v1/me", &teachers_token, None).await;
    assert_eq!(me.status(), 401, "the token of a disabled person");
    assert_eq!(app.get_as(&teacher, "/api/v1/me").await.status(), 401);
    assert!(app.login(TEACHER, DEMO_PASSWORD).await.is_err());
    let by_token: Option<i64> = sqlx::query_scalar(
        "SELECT token_id FROM audit_log WHERE action = 'user.disable' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert!(by_token.is_some(), "the change names the admin's token");
    let listed: Vec<UserRow> = app
        .get_as(&admin, "/api/v1/users?q=leerkracht%40demo")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].disabled);

    // Enabled with the admin's session: the same token works again.
    let r = app
        .post_json(&admin, &format!("/api/v1/users/{id}/enable"), &json!({}))
        .await;
    assert_eq!(r.status(), 204);
    let me = with_token(&app, Method::GET, "/api/v1/me", &teachers_token, None).await;
    assert_eq!(me.status(), 200);
    assert!(app.login(TEACHER, DEMO_PASSWORD).await.is_ok());
}

#[tokio::test]
async fn people_are_found_and_roles_taken_away_as_on_the_users_screen() {
    let app = TestApp::spawn().await;
    let admin = login(&app, ADMIN).await;
    let teacher = login(&app, TEACHER).await;
    assert_eq!(app.get_as(&teacher, "/api/v1/users").await.status(), 403);
    assert_eq!(app.get("/api/v1/users").await.status(), 401);
    let everyone: Vec<UserRow> = app
        .get_as(&admin, "/api/v1/users")
        .await
        .json()
        .await
        .unwrap();
    let found: Vec<UserRow> = app
        .get_as(&admin, "/api/v1/users?q=trainer%40demo")
        .await
        .json()
        .await
        .unwrap();
    assert!(everyone.len() > found.len());
    assert_eq!(found.len(), 1);
    let trainer = &found[0];
    assert_eq!(trainer.email, TRAINER);
    let role = trainer
        .roles
        .iter()
        .find(|r| r.role == leenpunt_shared::Role::Trainer)
        .expect("the trainer's role");
    let path = format!("/api/v1/roles/{}", role.id);

    // The partner admin (MOS) may not take away a role at the STEM service.
    let partner_admin = login(&app, PARTNER_ADMIN).await;
    let r = app
        .client
        .delete(app.url(&path))
        .header("cookie", &partner_admin)
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let admins_token = token(&app, &admin).await;
    let r = with_token(&app, Method::DELETE, &path, &admins_token, None).await;
    assert_eq!(r.status(), 204);
    let r = with_token(&app, Method::DELETE, &path, &admins_token, None).await;
    assert_eq!(r.status(), 404, "gone");
    let after: Vec<UserRow> = app
        .get_as(&admin, "/api/v1/users?q=trainer%40demo")
        .await
        .json()
        .await
        .unwrap();
    assert!(after[0]
        .roles
        .iter()
        .all(|r| r.role != leenpunt_shared::Role::Trainer));
    assert_eq!(
        scalar(&app, "SELECT count(*) FROM audit_log WHERE action = 'user.role-removed' AND token_id IS NOT NULL").await,
        1
    );
}

#[tokio::test]
async fn registers_through_the_api_are_the_screens_registers() {
    let app = TestApp::spawn().await;
    let partner_admin = login(&app, PARTNER_ADMIN).await;
    let point = |slug: &str, partner: &str, hours: &str| {
        json!({ "slug": slug, "partner": partner, "name": "Afhaalpunt", "street": "Markt 1",
                "postcode": "8000", "municipality": "Brugge", "opening_hours": hours })
    };
    let r = app
        .post_json(
            &partner_admin,
            "/api/v1/registers/afhaalpunten",
            &point("mos-api", "mos", "ma 9–12 u."),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    assert_eq!(r.json::<Value>().await.unwrap()["key"], "mos-api");
    // A taken key, another partner's service, an empty field: 422 naming the field.
    let taken = app
        .post_json(
            &partner_admin,
            "/api/v1/registers/afhaalpunten",
            &point("mos-api", "mos", ""),
        )
        .await;
    assert_eq!(taken.status(), 422);
    assert_eq!(
        taken.json::<Problem>().await.unwrap().errors[0].field,
        "slug"
    );
    let theirs = app
        .post_json(
            &partner_admin,
            "/api/v1/registers/afhaalpunten",
            &point("stem-api", "stem-rtc", ""),
        )
        .await;
    assert_eq!(theirs.status(), 422);
    assert_eq!(
        theirs.json::<Problem>().await.unwrap().errors[0].field,
        "partner"
    );
    let r = app
        .put_json(
            &partner_admin,
            "/api/v1/registers/afhaalpunten/mos-api",
            &point("anders", "mos", "di 9–12 u."),
        )
        .await;
    assert_eq!(r.status(), 200);
    let hours: String =
        sqlx::query_scalar("SELECT opening_hours FROM pickup_points WHERE slug = 'mos-api'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(hours, "di 9–12 u.", "the key in the path wins");
    let r = app
        .put_json(
            &partner_admin,
            "/api/v1/registers/afhaalpunten/stem-rtc-brugge",
            &point("stem-rtc-brugge", "mos", "nooit"),
        )
        .await;
    assert_eq!(r.status(), 403, "another service's pickup point");
    let listed: RegisterScreen = app
        .get_as(&partner_admin, "/api/v1/registers/afhaalpunten")
        .await
        .json()
        .await
        .unwrap();
    assert!(listed.rows.iter().any(|r| r.key == "mos-api" && r.editable));
    assert!(listed.columns.contains(&"opening_hours".to_owned()));
    // The screen shows the same record.
    let page = app
        .get_as(&partner_admin, "/beheer/register/afhaalpunten")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("mos-api"));
    // Schools are for admins; teachers see no register.
    let teacher = login(&app, TEACHER).await;
    let admin = login(&app, ADMIN).await;
    let school: Value = app
        .get_as(&admin, "/api/v1/registers/scholen/012345")
        .await
        .json()
        .await
        .unwrap();
    let fields: serde_json::Map<String, Value> = school["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["name"].as_str().unwrap().to_owned(), f["value"].clone()))
        .collect();
    let r = app
        .put_json(
            &admin,
            "/api/v1/registers/scholen/012345",
            &Value::Object(fields.clone()),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = app
        .put_json(
            &partner_admin,
            "/api/v1/registers/scholen/012345",
            &Value::Object(fields),
        )
        .await;
    assert_eq!(r.status(), 403, "schools are for admins");
    assert_eq!(
        app.get_as(&teacher, "/api/v1/registers/afhaalpunten")
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get_as(&teacher, "/api/v1/registers/nergens")
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_damaged_return_opens_a_ticket_that_back_in_service_closes() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let borrower = app.teacher("juf@school.be", "126763", &hash).await;
    let r = app
        .post_json(
            &borrower,
            "/api/v1/reservations",
            &json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge", "pickup_date": "2026-12-02",
                     "return_date": "2026-12-09", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let reservation: Reservation = r.json().await.unwrap();
    app.set_time("2026-12-02T09:00:00Z");
    let desk = login(&app, DESK).await;
    let today: TodayScreen = app
        .get_as(&desk, "/api/v1/desk/today")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(today.day, "2026-12-02");
    assert!(today
        .pickups
        .iter()
        .any(|p| p.reservation.id == reservation.id));
    let code = app.label_code("BB-K-01").await;
    let r = app
        .post_json(
            &desk,
            &format!("/api/v1/reservations/{}/handover", reservation.id.0),
            &json!({ "code": code }),
        )
        .await;
    assert_eq!(r.status(), 200);
    app.set_time("2026-12-09T09:00:00Z");
    let desk = login(&app, DESK).await;
    let today: TodayScreen = app
        .get_as(&desk, "/api/v1/desk/today")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        today.returns.iter().any(|r| r.id == reservation.id),
        "due back today"
    );
    let r = app
        .post_json(
            &desk,
            "/api/v1/returns",
            &json!({ "code": code, "damage": "Wiel los" }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let unit = scalar(
        &app,
        "SELECT id FROM units WHERE inventory_code = 'BB-K-01'",
    )
    .await;
    let screen = unit_screen(&app, &desk, unit).await;
    assert_eq!(screen.unit.status, "onderhoud");
    assert_eq!(screen.tickets.len(), 1);
    assert_eq!(screen.tickets[0].note, "Wiel los");
    assert!(screen
        .history
        .iter()
        .any(|l| l.reservation == reservation.id));
    let admin = login(&app, ADMIN).await;
    let overview: Overview = app
        .get_as(&admin, "/api/v1/overview")
        .await
        .json()
        .await
        .unwrap();
    assert!(overview.maintenance.iter().any(|u| u.id.0 == unit));

    // Neither the borrower nor another service's manager may close it.
    let back = format!("/api/v1/units/{unit}/back-in-service");
    let borrower = app.login("juf@school.be", DEMO_PASSWORD).await.unwrap();
    for cookie in [&borrower, &login(&app, PARTNER_ADMIN).await] {
        let r = app.post_json(cookie, &back, &json!({})).await;
        assert!(matches!(r.status().as_u16(), 403 | 404), "{}", r.status());
    }
    assert_eq!(unit_screen(&app, &desk, unit).await.tickets.len(), 1);
    let desks_token = token(&app, &desk).await;
    let r = with_token(&app, Method::POST, &back, &desks_token, None).await;
    assert_eq!(r.status(), 204);
    let screen = unit_screen(&app, &desk, unit).await;
    assert_eq!(screen.unit.status, "in-dienst");
    assert!(screen.tickets.is_empty(), "the ticket is closed");
    let overview: Overview = app
        .get_as(&admin, "/api/v1/overview")
        .await
        .json()
        .await
        .unwrap();
    assert!(overview.maintenance.iter().all(|u| u.id.0 != unit));
}

#[tokio::test]
async fn a_unit_status_change_shows_on_the_unit_and_in_its_history() {
    let app = TestApp::spawn().await;
    let desk = login(&app, DESK).await;
    let unit = scalar(
        &app,
        "SELECT id FROM units WHERE inventory_code = 'BB-K-02'",
    )
    .await;
    let r = app
        .post_json(
            &desk,
            "/api/v1/units/BB-K-02/status",
            &json!({ "status": "onderhoud" }),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(
        unit_screen(&app, &desk, unit).await.unit.status,
        "onderhoud"
    );
    let admin = login(&app, ADMIN).await;
    let page: Value = app
        .get_as(&admin, "/api/v1/audit?object=BB-K-02")
        .await
        .json()
        .await
        .unwrap();
    let entries = page["entries"].as_array().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "unit.status" && e["detail"] == "in-dienst -> onderhoud"),
        "{page}"
    );
    // Another partner's desk staff and teachers do not see the unit.
    let teacher = login(&app, TEACHER).await;
    assert_eq!(
        app.get_as(&teacher, &format!("/api/v1/units/{unit}"))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get(&format!("/api/v1/units/{unit}")).await.status(),
        401
    );
}

#[tokio::test]
async fn label_sheets_and_the_labels_list_through_the_api() {
    let app = TestApp::spawn().await;
    let admin = login(&app, ADMIN).await;
    let labels: Value = app
        .get_as(&admin, "/api/v1/labels")
        .await
        .json()
        .await
        .unwrap();
    assert!(!labels["kits"].as_array().unwrap().is_empty());
    let unit = scalar(
        &app,
        "SELECT id FROM units WHERE inventory_code = 'BB-K-01'",
    )
    .await;
    let code = app.label_code("BB-K-01").await;
    let r = app
        .get_as(
            &admin,
            &format!("/api/v1/labels/sheet?units={unit}&layout=large"),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = r.text().await.unwrap();
    let nonce = html
        .split("<style nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the sheet's style carries a nonce");
    assert!(csp.contains(&format!("'nonce-{nonce}'")), "{csp}");
    assert!(
        html.contains(&code[..3]),
        "the label's code is on the sheet"
    );
    let printed = scalar(
        &app,
        &format!("SELECT count(*) FROM unit_tags WHERE unit_id = {unit} AND retired_at IS NULL AND printed_at IS NOT NULL"),
    )
    .await;
    assert_eq!(printed, 1, "the label counts as printed");
    let r = app.get_as(&admin, "/api/v1/labels/sheet?layout=reus").await;
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Problem>().await.unwrap().errors[0].field, "layout");
    let teacher = login(&app, TEACHER).await;
    assert_eq!(app.get_as(&teacher, "/api/v1/labels").await.status(), 403);
    assert_eq!(
        app.get_as(&teacher, "/api/v1/desk/today").await.status(),
        403
    );
    assert_eq!(app.get_as(&teacher, "/api/v1/overview").await.status(), 403);
}

#[tokio::test]
async fn a_photo_is_uploaded_as_the_request_body_with_the_forms_checks() {
    let app = TestApp::spawn().await;
    // The smallest PNG header the type check accepts, then some bytes.
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    png.extend_from_slice(b"not decoded, stored as sent");
    let path = "/api/v1/admin/kits/mos-afvalsorteerkoffer/photos?alt=De%20koffer%20open";
    let post = |cookie: Option<&str>, token: Option<&str>, body: Vec<u8>| {
        let mut request = app
            .client
            .post(app.url(path))
            .header("content-type", "image/png")
            .body(body);
        if let Some(cookie) = cookie {
            request = request
                .header("cookie", cookie)
                .header("origin", app.base.clone());
        }
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        request.send()
    };
    let photos = "SELECT count(*) FROM kit_photos p JOIN kit_types k ON k.id = p.kit_type_id WHERE k.slug = 'mos-afvalsorteerkoffer'";
    let before = scalar(&app, photos).await;
    assert_eq!(post(None, None, png.clone()).await.unwrap().status(), 401);
    let desk = login(&app, DESK).await;
    assert_eq!(
        post(Some(&desk), None, png.clone()).await.unwrap().status(),
        403,
        "not their catalogue"
    );
    let partner_admin = login(&app, PARTNER_ADMIN).await;
    let r = post(Some(&partner_admin), None, b"GIF89a".to_vec())
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Problem>().await.unwrap().errors[0].field, "photo");
    let r = post(Some(&partner_admin), None, vec![0xff; 3 * 1024 * 1024])
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        422,
        "over 2 MB: the form's message, not a bare 413"
    );
    assert_eq!(scalar(&app, photos).await, before, "refusals add nothing");

    let managers_token = token(&app, &partner_admin).await;
    let r = post(None, Some(&managers_token), png.clone())
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let url = r.json::<Value>().await.unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(url.starts_with("/fotos/") && url.ends_with(".png"), "{url}");
    assert_eq!(app.get(&url).await.bytes().await.unwrap().to_vec(), png);
    let kit: Value = app
        .get("/api/v1/catalogue/mos-afvalsorteerkoffer")
        .await
        .json()
        .await
        .unwrap();
    assert!(kit["photos"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["url"] == url.as_str() && p["alt"] == "De koffer open"));
}

#[tokio::test]
async fn the_desk_agenda_is_the_screens_agenda() {
    let app = TestApp::spawn().await;
    let desk = login(&app, DESK).await;
    let r = app
        .get_as(
            &desk,
            "/api/v1/desk/agenda?point=stem-rtc-brugge&view=month&date=2026-12-15",
        )
        .await;
    assert_eq!(r.status(), 200);
    let agenda: leenpunt_shared::reservations::DeskAgenda = r.json().await.unwrap();
    assert_eq!(
        (agenda.point.as_str(), agenda.view.as_str()),
        ("stem-rtc-brugge", "month")
    );
    assert_eq!(agenda.first, "2026-12-01");
    assert_eq!(agenda.last, "2026-12-31");
    let page = app.get_as(&desk, "/balie/agenda").await;
    assert_eq!(page.status(), 200);
    let teacher = login(&app, TEACHER).await;
    assert_eq!(
        app.get_as(&teacher, "/api/v1/desk/agenda").await.status(),
        403
    );
}
