//! The OpenAPI document tells the truth. Every operation in `/api/openapi.json` is called for
//! real (as the right role, with demo data), and also anonymously and with malformed input;
//! each answer's status must be documented for that operation, its content type must match,
//! and its body must validate against the documented schema. Request bodies the server
//! accepts must validate against the documented request schema too. The coded enums in the
//! document are what serde sends, and no 4xx under `/api/` is ever plain text.
//! The clock starts on Friday 27 November 2026.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::{KitKind, Lang, Level, ReservationStatus, Role, Sort, Theme, UnitStatus};
use leenpunt_tests::openapi::{Body, Checker};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::{json, Value};

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const DESK: &str = "ambassadeur@demo.leenpunt.be";
const TRAINER: &str = "trainer@demo.leenpunt.be";
const PARTNER_ADMIN: &str = "partnerbeheer@demo.leenpunt.be";
const ADMIN: &str = "beheerder@demo.leenpunt.be";
/// A second teacher, at GO! Basisschool De Zeemeeuw, without any training.
const OTHER_TEACHER: &str = "juf@zeemeeuw.be";
const BEE_BOT: &str = "bee-bot-set-klein";
/// One unit, at Kortrijk (open Monday, Wednesday, Friday), needs approval.
const CAMERA: &str = "koffer-warmtecamera-energieverlies";

async fn login(app: &TestApp, email: &str) -> String {
    app.login(email, DEMO_PASSWORD)
        .await
        .unwrap_or_else(|s| panic!("{email} signs in: {s}"))
}

async fn unit_id(app: &TestApp, inventory: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM units WHERE inventory_code = $1")
        .bind(inventory)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// The link token in the newest mail to an address whose subject starts with `subject`.
async fn mailed_token(app: &TestApp, to: &str, subject: &str, marker: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM outbox WHERE to_addr = $1 AND subject LIKE $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(to)
    .bind(format!("{subject}%"))
    .fetch_one(app.state.db.pool())
    .await
    .unwrap_or_else(|e| panic!("a mail to {to} ({subject}): {e}"));
    let start = body.find(marker).expect("a link") + marker.len();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

/// A kit type's current fields, as the export writes them.
async fn kit_fields(app: &TestApp, slug: &str) -> serde_json::Map<String, Value> {
    let rows = app.state.db.export_catalogue().await.unwrap();
    let row = rows.into_iter().find(|r| r[0] == slug).unwrap();
    leenpunt_server::domain::import::CATALOGUE_COLUMNS
        .iter()
        .zip(row)
        .map(|(c, v)| ((*c).to_owned(), Value::String(v)))
        .collect()
}

fn booking(kit: &str, point: &str, pickup: &str, ret: &str) -> Body {
    Body::Json(
        json!({ "kit": kit, "pickup_point": point, "pickup_date": pickup, "return_date": ret, "quantity": 1 }),
    )
}

fn id_of(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("an id in {v}"))
}

#[tokio::test]
async fn every_operation_answers_as_the_document_says() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    app.untrained_teacher(OTHER_TEACHER, "126763", &hash).await;
    let mut c = Checker::new(&app).await;
    c.validator_catches_mismatches();
    let teacher = login(&app, TEACHER).await;
    let desk = login(&app, DESK).await;
    let trainer = login(&app, TRAINER).await;
    let partner_admin = login(&app, PARTNER_ADMIN).await;
    let admin = login(&app, ADMIN).await;
    let other = login(&app, OTHER_TEACHER).await;
    let (t, d, tr, pa, a, o) = (
        Some(teacher.as_str()),
        Some(desk.as_str()),
        Some(trainer.as_str()),
        Some(partner_admin.as_str()),
        Some(admin.as_str()),
        Some(other.as_str()),
    );

    c.probe = Some(teacher.clone());

    // Probes, catalogue, schools.
    c.ok("GET", "/healthz", None, Body::None).await;
    c.ok("GET", "/readyz", None, Body::None).await;
    c.ok(
        "GET",
        "/api/v1/catalogue?q=robot&theme=stem&sort=title",
        None,
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        "/api/v1/catalogue?sort=nergens&page=x",
        None,
        &Body::None,
        &[400, 422],
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/catalogue/{BEE_BOT}"),
        None,
        Body::None,
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/catalogue/{BEE_BOT}/availability?month=2026-12&months=2"),
        None,
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        &format!("/api/v1/catalogue/{BEE_BOT}/availability?months=twee"),
        None,
        &Body::None,
        &[400],
    )
    .await;
    c.expect_refusal(
        "GET",
        &format!("/api/v1/catalogue/{BEE_BOT}/availability?month=december"),
        None,
        &Body::None,
        &[422],
    )
    .await;
    c.ok("GET", "/api/v1/schools", None, Body::None).await;
    c.ok("GET", "/api/v1/trainings", None, Body::None).await;
    c.expect_refusal(
        "GET",
        "/api/v1/trainings?partner=a&partner=b",
        None,
        &Body::None,
        &[400],
    )
    .await;

    // Accounts.
    c.ok("GET", "/api/v1/me", t, Body::None).await;
    c.ok(
        "PUT",
        "/api/v1/me/lang",
        t,
        Body::Json(json!({ "lang": "nl" })),
    )
    .await;
    c.ok(
        "PUT",
        "/api/v1/me/reminders",
        t,
        Body::Json(json!({ "on": true })),
    )
    .await;
    c.ok("GET", "/api/v1/me/personal-data", t, Body::None).await;
    c.ok("GET", "/api/v1/users/1/personal-data", a, Body::None)
        .await;
    c.ok("GET", "/api/v1/audit", a, Body::None).await;
    c.ok(
        "GET",
        "/api/v1/audit?soort=reservatie&van=2026-11-01",
        a,
        Body::None,
    )
    .await;
    c.expect_refusal("GET", "/api/v1/audit?van=gisteren", a, &Body::None, &[422])
        .await;
    c.ok(
        "GET",
        "/api/v1/audit/export.csv?soort=account",
        a,
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        "/api/v1/audit/export.csv?soort=geheim",
        a,
        &Body::None,
        &[422],
    )
    .await;
    c.ok("POST", "/api/v1/school-requests", None, Body::Json(json!({ "name": "Els Jansens", "email": "els@school.be", "school": "Basisschool Het Nieuwe Veld", "municipality": "Roeselare" }))).await;
    c.ok("GET", "/api/v1/mailbox", a, Body::None).await;
    c.ok("POST", "/api/v1/signup", None, Body::Json(json!({ "email": "nieuw@school.be", "name": "Nieuwe Leerkracht", "password": "een-lang-wachtwoord", "school": "012345" }))).await;
    c.ok("POST", "/api/v1/invitations", a, Body::Json(json!({ "email": "balie@stem.be", "name": "Nieuwe collega", "role": "ambassador", "partner": "stem-rtc" }))).await;
    let invitation = mailed_token(
        &app,
        "balie@stem.be",
        "Je bent uitgenodigd",
        "/uitnodiging/",
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/invitations/{invitation}/accept"),
        None,
        Body::Json(json!({ "password": "mijn-eerste-wachtwoord" })),
    )
    .await;

    // Reservations: a Bee-Bot set for the demo teacher, the camera (one unit, approval).
    let bee = c
        .ok(
            "POST",
            "/api/v1/reservations",
            t,
            booking(BEE_BOT, "stem-rtc-brugge", "2026-12-02", "2026-12-09"),
        )
        .await;
    let bee = id_of(&bee);
    c.ok(
        "GET",
        "/api/v1/reservations?scope=mine&at_risk=false",
        t,
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        "/api/v1/reservations?at_risk=misschien",
        t,
        &Body::None,
        &[400],
    )
    .await;
    c.ok("GET", &format!("/api/v1/reservations/{bee}"), t, Body::None)
        .await;
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{bee}/extend"),
        t,
        Body::Json(json!({ "return_date": "2026-12-11" })),
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/reservations/{bee}/ics"),
        t,
        Body::None,
    )
    .await;
    let camera = c
        .ok(
            "POST",
            "/api/v1/reservations",
            t,
            booking(CAMERA, "stem-rtc-kortrijk", "2027-01-11", "2027-01-15"),
        )
        .await;
    let camera = id_of(&camera);
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{camera}/approve"),
        d,
        Body::None,
    )
    .await;
    let later = c
        .ok(
            "POST",
            "/api/v1/reservations",
            t,
            booking(CAMERA, "stem-rtc-kortrijk", "2027-02-01", "2027-02-05"),
        )
        .await;
    let later = id_of(&later);
    // The other school waits for both; withdraws one, and is offered the other.
    let waiting = c
        .ok(
            "POST",
            "/api/v1/waitlist",
            o,
            booking(CAMERA, "stem-rtc-kortrijk", "2027-01-11", "2027-01-15"),
        )
        .await;
    assert!(waiting["id"].is_i64());
    let second = c
        .ok(
            "POST",
            "/api/v1/waitlist",
            o,
            booking(CAMERA, "stem-rtc-kortrijk", "2027-02-01", "2027-02-05"),
        )
        .await;
    // The cart (issue 20): dates, lines, check, send; then a line dropped and the cart emptied.
    let mos_line = |quantity: u32| {
        Body::Json(
            json!({ "kit": "mos-afvalsorteerkoffer", "pickup_point": "mos-brugge", "quantity": quantity }),
        )
    };
    c.ok(
        "PUT",
        "/api/v1/cart",
        t,
        Body::Json(json!({ "pickup_date": "2027-03-08", "return_date": "2027-03-10" })),
    )
    .await;
    let cart = c.ok("POST", "/api/v1/cart/lines", t, mos_line(1)).await;
    let line = cart["lines"][0]["id"].as_i64().expect("a line id");
    c.ok("GET", "/api/v1/cart", t, Body::None).await;
    c.ok("PUT", &format!("/api/v1/cart/lines/{line}"), t, mos_line(2))
        .await;
    c.ok("POST", "/api/v1/cart/check", t, Body::Json(json!({})))
        .await;
    c.ok("POST", "/api/v1/cart/submit", t, Body::Json(json!({})))
        .await;
    let cart = c.ok("POST", "/api/v1/cart/lines", t, mos_line(1)).await;
    let line = cart["lines"][0]["id"].as_i64().expect("a line id");
    c.ok(
        "DELETE",
        &format!("/api/v1/cart/lines/{line}"),
        t,
        Body::None,
    )
    .await;
    c.ok("DELETE", "/api/v1/cart", t, Body::None).await;
    // A request of one line, handed over and taken back as a whole on hand-over day (below).
    c.ok(
        "PUT",
        "/api/v1/cart",
        t,
        Body::Json(json!({ "pickup_date": "2026-12-02", "return_date": "2026-12-04" })),
    )
    .await;
    c.ok(
        "POST",
        "/api/v1/cart/lines",
        t,
        Body::Json(
            json!({ "kit": "proefjeskoffer-elektriciteit", "pickup_point": "stem-rtc-brugge", "quantity": 1 }),
        ),
    )
    .await;
    let sent = c
        .ok("POST", "/api/v1/cart/submit", t, Body::Json(json!({})))
        .await;
    let desk_request = sent["requests"][0]["id"].as_i64().expect("a request id");
    c.ok("GET", "/api/v1/waitlist", o, Body::None).await;
    c.ok(
        "POST",
        &format!("/api/v1/waitlist/{}/withdraw", id_of(&second)),
        o,
        Body::None,
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{later}/reject"),
        d,
        Body::Json(json!({ "reason": "De camera is dan op herstelling." })),
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{camera}/cancel"),
        t,
        Body::Json(json!({ "reason": "Uitstap verplaatst" })),
    )
    .await;
    let mine = c
        .ok("GET", "/api/v1/reservations?scope=mine", o, Body::None)
        .await;
    let offered = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "aangeboden")
        .unwrap_or_else(|| panic!("an offer from the waiting list in {mine}"));
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{}/accept", id_of(offered)),
        o,
        Body::None,
    )
    .await;
    c.ok(
        "POST",
        "/api/v1/units/BB-K-05/status",
        d,
        Body::Json(json!({ "status": "onderhoud" })),
    )
    .await;

    // A borrower cancels without giving a reason (no body at all).
    let spring = c
        .ok(
            "POST",
            "/api/v1/reservations",
            t,
            booking(BEE_BOT, "stem-rtc-brugge", "2027-03-01", "2027-03-05"),
        )
        .await;
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{}/cancel", id_of(&spring)),
        t,
        Body::None,
    )
    .await;
    // Query values of the right type that name nothing: whatever the answer, it is documented.
    for path in [
        "/api/v1/reservations?scope=alles&status=zoek&from=gisteren&to=morgen",
        "/api/v1/reservations?scope=desk&kit=bestaat-niet&pickup=nergens",
        "/api/v1/trainings?partner=bestaat-niet",
        "/api/v1/training-sessions?partner=bestaat-niet&training=geen",
        "/api/v1/qualifications?school=999999&partner=nergens",
        "/api/v1/catalogue?theme=geen&level=geen&kind=geen&page=999",
    ] {
        c.send("GET", path, t, &Body::None).await;
    }
    // Repeats that no longer fit the state: whatever the answer, it is documented.
    c.send(
        "POST",
        &format!("/api/v1/reservations/{camera}/approve"),
        d,
        &Body::None,
    )
    .await;
    c.send(
        "POST",
        &format!("/api/v1/reservations/{later}/cancel"),
        t,
        &Body::None,
    )
    .await;
    c.send(
        "POST",
        &format!("/api/v1/reservations/{}/accept", id_of(offered)),
        o,
        &Body::None,
    )
    .await;
    c.send(
        "POST",
        &format!("/api/v1/waitlist/{}/withdraw", id_of(&second)),
        o,
        &Body::None,
    )
    .await;
    c.send(
        "POST",
        "/api/v1/reservations",
        t,
        &booking(BEE_BOT, "stem-rtc-brugge", "2026-12-02", "2026-12-09"),
    )
    .await;
    c.send(
        "POST",
        "/api/v1/waitlist",
        o,
        &booking(BEE_BOT, "stem-rtc-brugge", "2027-03-01", "2027-03-05"),
    )
    .await;

    // Calendar feeds and closed days.
    c.ok("GET", "/api/v1/feeds", t, Body::None).await;
    let feed = c
        .ok(
            "POST",
            "/api/v1/feeds",
            t,
            Body::Json(json!({ "scope": "user" })),
        )
        .await;
    let feed = c
        .ok(
            "POST",
            &format!("/api/v1/feeds/{}/regenerate", id_of(&feed)),
            t,
            Body::None,
        )
        .await;
    c.ok(
        "DELETE",
        &format!("/api/v1/feeds/{}", id_of(&feed)),
        t,
        Body::None,
    )
    .await;
    // Access tokens: made with a session, listed, revoked by their owner or an admin.
    c.ok("GET", "/api/v1/me/tokens", t, Body::None).await;
    let new_token =
        || Body::Json(json!({ "name": "Sync", "scope": "read", "expires_in_days": 30 }));
    let token = c.ok("POST", "/api/v1/me/tokens", t, new_token()).await;
    c.ok("GET", "/api/v1/tokens", a, Body::None).await;
    c.ok(
        "DELETE",
        &format!("/api/v1/me/tokens/{}", id_of(&token["token"])),
        t,
        Body::None,
    )
    .await;
    let token = c.ok("POST", "/api/v1/me/tokens", t, new_token()).await;
    c.ok(
        "DELETE",
        &format!("/api/v1/tokens/{}", id_of(&token["token"])),
        a,
        Body::None,
    )
    .await;
    c.ok("GET", "/api/v1/closed-days", a, Body::None).await;
    let day = c
        .ok(
            "POST",
            "/api/v1/closed-days",
            a,
            Body::Json(json!({ "first_day": "2027-03-10", "reason": "Studiedag" })),
        )
        .await;
    c.ok(
        "DELETE",
        &format!("/api/v1/closed-days/{}", id_of(&day)),
        a,
        Body::None,
    )
    .await;

    // Trainings, sessions, attendance, qualifications.
    let form = json!({ "partner": "stem-rtc", "title": "Robotica voor gevorderden", "duration_minutes": "120", "validity_months": "24" });
    let training = c
        .ok("POST", "/api/v1/trainings", a, Body::Json(form.clone()))
        .await;
    let slug = training["slug"].as_str().expect("a slug").to_owned();
    let mut renamed = form;
    renamed["title"] = json!("Robotica voor gevorderden (vernieuwd)");
    c.ok(
        "PUT",
        &format!("/api/v1/trainings/{slug}"),
        a,
        Body::Json(renamed),
    )
    .await;
    c.ok(
        "DELETE",
        &format!("/api/v1/trainings/{slug}"),
        a,
        Body::None,
    )
    .await;
    let session = c.ok("POST", "/api/v1/training-sessions", a, Body::Json(json!({ "training": "bee-bot-in-de-klas", "day": "2026-12-15", "start_time": "14:00", "end_time": "16:30", "place": "STEM-uitleendienst Brugge", "capacity": "10", "trainers": [TRAINER] }))).await;
    let session = id_of(&session);
    c.ok(
        "GET",
        "/api/v1/training-sessions?training=bee-bot-in-de-klas&past=false",
        o,
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        "/api/v1/training-sessions?past=misschien",
        o,
        &Body::None,
        &[400],
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/training-sessions/{session}"),
        o,
        Body::None,
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/training-sessions/{session}/registration"),
        o,
        Body::None,
    )
    .await;
    c.ok(
        "DELETE",
        &format!("/api/v1/training-sessions/{session}/registration"),
        o,
        Body::None,
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/training-sessions/{session}/roster"),
        tr,
        Body::None,
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/training-sessions/{session}/cancel"),
        a,
        Body::None,
    )
    .await;
    // The creatool session that started this morning, with the demo teacher on its list.
    let today = c
        .ok(
            "GET",
            "/api/v1/training-sessions?training=creatool-bouwen&past=true",
            tr,
            Body::None,
        )
        .await;
    let today = today
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["day"] == "2026-11-27")
        .unwrap_or_else(|| panic!("today's creatool session in {today}"));
    let today = id_of(today);
    let roster = c
        .ok(
            "GET",
            &format!("/api/v1/training-sessions/{today}/roster"),
            tr,
            Body::None,
        )
        .await;
    let registration = roster[0]["registration"].as_i64().expect("a registration");
    c.ok(
        "PUT",
        &format!("/api/v1/training-sessions/{today}/attendance"),
        tr,
        Body::Json(json!({ "present": [registration] })),
    )
    .await;
    c.ok(
        "PATCH",
        &format!("/api/v1/training-sessions/{today}/attendance"),
        tr,
        Body::Json(json!({ "marks": [{ "registration": registration, "present": true }] })),
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/training-sessions/{today}/walk-ins"),
        tr,
        Body::Json(json!({ "email": OTHER_TEACHER })),
    )
    .await;
    c.ok("GET", "/api/v1/qualifications?school=126763", a, Body::None)
        .await;
    c.expect_refusal(
        "GET",
        "/api/v1/qualifications?all=misschien",
        a,
        &Body::None,
        &[400],
    )
    .await;
    c.ok("POST", "/api/v1/qualifications", a, Body::Json(json!({ "email": OTHER_TEACHER, "training": "microbit-programmeren", "reason": "Opleiding bij Mediawijs" }))).await;
    let granted = c
        .ok("GET", "/api/v1/qualifications?school=126763", a, Body::None)
        .await;
    let granted = granted
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["training_slug"] == "microbit-programmeren")
        .unwrap_or_else(|| panic!("the granted qualification in {granted}"));
    c.ok(
        "POST",
        &format!("/api/v1/qualifications/{}/revoke", id_of(granted)),
        a,
        Body::Json(json!({ "reason": "Vergissing" })),
    )
    .await;

    c.send(
        "POST",
        &format!("/api/v1/training-sessions/{session}/registration"),
        o,
        &Body::None,
    )
    .await;
    c.send(
        "POST",
        &format!("/api/v1/training-sessions/{session}/cancel"),
        a,
        &Body::None,
    )
    .await;
    c.send(
        "POST",
        &format!("/api/v1/qualifications/{}/revoke", id_of(granted)),
        a,
        &Body::Json(json!({ "reason": "Nog eens" })),
    )
    .await;
    c.send("POST", "/api/v1/qualifications", a, &Body::Json(json!({ "email": "niemand@nergens.be", "training": "microbit-programmeren", "reason": "Opleiding bij Mediawijs" }))).await;

    // Managing kit types.
    let mut fields = kit_fields(&app, "mos-afvalsorteerkoffer").await;
    fields.insert("title".into(), json!("Afvalsorteerkoffer (nieuw)"));
    c.ok(
        "PUT",
        "/api/v1/admin/kits/mos-afvalsorteerkoffer",
        pa,
        Body::Json(Value::Object(fields.clone())),
    )
    .await;
    fields.insert("slug".into(), json!("mos-regenmeter"));
    fields.insert("title".into(), json!("Regenmeterset"));
    fields.insert("units".into(), json!("MOS-RM-01"));
    c.ok(
        "POST",
        "/api/v1/admin/kits",
        pa,
        Body::Json(Value::Object(fields)),
    )
    .await;

    // CSV import and export: a text/csv body in, a preview with every problem out.
    c.ok("GET", "/api/v1/exports/catalogue", pa, Body::None)
        .await;
    c.ok("GET", "/api/v1/exports/closed-days", a, Body::None)
        .await;
    c.ok(
        "POST",
        "/api/v1/imports/catalogue",
        pa,
        Body::Raw(Some("text/csv"), "slug,title\nx,y\n"),
    )
    .await;
    let preview = c
        .ok(
            "POST",
            "/api/v1/imports/closed-days",
            a,
            Body::Raw(
                Some("text/csv"),
                "pickup_point,first_day,last_day,reason\n,2027-05-03,,Studiedag\n",
            ),
        )
        .await;
    let token = preview["token"].as_str().expect("token").to_owned();
    c.ok("GET", &format!("/api/v1/imports/{token}"), a, Body::None)
        .await;
    c.ok(
        "POST",
        &format!("/api/v1/imports/{token}/confirm"),
        a,
        Body::None,
    )
    .await;

    // Hand-over day: labels, scanning, hand-over, return.
    app.set_time("2026-12-02T09:00:00Z");
    let desk = login(&app, DESK).await;
    let admin = login(&app, ADMIN).await;
    let teacher = login(&app, TEACHER).await;
    let (d, a, t) = (
        Some(desk.as_str()),
        Some(admin.as_str()),
        Some(teacher.as_str()),
    );
    c.probe = Some(teacher.clone());
    let code = app.label_code("BB-K-01").await;
    c.ok("GET", &format!("/api/v1/scan/{code}"), d, Body::None)
        .await;
    c.ok(
        "POST",
        &format!("/api/v1/reservations/{bee}/handover"),
        d,
        Body::Json(json!({ "code": code })),
    )
    .await;
    c.ok(
        "POST",
        "/api/v1/returns",
        d,
        Body::Json(json!({ "code": code, "damage": "" })),
    )
    .await;
    c.send(
        "POST",
        &format!("/api/v1/reservations/{bee}/handover"),
        d,
        &Body::Json(json!({ "code": code })),
    )
    .await;
    c.send(
        "POST",
        "/api/v1/returns",
        d,
        &Body::Json(json!({ "code": code })),
    )
    .await;
    // The request's hand-over and return.
    let el = app.label_code("EL-01").await;
    let request_path = format!("/api/v1/requests/{desk_request}");
    c.ok("GET", &format!("{request_path}/handover"), d, Body::None)
        .await;
    c.ok(
        "POST",
        &format!("{request_path}/handover"),
        d,
        Body::Json(json!({ "code": el })),
    )
    .await;
    c.ok(
        "POST",
        &format!("{request_path}/returns"),
        d,
        Body::Json(json!({ "code": el })),
    )
    .await;
    let unit = unit_id(&app, "BB-K-01").await;
    c.ok(
        "GET",
        &format!("/api/v1/units/{unit}/history"),
        d,
        Body::None,
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/units/{unit}/qr.svg"),
        d,
        Body::None,
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/units/{unit}/qr.png"),
        d,
        Body::None,
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/units/{}/retag", unit_id(&app, "BB-K-04").await),
        a,
        Body::None,
    )
    .await;
    c.ok("GET", &format!("/api/v1/reservations/{bee}"), t, Body::None)
        .await;

    // People and roles, registers, the desk's day, maintenance and labels (issue 18).
    let fresh_manager = login(&app, PARTNER_ADMIN).await;
    let fresh_desk = login(&app, DESK).await;
    let (pm, d) = (Some(fresh_manager.as_str()), Some(fresh_desk.as_str()));
    c.ok("GET", "/api/v1/users?q=demo", a, Body::None).await;
    c.ok("GET", "/api/v1/users", pm, Body::None).await;
    c.expect_refusal("GET", "/api/v1/users?q=a&q=b", a, &Body::None, &[400])
        .await;
    app.untrained_teacher("api@zeemeeuw.be", "126763", &hash)
        .await;
    let people = c
        .ok("GET", "/api/v1/users?q=api%40zeemeeuw", a, Body::None)
        .await;
    let person = &people.as_array().unwrap()[0];
    let person_id = id_of(person);
    let role_id = person["roles"][0]["id"].as_i64().unwrap();
    let disable = format!("/api/v1/users/{person_id}/disable");
    c.ok("POST", &disable, a, Body::None).await;
    c.ok(
        "POST",
        &format!("/api/v1/users/{person_id}/enable"),
        a,
        Body::None,
    )
    .await;
    let admin_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(ADMIN)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    c.expect_refusal(
        "POST",
        &format!("/api/v1/users/{admin_id}/disable"),
        a,
        &Body::None,
        &[409],
    )
    .await;
    c.expect_refusal("POST", &disable, pm, &Body::None, &[403])
        .await;
    c.expect_refusal(
        "POST",
        "/api/v1/users/999999/disable",
        a,
        &Body::None,
        &[404],
    )
    .await;
    c.ok("DELETE", &format!("/api/v1/roles/{role_id}"), a, Body::None)
        .await;
    c.expect_refusal(
        "DELETE",
        &format!("/api/v1/roles/{role_id}"),
        a,
        &Body::None,
        &[404],
    )
    .await;
    c.ok("GET", "/api/v1/registers/scholen", a, Body::None)
        .await;
    c.ok("GET", "/api/v1/registers/afhaalpunten", pm, Body::None)
        .await;
    c.ok("GET", "/api/v1/registers/scholen/012345", a, Body::None)
        .await;
    c.expect_refusal("GET", "/api/v1/registers/nergens", a, &Body::None, &[404])
        .await;
    let point = |slug: &str, hours: &str| {
        Body::Json(
            json!({ "slug": slug, "partner": "mos", "name": "Afhaalpunt", "street": "Markt 1", "postcode": "8000", "municipality": "Brugge", "opening_hours": hours }),
        )
    };
    c.ok(
        "POST",
        "/api/v1/registers/afhaalpunten",
        pm,
        point("mos-api", "ma 9–12 u."),
    )
    .await;
    c.expect_refusal(
        "POST",
        "/api/v1/registers/afhaalpunten",
        pm,
        &point("mos-api", "di"),
        &[422],
    )
    .await;
    c.ok(
        "PUT",
        "/api/v1/registers/afhaalpunten/mos-api",
        pm,
        point("mos-api", "di 9–12 u."),
    )
    .await;
    c.expect_refusal(
        "PUT",
        "/api/v1/registers/afhaalpunten/stem-rtc-brugge",
        pm,
        &Body::Json(json!({ "slug": "stem-rtc-brugge", "partner": "stem-rtc", "name": "X", "street": "Markt 1", "postcode": "8000", "municipality": "Brugge" })),
        &[403, 422],
    )
    .await;
    c.ok("GET", "/api/v1/desk/today", d, Body::None).await;
    c.ok(
        "GET",
        "/api/v1/desk/agenda?point=stem-rtc-brugge&view=month&date=2026-12-01",
        d,
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        "/api/v1/desk/agenda?view=a&view=b",
        d,
        &Body::None,
        &[400],
    )
    .await;
    let photos = format!("/api/v1/admin/kits/{BEE_BOT}/photos?alt=De%20set");
    c.ok(
        "POST",
        &photos,
        a,
        Body::Raw(Some("image/webp"), "RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 "),
    )
    .await;
    c.expect_refusal(
        "POST",
        &photos,
        a,
        &Body::Raw(Some("image/png"), "geen foto"),
        &[422],
    )
    .await;
    c.ok("GET", "/api/v1/overview", pm, Body::None).await;
    let repaired = unit_id(&app, "BB-K-03").await;
    // BB-K-03 is in maintenance in the demo data.
    c.ok("GET", &format!("/api/v1/units/{repaired}"), d, Body::None)
        .await;
    c.ok(
        "POST",
        &format!("/api/v1/units/{repaired}/back-in-service"),
        d,
        Body::None,
    )
    .await;
    c.ok("GET", "/api/v1/labels", a, Body::None).await;
    c.ok(
        "GET",
        &format!("/api/v1/labels/sheet?kit={BEE_BOT}&layout=large&start=3"),
        a,
        Body::None,
    )
    .await;
    c.ok(
        "GET",
        &format!("/api/v1/labels/sheet?units={repaired}"),
        a,
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        "/api/v1/labels/sheet?layout=reus",
        a,
        &Body::None,
        &[422],
    )
    .await;
    c.expect_refusal(
        "GET",
        "/api/v1/labels/sheet?units=een",
        a,
        &Body::None,
        &[422],
    )
    .await;
    // The sync collection: a page, the next page by its cursor, and the refusals.
    let first = c
        .ok("GET", "/api/v1/sync/reservations?limit=1", a, Body::None)
        .await;
    let cursor = first["next_cursor"]
        .as_str()
        .expect("more than one reservation");
    c.ok(
        "GET",
        &format!(
            "/api/v1/sync/reservations?limit=1&cursor={cursor}&updated_since=2026-01-01T00:00:00Z"
        ),
        d,
        Body::None,
    )
    .await;
    for (query, status) in [
        ("cursor=!!", 400),
        ("updated_since=gisteren", 400),
        ("limit=0", 422),
    ] {
        c.expect_refusal(
            "GET",
            &format!("/api/v1/sync/reservations?{query}"),
            a,
            &Body::None,
            &[status],
        )
        .await;
    }
    c.expect_refusal("GET", "/api/v1/sync/reservations", t, &Body::None, &[403])
        .await;
    let units = c
        .ok("GET", "/api/v1/sync/units?limit=2", d, Body::None)
        .await;
    let cursor = units["next_cursor"].as_str().expect("more than two units");
    c.ok(
        "GET",
        &format!("/api/v1/sync/units?cursor={cursor}"),
        a,
        Body::None,
    )
    .await;
    c.expect_refusal("GET", "/api/v1/sync/units?limit=0", a, &Body::None, &[422])
        .await;
    // Schools: public, as the school list is; anonymous pages by the cursor.
    let schools = c
        .ok("GET", "/api/v1/sync/schools?limit=1", None, Body::None)
        .await;
    let cursor = schools["next_cursor"]
        .as_str()
        .expect("more than one school");
    c.ok(
        "GET",
        &format!("/api/v1/sync/schools?limit=1&cursor={cursor}&updated_since=2026-01-01T00:00:00Z"),
        None,
        Body::None,
    )
    .await;
    c.ok("GET", "/api/v1/sync/schools", t, Body::None).await;
    for (query, status) in [("cursor=!!", 400), ("limit=501", 422)] {
        c.expect_refusal(
            "GET",
            &format!("/api/v1/sync/schools?{query}"),
            None,
            &Body::None,
            &[status],
        )
        .await;
    }
    // People: admins and partner admins; kit types: public, as the catalogue is.
    let people = c
        .ok("GET", "/api/v1/sync/people?limit=2", a, Body::None)
        .await;
    let cursor = people["next_cursor"]
        .as_str()
        .expect("more than two people");
    c.ok(
        "GET",
        &format!("/api/v1/sync/people?limit=2&cursor={cursor}&updated_since=2026-01-01T00:00:00Z"),
        a,
        Body::None,
    )
    .await;
    c.expect_refusal("GET", "/api/v1/sync/people", t, &Body::None, &[403])
        .await;
    c.expect_refusal("GET", "/api/v1/sync/people?limit=0", a, &Body::None, &[422])
        .await;
    let kits = c
        .ok("GET", "/api/v1/sync/kit-types?limit=2", None, Body::None)
        .await;
    let cursor = kits["next_cursor"]
        .as_str()
        .expect("more than two kit types");
    c.ok(
        "GET",
        &format!("/api/v1/sync/kit-types?cursor={cursor}"),
        t,
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        "/api/v1/sync/kit-types?cursor=!!",
        None,
        &Body::None,
        &[400],
    )
    .await;

    // Passwords, and signing in and out (last: these end sessions).
    c.ok(
        "POST",
        "/api/v1/password-reset",
        None,
        Body::Json(json!({ "email": OTHER_TEACHER })),
    )
    .await;
    let reset = mailed_token(
        &app,
        OTHER_TEACHER,
        "Kies een nieuw wachtwoord",
        "/wachtwoord/",
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/password-reset/{reset}"),
        None,
        Body::Json(json!({ "password": "een-nieuw-wachtwoord" })),
    )
    .await;
    c.ok(
        "POST",
        "/api/v1/session",
        None,
        Body::Json(json!({ "email": TRAINER, "password": DEMO_PASSWORD })),
    )
    .await;
    // In cijfers.
    let manager = login(&app, PARTNER_ADMIN).await;
    c.ok(
        "GET",
        "/api/v1/stats?from=2025-09-01&to=2026-08-31",
        Some(&manager),
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        "/api/v1/stats?from=morgen",
        Some(&manager),
        &Body::None,
        &[422],
    )
    .await;
    c.ok(
        "GET",
        "/api/v1/stats/csv?table=kits",
        Some(&manager),
        Body::None,
    )
    .await;
    c.expect_refusal(
        "GET",
        "/api/v1/stats/csv?table=zz",
        Some(&manager),
        &Body::None,
        &[422],
    )
    .await;
    c.ok("GET", "/api/v1/stats/public", None, Body::None).await;
    let throwaway = login(&app, TRAINER).await;
    c.ok("DELETE", "/api/v1/session", Some(&throwaway), Body::None)
        .await;
    let everywhere = login(&app, PARTNER_ADMIN).await;
    c.ok("DELETE", "/api/v1/sessions", Some(&everywhere), Body::None)
        .await;

    // Erasure: a teacher of its own asks, is refused, asks again and is erased.
    let leaving = app
        .untrained_teacher("vertrekt@zeemeeuw.be", "126763", &hash)
        .await;
    let o = Some(leaving.as_str());
    c.ok("POST", "/api/v1/me/erasure-request", o, Body::None)
        .await;
    let requests = c.ok("GET", "/api/v1/erasure-requests", a, Body::None).await;
    let request = requests
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["email"] == "vertrekt@zeemeeuw.be")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    c.expect_refusal(
        "POST",
        "/api/v1/erasure-requests/een/refuse",
        a,
        &Body::Json(json!({ "reason": "x" })),
        &[400],
    )
    .await;
    c.expect_refusal(
        "POST",
        &format!("/api/v1/erasure-requests/{request}/refuse"),
        a,
        &Body::Json(json!({ "reason": " " })),
        &[422],
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/erasure-requests/{request}/refuse"),
        a,
        Body::Json(json!({ "reason": "Er loopt nog een uitlening" })),
    )
    .await;
    c.ok("POST", "/api/v1/me/erasure-request", o, Body::None)
        .await;
    let requests = c.ok("GET", "/api/v1/erasure-requests", a, Body::None).await;
    let request = requests
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["email"] == "vertrekt@zeemeeuw.be")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    c.expect_refusal(
        "POST",
        "/api/v1/erasure-requests/een/confirm",
        a,
        &Body::None,
        &[400],
    )
    .await;
    c.ok(
        "POST",
        &format!("/api/v1/erasure-requests/{request}/confirm"),
        a,
        Body::None,
    )
    .await;

    let mut problems = c.failures.clone();
    problems.extend(c.coverage_gaps());
    assert!(
        problems.is_empty(),
        "the document and the server disagree:\n{}",
        problems.join("\n")
    );
}

/// The enum values in the document, by schema name.
fn schema_enum(doc: &Value, name: &str) -> Vec<String> {
    let schema = &doc["components"]["schemas"][name];
    schema["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("schema {name} with an enum list: {schema}"))
        .iter()
        .map(|v| v.as_str().expect("a string value").to_owned())
        .collect()
}

/// What serde sends for each value.
fn wire<T: serde::Serialize>(values: &[T]) -> Vec<String> {
    values
        .iter()
        .map(|v| {
            serde_json::to_value(v)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn enums_in_the_document_are_the_codes_serde_sends() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let cases: [(&str, Vec<String>); 9] = [
        ("Theme", wire(Theme::ALL)),
        ("Level", wire(Level::ALL)),
        ("KitKind", wire(KitKind::ALL)),
        ("UnitStatus", wire(UnitStatus::ALL)),
        ("ReservationStatus", wire(ReservationStatus::ALL)),
        ("Role", wire(&Role::ALL)),
        ("Lang", wire(&Lang::ALL)),
        ("Sort", wire(&Sort::ALL)),
        (
            "ImportKind",
            wire(&leenpunt_shared::csv_import::ImportKind::ALL),
        ),
    ];
    assert!(wire(KitKind::ALL).contains(&"uitleen".to_owned()));
    for (name, sent) in cases {
        if doc["components"]["schemas"].get(name).is_none() {
            // Not part of the API's contract: nothing to lie about. The coded enums are.
            assert!(
                ![
                    "Theme",
                    "Level",
                    "KitKind",
                    "UnitStatus",
                    "ReservationStatus",
                    "Role"
                ]
                .contains(&name),
                "{name} is missing from the document"
            );
            continue;
        }
        assert_eq!(schema_enum(&doc, name), sent, "{name}");
    }
}

/// A malformed request: method, path, body (content type, text), the expected status.
type Malformed = (
    &'static str,
    String,
    Option<(&'static str, &'static str)>,
    u16,
);

#[tokio::test]
async fn malformed_requests_get_problem_json_never_plain_text() {
    let app = TestApp::spawn().await;
    let teacher = login(&app, TEACHER).await;
    let cases: [Malformed; 9] = [
        (
            "POST",
            "/api/v1/reservations".into(),
            Some(("application/json", "{\"kit\": ")),
            400,
        ),
        (
            "POST",
            "/api/v1/reservations".into(),
            Some(("application/json", "{\"kit\": 5}")),
            422,
        ),
        (
            "POST",
            "/api/v1/reservations".into(),
            Some(("text/plain", "kit=bee-bot")),
            400,
        ),
        (
            "POST",
            "/api/v1/signup".into(),
            Some(("application/json", "nonsense")),
            400,
        ),
        ("GET", "/api/v1/reservations/abc".into(), None, 400),
        ("POST", "/api/v1/reservations/12x/cancel".into(), None, 400),
        ("GET", "/api/v1/training-sessions/%FF".into(), None, 400),
        (
            "GET",
            format!("/api/v1/catalogue/{BEE_BOT}/availability?months=-1"),
            None,
            400,
        ),
        ("GET", "/api/v1/reservations?at_risk=2".into(), None, 400),
    ];
    for (method, path, body, expected) in cases {
        let mut request = app
            .client
            .request(method.parse().unwrap(), app.url(&path))
            .header("cookie", &teacher)
            .header("origin", app.base.clone())
            .header("accept-language", "en");
        if let Some((content_type, text)) = body {
            request = request.header("content-type", content_type).body(text);
        }
        let r = request.send().await.unwrap();
        let status = r.status().as_u16();
        let content_type = r.headers()["content-type"].to_str().unwrap().to_owned();
        let problem: leenpunt_shared::Problem = r.json().await.unwrap_or_else(|e| {
            panic!("{method} {path}: {status} {content_type} is not a problem: {e}")
        });
        assert_eq!(
            (status, content_type.as_str()),
            (expected, "application/problem+json"),
            "{method} {path}"
        );
        assert_eq!(problem.status, expected);
        assert!(
            !problem.errors.is_empty(),
            "{method} {path}: says what is wrong"
        );
        assert!(problem.errors.iter().all(|e| !e.message.is_empty()));
    }
    // A method a route does not have: 405 as a problem, with the methods it does have.
    let r = app
        .client
        .delete(app.url("/api/v1/me"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    assert!(r.headers().contains_key("allow"));
    let problem: leenpunt_shared::Problem = r.json().await.unwrap();
    assert_eq!(
        (problem.status, problem.title.as_str()),
        (405, "This method is not allowed here")
    );
    // The field is named, in the requester's language.
    let r = app
        .client
        .get(app.url(&format!(
            "/api/v1/catalogue/{BEE_BOT}/availability?months=twee"
        )))
        .header("accept-language", "nl")
        .send()
        .await
        .unwrap();
    let problem: leenpunt_shared::Problem = r.json().await.unwrap();
    assert_eq!(problem.errors[0].field, "months");
    assert!(
        problem.errors[0]
            .message
            .starts_with("Deze zoekparameter is ongeldig"),
        "{:?}",
        problem.errors
    );
    assert_eq!(problem.title, "Deze aanvraag kan niet gelezen worden");
    let r = app
        .post_json(&teacher, "/api/v1/reservations", &json!({ "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge", "pickup_date": "2026-12-02", "return_date": "2026-12-09" }))
        .await;
    assert_eq!(r.status(), 422);
    let problem: leenpunt_shared::Problem = r.json().await.unwrap();
    assert_eq!(problem.errors[0].field, "quantity");
}
