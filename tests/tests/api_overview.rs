//! The managers' home `/beheer`: its counts are live and limited to the partner services
//! the person manages; printing a label sheet clears "labels not yet printed", a new label
//! brings it back; `/balie` links each reservation to its hand-over.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::Reservation;
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const PARTNER_ADMIN: &str = "partnerbeheer@demo.leenpunt.be"; // manages MOS
const ADMIN: &str = "beheerder@demo.leenpunt.be";

/// The count on a tile of `/beheer` (`kind`: awaiting, maintenance, overdue, labels).
fn tile(html: &str, kind: &str) -> u32 {
    let at = html
        .find(&format!("data-kind=\"{kind}\""))
        .unwrap_or_else(|| panic!("no {kind} tile in {html}"));
    let rest = &html[at..];
    let start = rest.find("data-count=\"").unwrap() + "data-count=\"".len();
    let end = rest[start..].find('"').unwrap();
    rest[start..start + end].parse().unwrap()
}

async fn overview(app: &TestApp, cookie: &str) -> String {
    let r = app.get_as(cookie, "/beheer").await;
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

async fn scalar(app: &TestApp, sql: &str) -> u32 {
    let n: i64 = sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    u32::try_from(n).unwrap()
}

async fn execute(app: &TestApp, sql: &str) {
    sqlx::query(sql)
        .execute(app.state.db.writer())
        .await
        .unwrap();
}

const UNITS_OF_MOS: &str = "SELECT count(*) FROM units u JOIN kit_types k ON k.id = u.kit_type_id \
     JOIN partners p ON p.id = k.partner_id WHERE p.slug = 'mos' AND u.status <> 'afgevoerd'";

#[tokio::test]
async fn only_managers_see_the_home_and_each_sees_their_own_services() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/beheer").await.status(), 401);
    let desk = app
        .login("ambassadeur@demo.leenpunt.be", DEMO_PASSWORD)
        .await
        .unwrap();
    assert_eq!(app.get_as(&desk, "/beheer").await.status(), 403);

    let partner = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let mos_units = scalar(&app, UNITS_OF_MOS).await;
    let all_units = scalar(
        &app,
        "SELECT count(*) FROM units WHERE status <> 'afgevoerd'",
    )
    .await;
    assert!(mos_units > 0 && all_units > mos_units);
    // Every label is new on a fresh install.
    let html = overview(&app, &partner).await;
    assert_eq!(tile(&html, "labels"), mos_units);
    let in_maintenance = |partner: &str| {
        format!(
            "SELECT count(*) FROM units u JOIN kit_types k ON k.id = u.kit_type_id \
             JOIN partners p ON p.id = k.partner_id WHERE u.status = 'onderhoud' {partner}"
        )
    };
    let mos_before = scalar(&app, &in_maintenance("AND p.slug = 'mos'")).await;
    let all_before = scalar(&app, &in_maintenance("")).await;
    assert_eq!(tile(&html, "maintenance"), mos_before);
    assert_eq!(tile(&html, "overdue"), 0);
    assert_eq!(tile(&html, "awaiting"), 0);
    assert!(
        html.contains("href=\"/beheer/materiaal\""),
        "the screens are listed"
    );
    assert!(
        !html.contains("href=\"/beheer/audit\""),
        "the audit log is the admin's"
    );
    let html = overview(&app, &admin).await;
    assert_eq!(tile(&html, "labels"), all_units);
    assert!(html.contains("href=\"/beheer/audit\""));

    // One unit of MOS and one of STEM go into maintenance: the partner admin sees theirs.
    execute(
        &app,
        "UPDATE units SET status = 'onderhoud' WHERE id = (SELECT u.id FROM units u \
         JOIN kit_types k ON k.id = u.kit_type_id JOIN partners p ON p.id = k.partner_id \
         WHERE p.slug = 'mos' AND u.status = 'in-dienst' ORDER BY u.id LIMIT 1)",
    )
    .await;
    execute(
        &app,
        "UPDATE units SET status = 'onderhoud' WHERE inventory_code = 'BB-K-01'",
    )
    .await;
    let html = overview(&app, &partner).await;
    assert_eq!(tile(&html, "maintenance"), mos_before + 1);
    assert!(
        !html.contains(">BB-K-01<"),
        "another service's unit is not listed"
    );
    let html = overview(&app, &admin).await;
    assert_eq!(tile(&html, "maintenance"), all_before + 2);
    assert!(
        html.contains(">BB-K-01</a>"),
        "the unit links to its page: {html}"
    );
}

#[tokio::test]
async fn a_printed_sheet_clears_its_labels_and_a_new_label_needs_printing() {
    let app = TestApp::spawn().await;
    let partner = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    let mos_units = scalar(&app, UNITS_OF_MOS).await;
    let kit: String = sqlx::query_scalar(
        "SELECT k.slug FROM kit_types k JOIN partners p ON p.id = k.partner_id \
         JOIN units u ON u.kit_type_id = k.id WHERE p.slug = 'mos' GROUP BY k.id \
         ORDER BY count(*) DESC LIMIT 1",
    )
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let of_kit = scalar(
        &app,
        &format!("SELECT count(*) FROM units u JOIN kit_types k ON k.id = u.kit_type_id WHERE k.slug = '{kit}'"),
    )
    .await;
    // The labels page marks them and `?nieuw=1` ticks them.
    let labels = app
        .get_as(&partner, "/beheer/labels?nieuw=1")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        labels.matches("class=\"label-unit unprinted\"").count() as u32,
        mos_units
    );
    assert_eq!(labels.matches(" checked").count() as u32, mos_units);

    let sheet = app
        .get_as(&partner, &format!("/beheer/labels/blad?kit={kit}"))
        .await;
    assert_eq!(sheet.status(), 200);
    let html = overview(&app, &partner).await;
    assert_eq!(tile(&html, "labels"), mos_units - of_kit);
    // Printing the same sheet again changes nothing.
    app.get_as(&partner, &format!("/beheer/labels/blad?kit={kit}"))
        .await;
    assert_eq!(
        tile(&overview(&app, &partner).await, "labels"),
        mos_units - of_kit
    );

    // A unit of that kit gets a new label: that one label needs printing again.
    let unit: i64 = sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN kit_types k ON k.id = u.kit_type_id WHERE k.slug = $1 ORDER BY u.id LIMIT 1",
    )
    .bind(&kit)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let r = app
        .post_json(&partner, &format!("/api/v1/units/{unit}/retag"), &json!({}))
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(
        tile(&overview(&app, &partner).await, "labels"),
        mos_units - of_kit + 1
    );
}

#[tokio::test]
async fn requests_and_overdue_loans_are_counted_and_the_desk_list_links_to_the_hand_over() {
    let app = TestApp::spawn().await;
    let teacher = app
        .teacher("juf@school.be", "126763", &hash_password(DEMO_PASSWORD))
        .await;
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge",
                     "pickup_date": "2026-12-02", "return_date": "2026-12-09", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let booked: Reservation = r.json().await.unwrap();
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    // The desk's list offers the hand-over of the confirmed reservation.
    let desk = app.get_as(&admin, "/balie").await.text().await.unwrap();
    assert!(
        desk.contains(&format!("href=\"/balie/uitgifte/{}\"", booked.id)),
        "{desk}"
    );

    // Awaiting approval, then a loan past its return day.
    execute(
        &app,
        &format!(
            "UPDATE reservations SET status = 'aangevraagd' WHERE id = {}",
            booked.id
        ),
    )
    .await;
    assert_eq!(tile(&overview(&app, &admin).await, "awaiting"), 1);
    execute(
        &app,
        &format!(
            "UPDATE reservations SET status = 'afgehaald' WHERE id = {}",
            booked.id
        ),
    )
    .await;
    app.set_time("2026-12-10T09:00:00Z");
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let html = overview(&app, &admin).await;
    assert_eq!(tile(&html, "awaiting"), 0);
    assert_eq!(tile(&html, "overdue"), 1);
    // The partner admin of another service does not count it.
    let partner = app.login(PARTNER_ADMIN, DEMO_PASSWORD).await.unwrap();
    assert_eq!(tile(&overview(&app, &partner).await, "overdue"), 0);
}

#[tokio::test]
async fn the_labels_page_filters_and_a_sheet_can_start_at_a_later_label() {
    let app = TestApp::spawn().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let page = app
        .get_as(&admin, "/beheer/labels?zoek=bb-k-0")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("BB-K-01 ("), "{page}");
    assert!(
        !page.contains("BB-G-01 ("),
        "another kit's units are filtered out"
    );
    // A code typed without its hyphens finds its unit too.
    let code = app.label_code("BB-K-02").await;
    let page = app
        .get_as(
            &admin,
            &format!("/beheer/labels?zoek={}", code.to_lowercase()),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("BB-K-02 ("), "{page}");
    assert!(!page.contains("BB-K-01 ("));

    let unit: i64 = sqlx::query_scalar("SELECT id FROM units WHERE inventory_code = 'BB-K-01'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let sheet = app
        .get_as(
            &admin,
            &format!("/beheer/labels/blad?layout=large&start=3&unit={unit}"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(sheet.matches("class=\"label blank\"").count(), 2);
    assert_eq!(sheet.matches("<article class=\"label\">").count(), 1);
}
