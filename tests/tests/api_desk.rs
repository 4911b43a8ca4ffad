//! The desk a person can trust, over HTTP: the inventory code written on a kit works
//! wherever a label code does, messages name kits and units (never database ids), a
//! replaced label says so, a reservation picked up in part stays on "Vandaag", and a code
//! that leads nowhere answers a browser with a page to type it again. The clock starts on
//! Friday 27 November 2026 and tests move it.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::handover::{HandoverOutcome, ReturnOutcome, ScanResult};
use leenpunt_shared::{Problem, Reservation};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const DESK: &str = "ambassadeur@demo.leenpunt.be";
const ADMIN: &str = "beheerder@demo.leenpunt.be";
const KIT: &str = "Bee-Bot set klein (6 robots)";

async fn unit_id(app: &TestApp, inventory: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM units WHERE inventory_code = $1")
        .bind(inventory)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// A teacher of a school (by instellingsnummer) books `quantity` small Bee-Bot sets from
/// 2 to 9 December.
async fn book(app: &TestApp, email: &str, school: &str, quantity: u32) -> Reservation {
    let teacher = app
        .teacher(email, school, &hash_password(DEMO_PASSWORD))
        .await;
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge",
                     "pickup_date": "2026-12-02", "return_date": "2026-12-09", "quantity": quantity }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

/// The clock moves to the pickup day and desk staff sign in: their cookie.
async fn at_the_desk(app: &TestApp) -> String {
    app.set_time("2026-12-02T09:00:00Z");
    app.login(DESK, DEMO_PASSWORD).await.unwrap()
}

/// One teacher's booking of `quantity` units, at the desk on the pickup day.
async fn booked(app: &TestApp, quantity: u32) -> (Reservation, String) {
    let r = book(app, "juf@school.be", "126763", quantity).await;
    (r, at_the_desk(app).await)
}

async fn hand_over(app: &TestApp, desk: &str, id: i64, code: &str) -> reqwest::Response {
    app.post_json(
        desk,
        &format!("/api/v1/reservations/{id}/handover"),
        &json!({ "code": code }),
    )
    .await
}

/// A problem's detail, asserting its kind.
async fn refusal(r: reqwest::Response, kind: &str) -> String {
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.kind, format!("/problems/{kind}"), "{p:?}");
    p.detail.unwrap_or_default()
}

#[tokio::test]
async fn the_inventory_code_on_a_kit_works_wherever_a_label_code_does() {
    let app = TestApp::spawn().await;
    let (r, desk) = booked(&app, 2).await;
    let id = r.id.0;

    // Lower case with spaces around: matched case-insensitively, trimmed.
    let s: ScanResult = app
        .get_as(&desk, "/api/v1/scan/%20bb-k-01%20")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s.unit.inventory_code, "BB-K-01");
    assert!(!s.replaced);

    let r = hand_over(&app, &desk, id, " bb-k-01 ").await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let o: HandoverOutcome = r.json().await.unwrap();
    assert_eq!((o.unit.as_str(), o.kit_title.as_str()), ("BB-K-01", KIT));
    assert_eq!((o.remaining, o.already), (1, false));
    // The label code of the same unit is the same unit: a repeat scan.
    let o: HandoverOutcome = hand_over(&app, &desk, id, &app.label_code("BB-K-01").await)
        .await
        .json()
        .await
        .unwrap();
    assert!(o.already);

    // The desk's forms take it too: the lookup field opens the unit's page.
    let r = app
        .client
        .post(app.url("/balie/zoek"))
        .header("cookie", &desk)
        .form(&[("code", "BB-K-02")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["location"],
        format!("/balie/exemplaren/{}", unit_id(&app, "BB-K-02").await).as_str()
    );

    // Taking back by inventory code.
    let r = app
        .post_json(&desk, "/api/v1/returns", &json!({ "code": "Bb-K-01" }))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let back: ReturnOutcome = r.json().await.unwrap();
    assert_eq!(
        (back.unit.as_str(), back.kit_title.as_str()),
        ("BB-K-01", KIT)
    );

    // The scan link: desk staff land on the unit, anyone else on the kit's page.
    let r = app.get_as(&desk, "/s/bb-k-02").await;
    assert_eq!(
        r.headers()["location"],
        format!("/balie/exemplaren/{}", unit_id(&app, "BB-K-02").await).as_str()
    );
    assert_eq!(
        app.get("/s/BB-K-02").await.headers()["location"],
        "/catalogus/bee-bot-set-klein"
    );

    // Neither a label nor an inventory code: said so at the field, naming what was typed.
    let r = hand_over(&app, &desk, id, "BB-K-99").await;
    assert_eq!(r.status(), 422);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.errors[0].field, "code");
    let message = &p.errors[0].message;
    assert!(message.contains("BB-K-99"), "{message}");
    assert!(message.contains("inventariscode"), "{message}");
    // Shaped like a label code but no label has it: refused as unknown, naming it.
    let detail = refusal(
        hand_over(&app, &desk, id, "000-000-000").await,
        "unknown-code",
    )
    .await;
    assert!(detail.contains("000-000-000"), "{detail}");
    // A label code with a typo (check symbol) is still answered at the field.
    let mut typo = app.label_code("BB-K-02").await.into_bytes();
    typo[3] = if typo[3] == b'7' { b'8' } else { b'7' };
    let r = hand_over(&app, &desk, id, std::str::from_utf8(&typo).unwrap()).await;
    assert_eq!(r.status(), 422);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.errors[0].field, "code");
}

#[tokio::test]
async fn refusals_and_outcomes_name_kits_and_units_never_ids() {
    let app = TestApp::spawn().await;
    let first = book(&app, "juf@school.be", "126763", 1).await;
    let second = book(&app, "meester@school.be", "023417", 1).await;
    let desk = at_the_desk(&app).await;
    let ids: Vec<String> = [
        first.id.0,
        second.id.0,
        unit_id(&app, "BB-K-01").await,
        unit_id(&app, "BB-K-03").await,
        unit_id(&app, "WC-01").await,
    ]
    .iter()
    .map(|i| format!(" {i} "))
    .collect();
    let no_ids = |d: &str| {
        for id in &ids {
            assert!(!format!(" {d} ").contains(id.as_str()), "an id in: {d}");
        }
    };

    // Another kit's unit: both kits by title, the unit by inventory code.
    let camera = app.label_code("WC-01").await;
    let d = refusal(
        hand_over(&app, &desk, first.id.0, &camera).await,
        "wrong-kit-type",
    )
    .await;
    assert!(
        d.contains("WC-01") && d.contains("Koffer warmtecamera"),
        "{d}"
    );
    assert!(d.contains(KIT), "{d}");
    no_ids(&d);
    // In maintenance.
    let d = refusal(
        hand_over(&app, &desk, first.id.0, "BB-K-03").await,
        "unit-in-maintenance",
    )
    .await;
    assert!(d.contains("BB-K-03") && d.contains(KIT), "{d}");
    no_ids(&d);
    // Still out with someone else: named by who has it.
    assert_eq!(
        hand_over(&app, &desk, first.id.0, "BB-K-01").await.status(),
        200
    );
    let d = refusal(
        hand_over(&app, &desk, second.id.0, "BB-K-01").await,
        "unit-on-another-loan",
    )
    .await;
    assert!(d.contains("BB-K-01") && d.contains(KIT), "{d}");
    assert!(
        d.contains(&first.borrower) && d.contains(&first.school),
        "{d}"
    );
    no_ids(&d);
    // Nothing to take back.
    let d = refusal(
        app.post_json(&desk, "/api/v1/returns", &json!({ "code": "BB-K-02" }))
            .await,
        "unit-not-on-loan",
    )
    .await;
    assert!(d.contains("BB-K-02") && d.contains(KIT), "{d}");
    no_ids(&d);

    // The pages' outcome lines name the kit as well.
    let r = app
        .client
        .post(app.url(&format!("/balie/uitgifte/{}", second.id.0)))
        .header("cookie", &desk)
        .form(&[("code", "BB-K-02")])
        .send()
        .await
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let page = app.get_as(&desk, &location).await.text().await.unwrap();
    assert!(
        page.contains("Meegegeven: BB-K-02 (Bee-Bot set klein"),
        "{location}"
    );
}

#[tokio::test]
async fn a_replaced_label_says_so_when_looked_up() {
    let app = TestApp::spawn().await;
    let (_, desk) = booked(&app, 1).await;
    let old = app.label_code("BB-K-01").await;
    let unit = unit_id(&app, "BB-K-01").await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(&admin, &format!("/api/v1/units/{unit}/retag"), &json!({}))
        .await;
    assert_eq!(r.status(), 200);
    let new = app.label_code("BB-K-01").await;

    // The scanner's lookup reads `replaced`; the API says it.
    let s: ScanResult = app
        .get_as(&desk, &format!("/api/v1/scan/{old}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(s.replaced);
    let s: ScanResult = app
        .get_as(&desk, &format!("/api/v1/scan/{new}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(!s.replaced);

    // The lookup field opens the unit with a red notice naming the unit and its new label.
    let r = app
        .client
        .post(app.url("/balie/zoek"))
        .header("cookie", &desk)
        .form(&[("code", old.as_str())])
        .send()
        .await
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("/balie/exemplaren/{unit}?fout=")),
        "{location}"
    );
    let page = app.get_as(&desk, &location).await.text().await.unwrap();
    let notice = page
        .split("id=\"outcome-error\"")
        .nth(1)
        .expect("a red notice")
        .split("</p>")
        .next()
        .unwrap();
    assert!(
        notice.contains("vervangen") && notice.contains("BB-K-01"),
        "{notice}"
    );
    let printed = format!("{}-{}-{}", &new[..3], &new[3..6], &new[6..]);
    assert!(notice.contains(&printed), "{notice}");
    assert!(!page.contains("id=\"outcome\""), "no green line");
    // A look-up by the new label or the inventory code shows no such notice.
    let r = app
        .client
        .post(app.url("/balie/zoek"))
        .header("cookie", &desk)
        .form(&[("code", new.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["location"],
        format!("/balie/exemplaren/{unit}").as_str()
    );
}

#[tokio::test]
async fn a_reservation_picked_up_in_part_stays_on_today_and_the_next_unit_offers_it() {
    let app = TestApp::spawn().await;
    let (r, desk) = booked(&app, 2).await;
    assert_eq!(
        hand_over(&app, &desk, r.id.0, "BB-K-01").await.status(),
        200
    );

    let page = app
        .get_as(&desk, "/balie/vandaag")
        .await
        .text()
        .await
        .unwrap();
    let pickups = page
        .split("desk-list pickups")
        .nth(1)
        .expect("the pickups list")
        .split("</ul>")
        .next()
        .unwrap();
    assert!(
        pickups.contains(&format!("data-id=\"{}\"", r.id.0)),
        "{pickups}"
    );
    assert!(pickups.contains("1 van 2 meegegeven"), "{pickups}");

    // The next unit's page offers the hand-over.
    let next = unit_id(&app, "BB-K-02").await;
    let page = app
        .get_as(&desk, &format!("/balie/exemplaren/{next}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("action=\"/balie/uitgifte/{}\"", r.id.0)),
        "no hand-over offered"
    );
    assert!(page.contains("1 van 2 meegegeven"));

    // Once both are out it leaves the list to hand over.
    assert_eq!(
        hand_over(&app, &desk, r.id.0, "BB-K-02").await.status(),
        200
    );
    let page = app
        .get_as(&desk, "/balie/vandaag")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains(&format!("data-id=\"{}\"", r.id.0)),
        "still listed"
    );
}

#[tokio::test]
async fn an_unknown_code_at_the_scan_link_answers_a_browser_with_a_page_to_type_it_again() {
    let app = TestApp::spawn().await;
    let browser = |path: &str| {
        app.client
            .get(app.url(path))
            .header("accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
            .send()
    };
    for path in ["/s/K7Q-M4X-Z2X", "/s/K7Q-M4X-Z2X/"] {
        let r = browser(path).await.unwrap();
        assert!(r.status().is_redirection(), "{path}: {}", r.status());
        let location = r.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(location, "/code?onbekend=K7Q-M4X-Z2X");
        let page = browser(&location).await.unwrap();
        assert_eq!(page.status(), 404);
        assert!(page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let html = page.text().await.unwrap();
        assert!(html.contains("Onbekende code"), "{html}");
        assert!(html.contains("\u{201c}K7Q-M4X-Z2X\u{201d}"), "{html}");
        assert!(html.contains("action=\"/s\""), "{html}");
        assert!(html.contains("name=\"code\""), "{html}");
    }
    // The field leads where the label would.
    let r = browser("/s?code=bb-k-01").await.unwrap();
    assert_eq!(r.headers()["location"], "/catalogus/bee-bot-set-klein");
    // A known code with a trailing slash works like without.
    let code = app.label_code("BB-K-01").await;
    let r = browser(&format!("/s/{code}/")).await.unwrap();
    assert_eq!(r.headers()["location"], "/catalogus/bee-bot-set-klein");

    // API clients keep problem+json.
    let r = app.get("/s/K7Q-M4X-Z2X").await;
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r = app
        .client
        .get(app.url("/s/onzin/"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
