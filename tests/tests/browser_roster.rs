//! The trainer's roster on a phone (390 px, mobile emulation): before the session starts
//! the attendance controls are disabled; from the start every tick is saved as it is made
//! ("Allen aanwezig" too, with no save button to press), and a tick made without a
//! connection waits on the device, says so, and is saved when the connection returns.
//! The clock starts on Friday 27 November 2026.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::{RosterEntry, TrainingSession};
use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};
use serde_json::json;

const ADMIN: &str = "beheerder@demo.leenpunt.be";
const TRAINER: &str = "trainer@demo.leenpunt.be";

/// A session on Wednesday 2 December at 14:00 with two registered teachers.
async fn session_with_two(app: &TestApp) -> i64 {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(
            &admin,
            "/api/v1/training-sessions",
            &json!({ "training": "bee-bot-in-de-klas", "day": "2026-12-02", "start_time": "14:00",
                     "end_time": "16:30", "place": "Testzaal Brugge", "capacity": "8", "trainers": [TRAINER] }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let session: TrainingSession = r.json().await.unwrap();
    let hash = hash_password(DEMO_PASSWORD);
    for (email, school) in [("een@school.be", "126763"), ("twee@school.be", "023417")] {
        let teacher = app.untrained_teacher(email, school, &hash).await;
        let r = app
            .post_json(
                &teacher,
                &format!("/api/v1/training-sessions/{}/registration", session.id),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }
    session.id
}

/// Signs the trainer in (afresh) and opens the session's page.
async fn open_roster(b: &Browser, app: &TestApp, session: i64) {
    let page = format!("/opleidingen/sessies/{session}");
    b.client.delete_all_cookies().await.unwrap();
    b.client
        .goto(&app.url(&format!("/aanmelden?next={page}")))
        .await
        .unwrap();
    b.sign_in(TRAINER, DEMO_PASSWORD).await;
    b.wait_until("location.pathname.startsWith('/opleidingen/sessies/')")
        .await;
    b.wait_for(".roster-list li").await;
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
}

/// Who is present according to the server (not the page).
async fn attended(app: &TestApp, session: i64) -> Vec<bool> {
    let roster: Vec<RosterEntry> = app
        .get_as(
            &app.login(TRAINER, DEMO_PASSWORD).await.unwrap(),
            &format!("/api/v1/training-sessions/{session}/roster"),
        )
        .await
        .json()
        .await
        .unwrap();
    roster
        .iter()
        .filter(|r| r.status == "ingeschreven")
        .map(|r| r.attended)
        .collect()
}

async fn boxes(b: &Browser) -> serde_json::Value {
    b.js("return [...document.querySelectorAll('.roster-list input[name=present]')].map(e => e.checked)")
        .await
}

#[tokio::test]
async fn a_trainer_on_a_phone_ticks_all_present_and_it_is_saved_at_once() {
    let app = TestApp::spawn().await;
    let session = session_with_two(&app).await;
    let b = Browser::start_phone(390).await;
    open_roster(&b, &app, session).await;
    assert_eq!(b.js("return window.innerWidth").await, 390);
    // Before the start: the controls are disabled, say so to assistive technology, and
    // look it (the disabled grey, not the teal of a live button).
    assert_eq!(
        b.js("return [...document.querySelectorAll('.all-present, .save-attendance')].map(e => e.disabled && e.getAttribute('aria-disabled') === 'true')")
            .await,
        json!([true, true])
    );
    assert_eq!(
        b.js("return getComputedStyle(document.querySelector('.all-present')).backgroundColor")
            .await,
        "rgb(213, 218, 219)"
    );

    // The session has started (a fresh sign-in: the clock moved past the idle limit).
    app.set_time("2026-12-02T13:05:00Z");
    open_roster(&b, &app, session).await;
    assert_eq!(boxes(&b).await, json!([false, false]));
    // Saving is automatic: there is no save button to press.
    assert_eq!(
        b.js("return document.querySelector('.save-attendance').offsetParent === null")
            .await,
        true
    );
    b.wait_for(".all-present").await.click().await.unwrap();
    b.wait_until("document.querySelector('.save-state').dataset.state === 'saved'")
        .await;
    assert_eq!(
        b.js("return document.querySelector('.save-state').textContent")
            .await,
        "Opgeslagen"
    );
    assert!(
        b.js("return location.search").await == "",
        "saved without a form post"
    );
    assert_eq!(attended(&app, session).await, [true, true]);
    b.client.refresh().await.unwrap();
    b.wait_for(".roster-list li").await;
    assert_eq!(boxes(&b).await, json!([true, true]));
    b.close().await;
}

#[tokio::test]
async fn a_tick_made_offline_waits_on_the_phone_and_is_saved_when_the_connection_returns() {
    let app = TestApp::spawn().await;
    let session = session_with_two(&app).await;
    app.set_time("2026-12-02T13:05:00Z");
    let b = Browser::start_phone(390).await;
    open_roster(&b, &app, session).await;
    let offline = |on: bool| json!({ "offline": on, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 });
    b.cdp("Network.enable", json!({})).await;
    b.cdp("Network.emulateNetworkConditions", offline(true))
        .await;
    b.wait_for(".roster-list li:first-child label")
        .await
        .click()
        .await
        .unwrap();
    b.wait_until("document.querySelector('.save-state').dataset.state === 'waiting'")
        .await;
    assert_eq!(
        b.js("return document.querySelector('.save-state').textContent")
            .await,
        "Nog niet opgeslagen — wordt verstuurd zodra er verbinding is"
    );
    assert_eq!(
        b.js("return document.querySelectorAll('.roster-list li.unsaved').length")
            .await,
        1
    );
    assert_eq!(
        attended(&app, session).await,
        [false, false],
        "not saved yet"
    );
    // Kept on the device, not only in the page.
    assert_eq!(
        b.js(&format!(
            "return JSON.parse(localStorage.getItem('leenpunt.roster.{session}'))"
        ))
        .await
        .as_object()
        .map(|o| o.len()),
        Some(1)
    );

    b.cdp("Network.emulateNetworkConditions", offline(false))
        .await;
    b.wait_until("document.querySelector('.save-state').dataset.state === 'saved'")
        .await;
    assert_eq!(attended(&app, session).await, [true, false]);
    assert_eq!(
        b.js(&format!(
            "return localStorage.getItem('leenpunt.roster.{session}')"
        ))
        .await,
        serde_json::Value::Null
    );
    assert_eq!(
        b.js("return document.querySelectorAll('.roster-list li.unsaved').length")
            .await,
        0
    );
    b.close().await;
}
