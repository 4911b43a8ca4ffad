//! "In cijfers" over the API: a partner admin sees only their own service's figures (checked
//! against a second service's loans), admins see all, teachers are refused, CSV tables have
//! their header and rows, and the public figures stay right when the data changes.

use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::Value;

const PERIOD: &str = "from=2025-09-01&to=2026-08-31";

/// A loan stored as the hand-over leaves it: `quantity` units of `kit` for `school` from
/// `pickup` to `ret`, with `status`.
async fn loan(
    app: &TestApp,
    kit: &str,
    school: &str,
    quantity: i64,
    pickup: &str,
    ret: &str,
    status: &str,
) {
    sqlx::query(
        "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
           return_date, held_until, status, created_at, updated_at) \
         SELECT k.id, (SELECT pickup_point_id FROM kit_type_pickup_points WHERE kit_type_id = k.id LIMIT 1), \
           (SELECT id FROM schools WHERE instellingsnummer = $1), \
           (SELECT id FROM users WHERE email = 'leerkracht@demo.leenpunt.be'), $2, $3, $4, $5, $6, \
           '2025-09-01T08:00:00+00:00', '2025-09-01T08:00:00+00:00' \
         FROM kit_types k WHERE k.slug = $7",
    )
    .bind(school)
    .bind(quantity)
    .bind(pickup)
    .bind(ret)
    .bind(ret)
    .bind(status)
    .bind(kit)
    .execute(app.state.db.writer())
    .await
    .expect("loan stored");
}

async fn json(app: &TestApp, cookie: &str, path: &str) -> Value {
    let response = app.get_as(cookie, path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.expect("json")
}

fn table<'a>(report: &'a Value, id: &str) -> &'a Vec<Value> {
    report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("table {id}"))["rows"]
        .as_array()
        .unwrap()
}

fn keys(rows: &[Value]) -> Vec<&str> {
    rows.iter().map(|r| r["key"].as_str().unwrap()).collect()
}

async fn seed(app: &TestApp) {
    // MOS: two loans by one Brugge basisschool, 2 × 5 days each = 20 unit-days.
    loan(
        app,
        "mos-afvalsorteerkoffer",
        "012345",
        2,
        "2025-10-06",
        "2025-10-10",
        "teruggebracht",
    )
    .await;
    loan(
        app,
        "mos-afvalsorteerkoffer",
        "012345",
        2,
        "2026-03-02",
        "2026-03-06",
        "afgehaald",
    )
    .await;
    // Not loans: never picked up, or cancelled.
    loan(
        app,
        "mos-afvalsorteerkoffer",
        "126763",
        1,
        "2026-03-02",
        "2026-03-06",
        "niet-afgehaald",
    )
    .await;
    loan(
        app,
        "mos-afvalsorteerkoffer",
        "126763",
        1,
        "2026-03-09",
        "2026-03-13",
        "geannuleerd",
    )
    .await;
    // Another service (STEM): one loan by an Oostende school, 1 × 3 days.
    loan(
        app,
        "bee-bot-set-klein",
        "126763",
        1,
        "2026-01-12",
        "2026-01-14",
        "teruggebracht",
    )
    .await;
    // The school year before, for the comparison.
    loan(
        app,
        "mos-afvalsorteerkoffer",
        "023417",
        1,
        "2025-05-05",
        "2025-05-05",
        "teruggebracht",
    )
    .await;
}

#[tokio::test]
async fn a_partner_admin_sees_only_their_services_figures_and_an_admin_sees_all() {
    let app = TestApp::spawn().await;
    let admin = app
        .login("beheerder@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let before = json(&app, &admin, &format!("/api/v1/stats?{PERIOD}")).await;
    assert_eq!(
        before["totals"]["values"],
        serde_json::json!([0, 0, 0]),
        "the demo has no loans last year"
    );
    seed(&app).await;

    let partner = app
        .login("partnerbeheer@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let own = json(&app, &partner, &format!("/api/v1/stats?{PERIOD}")).await;
    assert_eq!(
        own["partners"],
        serde_json::json!(["MOS – Milieuzorg Op School"])
    );
    assert_eq!(own["from"], "2025-09-01");
    assert_eq!(own["previous_from"], "2024-09-01");
    assert_eq!(own["previous_to"], "2025-08-31");
    assert_eq!(own["totals"]["values"], serde_json::json!([2, 20, 1]));
    assert_eq!(own["totals"]["previous"], serde_json::json!([1, 1, 1]));
    let kits = table(&own, "kits");
    assert_eq!(
        keys(kits),
        ["mos-afvalsorteerkoffer"],
        "no other service's kit types"
    );
    assert_eq!(kits[0]["values"], serde_json::json!([2, 20, 1]));
    assert_eq!(keys(table(&own, "partners")), ["mos"]);
    let groups = table(&own, "groups");
    assert_eq!(keys(groups), ["bao"]);
    assert_eq!(groups[0]["values"], serde_json::json!([2, 20, 1]));
    assert_eq!(groups[0]["previous"], serde_json::json!([1, 1, 1]));
    let towns = table(&own, "municipalities");
    assert_eq!(
        keys(towns),
        ["brugge", "beernem"],
        "Oostende borrowed only from STEM"
    );

    let all = json(&app, &admin, &format!("/api/v1/stats?{PERIOD}")).await;
    assert_eq!(all["partners"], serde_json::json!([]));
    assert_eq!(all["totals"]["values"], serde_json::json!([3, 23, 2]));
    assert_eq!(keys(table(&all, "partners")), ["mos", "stem-rtc"]);
    let weeks = table(&all, "weeks");
    assert_eq!(
        weeks
            .iter()
            .map(|w| w["values"][0].as_i64().unwrap())
            .sum::<i64>(),
        3
    );

    // A custom range compares with the days just before it.
    let march = json(&app, &admin, "/api/v1/stats?from=2026-02-01&to=2026-03-31").await;
    assert_eq!(march["previous_from"], "2025-12-04");
    assert_eq!(march["previous_to"], "2026-01-31");
    assert_eq!(march["totals"]["values"], serde_json::json!([1, 10, 1]));
    assert_eq!(march["totals"]["previous"], serde_json::json!([1, 3, 1]));
}

#[tokio::test]
async fn teachers_are_refused_and_a_bad_period_is_named() {
    let app = TestApp::spawn().await;
    let teacher = app
        .login("leerkracht@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    assert_eq!(app.get_as(&teacher, "/api/v1/stats").await.status(), 403);
    assert_eq!(
        app.get_as(&teacher, "/api/v1/stats/csv?table=kits")
            .await
            .status(),
        403
    );
    let desk = app
        .login("ambassadeur@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    assert_eq!(app.get_as(&desk, "/api/v1/stats").await.status(), 403);
    assert_eq!(app.get("/api/v1/stats").await.status(), 401);
    let page = app.get_as(&teacher, "/beheer/cijfers").await;
    assert_eq!(page.status(), 403);

    let partner = app
        .login("partnerbeheer@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let bad = app
        .get_as(&partner, "/api/v1/stats?from=2026-05-01&to=2026-04-01")
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.headers()["content-type"], "application/problem+json");
    let problem: Value = bad.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "to");
    assert!(problem["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("voor de eerste"));
    let bad = app.get_as(&partner, "/api/v1/stats?from=morgen").await;
    assert_eq!(bad.status(), 422);
    // The page says it too, with the form to fix it.
    let page = app
        .get_as(&partner, "/beheer/cijfers?van=2026-05-01&tot=2026-04-01")
        .await;
    assert_eq!(page.status(), 422);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("De laatste dag valt voor de eerste."),
        "{html}"
    );
    assert!(html.contains("id=\"stats-from\""));
}

#[tokio::test]
async fn every_table_downloads_as_csv_with_its_header_and_rows() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let partner = app
        .login("partnerbeheer@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let response = app
        .get_as(&partner, &format!("/api/v1/stats/csv?table=kits&{PERIOD}"))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"cijfers-kits-2025-09-01-2026-08-31.csv\""
    );
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines,
        [
            "key,label,loans,unit_days,schools,previous_loans,previous_unit_days,previous_schools",
            "mos-afvalsorteerkoffer,Afvalsorteerkoffer 'Wat hoort waar?',2,20,1,1,1,1",
        ]
    );
    for table in [
        "partners",
        "groups",
        "municipalities",
        "utilisation",
        "weeks",
        "demand",
        "quality",
        "trainings",
    ] {
        let response = app
            .get_as(
                &partner,
                &format!("/api/v1/stats/csv?table={table}&{PERIOD}"),
            )
            .await;
        assert_eq!(response.status(), 200, "{table}");
        let body = response.text().await.unwrap();
        assert!(body.starts_with("key,label,"), "{table}: {body}");
        assert!(!body.contains("bee-bot"), "{table} holds only MOS: {body}");
    }
    let groups = app
        .get_as(
            &partner,
            &format!("/api/v1/stats/csv?table=groups&{PERIOD}"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        groups.contains("\nbao,BaO (basisonderwijs),2,20,1,1,1,1\n"),
        "{groups}"
    );
    let unknown = app
        .get_as(&partner, "/api/v1/stats/csv?table=scholen")
        .await;
    assert_eq!(unknown.status(), 422);
}

#[tokio::test]
async fn the_public_figures_name_nobody_and_follow_changes() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    // Today is 27 November 2026: the last school year is 2025–2026.
    let response = app.get("/api/v1/stats/public").await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(
        !body.contains("Sint-Lodewijk") && !body.contains("Brugge"),
        "{body}"
    );
    assert!(!body.contains("leerkracht"), "{body}");
    let figures: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(figures["from"], "2025-09-01");
    assert_eq!(figures["totals"]["values"], serde_json::json!([3, 23, 2]));
    let ids: Vec<&str> = figures["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["partners", "groups"]);

    // A new loan, and a school that changes level: the cached figures follow at once.
    loan(
        &app,
        "bee-bot-set-klein",
        "031884",
        1,
        "2026-06-01",
        "2026-06-01",
        "teruggebracht",
    )
    .await;
    let figures: Value = app.get("/api/v1/stats/public").await.json().await.unwrap();
    assert_eq!(figures["totals"]["values"], serde_json::json!([4, 24, 3]));
    sqlx::query("UPDATE schools SET levels = 'buitengewoon' WHERE instellingsnummer = '031884'")
        .execute(app.state.db.writer())
        .await
        .unwrap();
    let figures: Value = app.get("/api/v1/stats/public").await.json().await.unwrap();
    assert_eq!(keys(table(&figures, "groups")), ["bao", "buo"]);

    let page = app.get("/in-cijfers").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<svg") && html.contains("role=\"img\""),
        "a chart is drawn"
    );
    assert!(!html.contains("Sint-Lodewijk"));
}
