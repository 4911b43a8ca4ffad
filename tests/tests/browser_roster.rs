//! The trainer's roster on a phone (a 390 px window): before the session starts the
//! attendance controls are disabled; from the start "Allen aanwezig" marks everyone
//! present, and a reload shows it saved. The clock starts on Friday 27 November 2026.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::TrainingSession;
use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};
use serde_json::json;

const ADMIN: &str = "beheerder@demo.leenpunt.be";
const TRAINER: &str = "trainer@demo.leenpunt.be";

#[tokio::test]
async fn a_trainer_on_a_phone_ticks_all_present_and_a_reload_shows_it_saved() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
    let app = TestApp::spawn().await;
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

    let b = Browser::start().await;
    b.client.set_window_size(390, 844).await.unwrap();
    let page = format!("/opleidingen/sessies/{}", session.id);
    b.client
        .goto(&app.url(&format!("/aanmelden?next={page}")))
        .await
        .unwrap();
    b.sign_in(TRAINER, DEMO_PASSWORD).await;
    b.wait_until("location.pathname.startsWith('/opleidingen/sessies/')")
        .await;
    assert_eq!(b.js("return window.innerWidth").await, 390);
    // Before the start: the controls are disabled, and say so to assistive technology.
    b.wait_for(".roster-list li").await;
    assert_eq!(
        b.js("return [...document.querySelectorAll('.all-present, .save-attendance')].map(e => e.disabled && e.getAttribute('aria-disabled') === 'true')")
            .await,
        json!([true, true])
    );

    // The session has started: one tap marks everyone present.
    app.set_time("2026-12-02T13:05:00Z");
    // A fresh sign-in: the clock moved past the session's idle limit.
    b.client.delete_all_cookies().await.unwrap();
    b.client
        .goto(&app.url(&format!("/aanmelden?next={page}")))
        .await
        .unwrap();
    b.sign_in(TRAINER, DEMO_PASSWORD).await;
    b.wait_until("location.pathname.startsWith('/opleidingen/sessies/')")
        .await;
    b.wait_for(".roster-list li").await;
    assert_eq!(
        b.js("return document.querySelectorAll('.roster-list input[name=present]:checked').length")
            .await,
        0
    );
    b.wait_for(".all-present").await.click().await.unwrap();
    b.wait_until("location.search.includes('ok=aanwezigheden')")
        .await;
    b.client.refresh().await.unwrap();
    b.wait_for(".roster-list li").await;
    assert_eq!(
        b.js("return [...document.querySelectorAll('.roster-list input[name=present]')].map(e => e.checked)")
            .await,
        json!([true, true])
    );
    let roster: Vec<leenpunt_shared::RosterEntry> = app
        .get_as(
            &app.login(TRAINER, DEMO_PASSWORD).await.unwrap(),
            &format!("/api/v1/training-sessions/{}/roster", session.id),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(roster.iter().all(|r| r.attended), "{roster:?}");
    b.close().await;
}
