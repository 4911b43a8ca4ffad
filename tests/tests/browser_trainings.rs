//! Trainings in a real browser: the whole loop (an unqualified teacher is refused, registers
//! in one click, the trainer ticks attendance on the roster, the teacher reserves), and a
//! conditional reservation released after a missed session. The clock starts on Friday
//! 27 November 2026 and the tests move it.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::TrainingSession;
use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};
use serde_json::json;

const ADMIN: &str = "beheerder@demo.leenpunt.be";
const TRAINER: &str = "trainer@demo.leenpunt.be";
const TEACHER: &str = "nieuw@school.be";

fn require_site() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
}

async fn sign_in(b: &Browser, app: &TestApp, email: &str, next: &str) {
    // A fresh sign-in (the clock may have moved past the last session's idle limit).
    b.client.delete_all_cookies().await.unwrap();
    b.client
        .goto(&app.url(&format!("/aanmelden?next={next}")))
        .await
        .unwrap();
    b.sign_in(email, DEMO_PASSWORD).await;
    b.wait_for(".account-name").await;
}

/// Plans a Bee-Bot session through the API as the admin.
async fn plan(app: &TestApp, day: &str) -> TrainingSession {
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(
            &admin,
            "/api/v1/training-sessions",
            &json!({ "training": "bee-bot-in-de-klas", "day": day, "start_time": "14:00", "end_time": "16:30",
                     "place": "Testzaal Brugge", "capacity": "8", "trainers": [TRAINER] }),
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

/// On the Bee-Bot page, picks 14–18 December and sends the booking form.
async fn try_to_reserve(b: &Browser, app: &TestApp) {
    b.client
        .goto(&app.url("/catalogus/bee-bot-set-klein"))
        .await
        .unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    b.js("const f = document.querySelector('#reserve-pickup'); f.value = '2026-12-14'; f.dispatchEvent(new Event('change', {bubbles: true}));\
          const g = document.querySelector('#reserve-return'); g.value = '2026-12-18'; g.dispatchEvent(new Event('change', {bubbles: true})); return null;")
        .await;
    b.wait_for(".reserve-submit").await.click().await.unwrap();
}

#[tokio::test]
async fn refused_registers_in_one_click_trainer_ticks_attendance_then_reserves() {
    require_site();
    let app = TestApp::spawn().await;
    app.untrained_teacher(TEACHER, "126763", &hash_password(DEMO_PASSWORD))
        .await;
    let session = plan(&app, "2026-12-02").await;
    let b = Browser::start().await;
    sign_in(&b, &app, TEACHER, "/").await;

    // Refused: the panel names the training and offers its sessions.
    try_to_reserve(&b, &app).await;
    let missing = b
        .wait_for(".reserve-problem li[data-training='bee-bot-in-de-klas']")
        .await;
    assert!(missing.text().await.unwrap().contains("Bee-Bot in de klas"));
    let text = b.wait_for(".reserve-problem").await.text().await.unwrap();
    assert!(text.contains("opleiding"), "{text}");
    // One click registers for the session planned for 2 December.
    b.wait_for(&format!(
        ".reserve-problem button.register-session[data-session='{}']",
        session.id
    ))
    .await
    .click()
    .await
    .unwrap();
    let notice = b.wait_for(".session-registered:not(:empty)").await;
    assert!(notice
        .text()
        .await
        .unwrap()
        .contains("Je bent ingeschreven voor Bee-Bot in de klas"));
    // It shows on "my trainings".
    b.client.goto(&app.url("/mijn-opleidingen")).await.unwrap();
    b.wait_for(&format!(
        "li.session-card[data-session='{}'] .my-status[data-status=registered]",
        session.id
    ))
    .await;

    // The session day: the trainer opens the roster on the session's page and ticks.
    app.set_time("2026-12-02T13:30:00Z");
    sign_in(
        &b,
        &app,
        TRAINER,
        &format!("/opleidingen/sessies/{}", session.id),
    )
    .await;
    b.wait_until("location.pathname.startsWith('/opleidingen/sessies/')")
        .await;
    let row = b.wait_for(".roster-list li").await;
    assert!(row.text().await.unwrap().contains("Leerkracht 126763"));
    b.wait_for(".roster-list input[name=present]")
        .await
        .click()
        .await
        .unwrap();
    // Saved as it is ticked (the roster script; no save button to press).
    b.wait_until("document.querySelector('.save-state').dataset.state === 'saved'")
        .await;
    b.client.refresh().await.unwrap();
    assert_eq!(
        b.js("return document.querySelector('.roster-list input[name=present]').checked")
            .await,
        true
    );

    // The teacher is qualified now and reserves.
    sign_in(&b, &app, TEACHER, "/mijn-opleidingen").await;
    let q = b
        .wait_for("table.qualifications tr[data-state=geldig]")
        .await;
    assert!(q.text().await.unwrap().contains("Bee-Bot in de klas"));
    try_to_reserve(&b, &app).await;
    b.wait_until("location.pathname === '/mijn-reservaties'")
        .await;
    let card = b.wait_for("li.reservation[data-status=bevestigd]").await;
    let text = card.text().await.unwrap();
    assert!(text.contains("Bee-Bot set klein"), "{text}");
    assert!(!text.contains("Voorwaardelijk"), "{text}");
    b.close().await;
}

#[tokio::test]
async fn a_conditional_reservation_is_released_after_a_missed_session() {
    require_site();
    let app = TestApp::spawn().await;
    app.untrained_teacher(TEACHER, "126763", &hash_password(DEMO_PASSWORD))
        .await;
    let session = plan(&app, "2026-12-03").await;
    let b = Browser::start().await;
    sign_in(&b, &app, TEACHER, "/opleidingen").await;
    // Register from the sessions page.
    b.wait_for(&format!(
        "li.session-card[data-session='{}'] button.register",
        session.id
    ))
    .await
    .click()
    .await
    .unwrap();
    b.wait_until("location.search.includes('ok=ingeschreven')")
        .await;
    // Reserve: held on the condition of the session.
    try_to_reserve(&b, &app).await;
    b.wait_until("location.pathname === '/mijn-reservaties'")
        .await;
    let card = b.wait_for("li.reservation p.conditional").await;
    let text = card.text().await.unwrap();
    assert!(
        text.contains("Bee-Bot in de klas (3 december 2026)"),
        "{text}"
    );

    // The session passes without attendance; a day later the job releases the units.
    app.set_time("2026-12-04T16:00:00Z");
    let settled = leenpunt_server::service::trainings::settle_past_sessions(
        &app.state.db,
        app.clock.as_ref(),
        &app.base,
    )
    .await
    .unwrap();
    assert_eq!(settled, 1);
    sign_in(&b, &app, TEACHER, "/mijn-reservaties").await;
    let card = b.wait_for("li.reservation[data-status=geannuleerd]").await;
    let text = card.text().await.unwrap();
    assert!(text.contains("De opleiding werd niet gevolgd"), "{text}");
    b.close().await;
}

#[tokio::test]
async fn an_admin_calls_a_session_off_from_its_page() {
    require_site();
    let app = TestApp::spawn().await;
    let session = plan(&app, "2026-12-09").await;
    let b = Browser::start().await;
    sign_in(
        &b,
        &app,
        ADMIN,
        &format!("/opleidingen/sessies/{}", session.id),
    )
    .await;
    b.wait_until("location.pathname.startsWith('/opleidingen/sessies/')")
        .await;
    b.wait_for(".call-off").await.click().await.unwrap();
    b.wait_until("location.search.includes('ok=afgelast')")
        .await;
    let warning = b.wait_for("p.warning").await.text().await.unwrap();
    assert!(warning.contains("gaat niet door"), "{warning}");
    assert_eq!(
        b.js("return document.querySelectorAll('.call-off').length")
            .await,
        0
    );
    b.close().await;
}
