//! Trainings over HTTP: the gate at booking, sessions with a waiting list, attendance that
//! qualifies, conditional reservations confirmed or released, grants and revocations, and
//! the last seat under concurrent registrations. The clock starts on Friday 27 November
//! 2026, 09:00 UTC, and tests move it.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_shared::{
    Problem, Qualification, Reservation, ReservationStatus, RosterEntry, TrainingSession,
};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const ADMIN: &str = "beheerder@demo.leenpunt.be";
const TRAINER: &str = "trainer@demo.leenpunt.be";
const BEE_BOT: &str = "bee-bot-set-klein";
const BEE_BOT_TRAINING: &str = "bee-bot-in-de-klas";

fn booking(pickup: &str, ret: &str) -> serde_json::Value {
    json!({ "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge", "pickup_date": pickup, "return_date": ret, "quantity": 1 })
}

async fn mails(app: &TestApp, to: &str, subject_like: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM outbox WHERE to_addr = $1 AND subject LIKE $2")
        .bind(to)
        .bind(subject_like)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// Plans a Bee-Bot session as the admin (local day and times).
async fn plan(app: &TestApp, admin: &str, day: &str, capacity: u32) -> TrainingSession {
    let r = app
        .post_json(
            admin,
            "/api/v1/training-sessions",
            &json!({ "training": BEE_BOT_TRAINING, "day": day, "start_time": "14:00", "end_time": "16:30",
                     "place": "STEM-uitleendienst Brugge", "capacity": capacity.to_string(), "trainers": [TRAINER] }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

#[tokio::test]
async fn the_whole_loop_refused_registers_attends_reserves() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let mut teacher = app
        .untrained_teacher("nieuw@school.be", "126763", &hash)
        .await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let mut trainer = app.login(TRAINER, DEMO_PASSWORD).await.unwrap();

    // Refused: the training is missing; the refusal names it and lists sessions.
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &booking("2026-12-14", "2026-12-18"),
        )
        .await;
    assert_eq!(r.status(), 409);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.kind, "/problems/training-required");
    assert!(
        p.detail.as_deref().unwrap().contains("Bee-Bot in de klas"),
        "{p:?}"
    );
    assert_eq!(p.trainings.len(), 1);
    assert_eq!(p.trainings[0].slug, BEE_BOT_TRAINING);
    assert!(
        !p.trainings[0].sessions.is_empty(),
        "demo sessions are suggested"
    );
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM reservations r JOIN users u ON u.id = r.user_id WHERE u.email = 'nieuw@school.be'")
        .fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(none, 0, "nothing written");

    // A session on Wednesday 2 December; the teacher registers.
    let session = plan(&app, &admin, "2026-12-02", 10).await;
    assert_eq!(
        (session.start_time.as_str(), session.day.as_str()),
        ("14:00", "2026-12-02")
    );
    assert_eq!(
        session.starts_at, "2026-12-02T13:00:00+00:00",
        "CET is UTC+1"
    );
    let r = app
        .post_json(
            &teacher,
            &format!("/api/v1/training-sessions/{}/registration", session.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let s: TrainingSession = r.json().await.unwrap();
    assert_eq!(s.my_status.as_deref(), Some("ingeschreven"));
    assert_eq!(s.registered, 1);
    assert_eq!(
        mails(&app, "nieuw@school.be", "Je bent ingeschreven%").await,
        1
    );
    // Twice is refused.
    let r = app
        .post_json(
            &teacher,
            &format!("/api/v1/training-sessions/{}/registration", session.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.json::<Problem>().await.unwrap().kind,
        "/problems/already-registered"
    );

    // Registered before the pickup day: a conditional reservation holds the unit.
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &booking("2026-12-14", "2026-12-18"),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let reservation: Reservation = r.json().await.unwrap();
    assert_eq!(reservation.status, ReservationStatus::Confirmed);
    assert_eq!(reservation.waiting_for.len(), 1);
    assert_eq!(reservation.waiting_for[0].session, session.id);
    assert_eq!(
        mails(
            &app,
            "nieuw@school.be",
            "Je reservatie is vastgelegd op voorwaarde%"
        )
        .await,
        1
    );

    // Attendance cannot be recorded before the start.
    let roster: Vec<RosterEntry> = app
        .get_as(
            &trainer,
            &format!("/api/v1/training-sessions/{}/roster", session.id),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(roster.len(), 1);
    let present = json!({ "present": [roster[0].registration] });
    let r = app
        .put_json(
            &trainer,
            &format!("/api/v1/training-sessions/{}/attendance", session.id),
            &present,
        )
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.json::<Problem>().await.unwrap().kind,
        "/problems/session-not-started"
    );
    // A teacher may not see the roster.
    let r = app
        .get_as(
            &teacher,
            &format!("/api/v1/training-sessions/{}/roster", session.id),
        )
        .await;
    assert_eq!(r.status(), 403);

    // During the session, the trainer ticks the teacher present.
    app.set_time("2026-12-02T14:00:00Z");
    // Sessions lapse after a day idle: sign in again at the new time.
    teacher = app.login("nieuw@school.be", DEMO_PASSWORD).await.unwrap();
    trainer = app.login(TRAINER, DEMO_PASSWORD).await.unwrap();
    let r = app
        .put_json(
            &trainer,
            &format!("/api/v1/training-sessions/{}/attendance", session.id),
            &present,
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let roster: Vec<RosterEntry> = r.json().await.unwrap();
    assert!(roster[0].attended);
    // Qualified, valid 36 months (to the day before), granted by the trainer.
    let q: Vec<Qualification> = app
        .get_as(&teacher, "/api/v1/qualifications")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].training_slug, BEE_BOT_TRAINING);
    assert_eq!(q[0].granted_on, "2026-12-02");
    assert_eq!(q[0].valid_until.as_deref(), Some("2029-12-01"));
    assert_eq!(q[0].granted_by.as_deref(), Some("Sofie Claeys"));
    assert_eq!(q[0].state, "geldig");
    // The conditional reservation is now plainly confirmed, and the teacher told.
    let r: Reservation = app
        .get_as(
            &teacher,
            &format!("/api/v1/reservations/{}", reservation.id),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r.status, ReservationStatus::Confirmed);
    assert!(r.waiting_for.is_empty());
    assert_eq!(
        mails(&app, "nieuw@school.be", "Je volgde de opleiding%").await,
        1
    );
    // Ticking again changes nothing; the job finds nothing to release.
    let r = app
        .put_json(
            &trainer,
            &format!("/api/v1/training-sessions/{}/attendance", session.id),
            &present,
        )
        .await;
    assert_eq!(r.status(), 200);
    app.set_time("2026-12-04T09:00:00Z");
    teacher = app.login("nieuw@school.be", DEMO_PASSWORD).await.unwrap();
    let settled = leenpunt_server::service::trainings::settle_past_sessions(
        &app.state.db,
        app.clock.as_ref(),
        "http://x",
    )
    .await
    .unwrap();
    assert_eq!(settled, 0);
    let r: Reservation = app
        .get_as(
            &teacher,
            &format!("/api/v1/reservations/{}", reservation.id),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r.status, ReservationStatus::Confirmed);
    // Now qualified: a later booking needs no condition.
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &booking("2027-01-18", "2027-01-22"),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    assert!(r
        .json::<Reservation>()
        .await
        .unwrap()
        .waiting_for
        .is_empty());
}

#[tokio::test]
async fn a_conditional_reservation_is_released_when_the_session_passes_without_attendance() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let teacher = app
        .untrained_teacher("vergeten@school.be", "126763", &hash)
        .await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let session = plan(&app, &admin, "2026-12-03", 10).await;
    app.post_json(
        &teacher,
        &format!("/api/v1/training-sessions/{}/registration", session.id),
        &json!({}),
    )
    .await;
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &booking("2026-12-14", "2026-12-18"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let reservation: Reservation = r.json().await.unwrap();
    assert_eq!(reservation.waiting_for.len(), 1);

    // The session ends at 15:30 UTC; attendance may still come in for 24 hours.
    let settle = || {
        leenpunt_server::service::trainings::settle_past_sessions(
            &app.state.db,
            app.clock.as_ref(),
            "http://x",
        )
    };
    app.set_time("2026-12-04T15:00:00Z");
    assert_eq!(settle().await.unwrap(), 0, "within the grace period");
    app.set_time("2026-12-04T16:00:00Z");
    assert_eq!(settle().await.unwrap(), 1);
    let teacher = app
        .login("vergeten@school.be", DEMO_PASSWORD)
        .await
        .unwrap();
    let r: Reservation = app
        .get_as(
            &teacher,
            &format!("/api/v1/reservations/{}", reservation.id),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r.status, ReservationStatus::Cancelled);
    assert!(r.reason.as_deref().unwrap().contains("opleiding"));
    assert!(r.waiting_for.is_empty());
    assert_eq!(
        mails(
            &app,
            "vergeten@school.be",
            "De opleiding is voorbij zonder je aanwezigheid%"
        )
        .await,
        1
    );
    // Once settled, never again.
    assert_eq!(settle().await.unwrap(), 0);
    // The unit is free again: availability counts all four.
    let months: Vec<leenpunt_shared::MonthAvailability> = app
        .get(&format!(
            "/api/v1/catalogue/{BEE_BOT}/availability?month=2026-12"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(months[0].days[14].free, 4);
}

#[tokio::test]
async fn cancelling_a_seat_moves_the_waiting_list_up_and_releases_what_depended_on_it() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let a = app.untrained_teacher("a@school.be", "126763", &hash).await;
    let b = app.untrained_teacher("b@school.be", "023417", &hash).await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let session = plan(&app, &admin, "2026-12-03", 1).await;
    let path = format!("/api/v1/training-sessions/{}/registration", session.id);
    let s: TrainingSession = app
        .post_json(&a, &path, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s.my_status.as_deref(), Some("ingeschreven"));
    let s: TrainingSession = app
        .post_json(&b, &path, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s.my_status.as_deref(), Some("wachtlijst"));
    assert_eq!((s.registered, s.waiting), (1, 1));
    assert_eq!(mails(&app, "b@school.be", "De sessie is volzet%").await, 1);
    // A waiting seat does not make a booking conditional.
    let r = app
        .post_json(
            &b,
            "/api/v1/reservations",
            &booking("2026-12-14", "2026-12-18"),
        )
        .await;
    assert_eq!(r.status(), 409);
    // A books on the condition, then cancels the seat: B moves up, A's booking is released.
    let r = app
        .post_json(
            &a,
            "/api/v1/reservations",
            &booking("2026-12-14", "2026-12-18"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let held: Reservation = r.json().await.unwrap();
    let r = app
        .client
        .delete(app.url(&path))
        .header("cookie", &a)
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let s: TrainingSession = app
        .get_as(&b, &format!("/api/v1/training-sessions/{}", session.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s.my_status.as_deref(), Some("ingeschreven"));
    assert_eq!((s.registered, s.waiting), (1, 0));
    assert_eq!(
        mails(&app, "b@school.be", "Er kwam een plaats vrij%").await,
        1
    );
    let r: Reservation = app
        .get_as(&a, &format!("/api/v1/reservations/{}", held.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r.status, ReservationStatus::Cancelled);
}

#[tokio::test]
async fn exactly_capacity_registrations_succeed_under_concurrent_sign_ups() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let session = plan(&app, &admin, "2026-12-09", 5).await;
    let mut cookies = Vec::new();
    for i in 0..40 {
        cookies.push(
            app.untrained_teacher(&format!("t{i}@school.be"), "126763", &hash)
                .await,
        );
    }
    let path = format!("/api/v1/training-sessions/{}/registration", session.id);
    let mut set = tokio::task::JoinSet::new();
    for cookie in &cookies {
        let request = app
            .client
            .post(app.url(&path))
            .header("cookie", cookie)
            .header("origin", app.base.clone())
            .json(&json!({}));
        set.spawn(async move {
            let r = request.send().await.expect("request");
            assert_eq!(r.status(), 200);
            r.json::<TrainingSession>()
                .await
                .unwrap()
                .my_status
                .unwrap()
        });
    }
    let results = set.join_all().await;
    let seats = results.iter().filter(|s| *s == "ingeschreven").count();
    let waiting = results.iter().filter(|s| *s == "wachtlijst").count();
    assert_eq!((seats, waiting), (5, 35));
    let s: TrainingSession = app
        .get(&format!("/api/v1/training-sessions/{}", session.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((s.registered, s.waiting), (5, 35));
}

#[tokio::test]
async fn bad_input_gets_clear_messages_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let teacher = app.untrained_teacher("x@school.be", "126763", &hash).await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let sessions_before: i64 = sqlx::query_scalar("SELECT count(*) FROM training_sessions")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    // A session with everything wrong.
    let r = app
        .post_json(&admin, "/api/v1/training-sessions", &json!({ "training": BEE_BOT_TRAINING, "day": "morgen", "start_time": "14:00", "end_time": "13:00", "place": "", "capacity": "0" }))
        .await;
    assert_eq!(r.status(), 422);
    let p: Problem = r.json().await.unwrap();
    let fields: Vec<&str> = p.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["day", "end_time", "place", "capacity"]);
    // In the past.
    let r = app
        .post_json(&admin, "/api/v1/training-sessions", &json!({ "training": BEE_BOT_TRAINING, "day": "2026-11-20", "start_time": "14:00", "end_time": "16:00", "place": "Brugge", "capacity": "10" }))
        .await;
    assert_eq!(r.status(), 422);
    // Teachers do not plan sessions.
    let r = app
        .post_json(&teacher, "/api/v1/training-sessions", &json!({ "training": BEE_BOT_TRAINING, "day": "2026-12-20", "start_time": "14:00", "end_time": "16:00", "place": "Brugge", "capacity": "10" }))
        .await;
    assert_eq!(r.status(), 403);
    let sessions_after: i64 = sqlx::query_scalar("SELECT count(*) FROM training_sessions")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(sessions_before, sessions_after);
    // A negative validity.
    let r = app
        .post_json(&admin, "/api/v1/trainings", &json!({ "partner": "stem-rtc", "title": "Nieuwe opleiding", "duration_minutes": "120", "validity_months": "-6" }))
        .await;
    assert_eq!(r.status(), 422);
    let p: Problem = r.json().await.unwrap();
    assert_eq!(p.errors[0].field, "validity_months");
    // A training a kit type requires cannot be deleted.
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/trainings/{BEE_BOT_TRAINING}")))
        .header("cookie", &admin)
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.json::<Problem>().await.unwrap().kind,
        "/problems/training-in-use"
    );
    // A new, unused one can be created and deleted.
    let r = app
        .post_json(&admin, "/api/v1/trainings", &json!({ "partner": "stem-rtc", "title": "Robotica voor gevorderden", "duration_minutes": "120", "validity_months": "" }))
        .await;
    assert_eq!(r.status(), 201);
    let r = app
        .client
        .delete(app.url("/api/v1/trainings/robotica-voor-gevorderden"))
        .header("cookie", &admin)
        .header("origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    // Registration after the window closed (demo session this morning: closed yesterday).
    let today: i64 =
        sqlx::query_scalar("SELECT id FROM training_sessions WHERE starts_at LIKE '2026-11-27%'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let r = app
        .post_json(
            &teacher,
            &format!("/api/v1/training-sessions/{today}/registration"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.json::<Problem>().await.unwrap().kind,
        "/problems/registration-closed"
    );
}

#[tokio::test]
async fn admins_grant_and_revoke_by_hand_with_a_reason_audited() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let teacher = app
        .untrained_teacher("elders@school.be", "126763", &hash)
        .await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let trainer = app.login(TRAINER, DEMO_PASSWORD).await.unwrap();
    // Without a reason: refused.
    let r = app
        .post_json(
            &admin,
            "/api/v1/qualifications",
            &json!({ "email": "elders@school.be", "training": BEE_BOT_TRAINING, "reason": "" }),
        )
        .await;
    assert_eq!(r.status(), 422);
    // Trainers do not grant by hand.
    let r = app.post_json(&trainer, "/api/v1/qualifications", &json!({ "email": "elders@school.be", "training": BEE_BOT_TRAINING, "reason": "Opleiding bij Mediawijs" })).await;
    assert_eq!(r.status(), 403);
    let r = app.post_json(&admin, "/api/v1/qualifications", &json!({ "email": "elders@school.be", "training": BEE_BOT_TRAINING, "granted_on": "2026-10-01", "reason": "Opleiding bij Mediawijs" })).await;
    assert_eq!(r.status(), 201);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &booking("2026-12-14", "2026-12-18"),
        )
        .await;
    assert_eq!(r.status(), 201, "qualified by hand");
    // Revoked: the next booking is refused again.
    let r = app
        .post_json(
            &admin,
            &format!("/api/v1/qualifications/{id}/revoke"),
            &json!({ "reason": "" }),
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_json(
            &admin,
            &format!("/api/v1/qualifications/{id}/revoke"),
            &json!({ "reason": "Verkeerde leerkracht" }),
        )
        .await;
    assert_eq!(r.status(), 204);
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &booking("2027-01-18", "2027-01-22"),
        )
        .await;
    assert_eq!(r.status(), 409);
    let q: Vec<Qualification> = app
        .get_as(&teacher, "/api/v1/qualifications")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(q[0].state, "ingetrokken");
    assert_eq!(q[0].revoke_reason.as_deref(), Some("Verkeerde leerkracht"));
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action IN ('qualification.grant', 'qualification.revoke')")
        .fetch_one(app.state.db.pool()).await.unwrap();
    assert_eq!(audited, 2);
    // Colleagues see each other's qualifications; another school's teacher does not.
    let colleague = app
        .untrained_teacher("collega@school.be", "126763", &hash)
        .await;
    let r = app
        .get_as(&colleague, "/api/v1/qualifications?school=126763")
        .await;
    assert_eq!(r.status(), 200);
    let q: Vec<Qualification> = r.json().await.unwrap();
    assert!(q.iter().any(|q| q.user_name.contains("126763")));
    let other = app
        .untrained_teacher("ander@school.be", "023417", &hash)
        .await;
    assert_eq!(
        app.get_as(&other, "/api/v1/qualifications?school=126763")
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn calling_a_session_off_tells_its_people_and_releases_what_waited_for_it() {
    let app = TestApp::spawn().await;
    let hash = hash_password(DEMO_PASSWORD);
    let teacher = app
        .untrained_teacher("afgelast@school.be", "126763", &hash)
        .await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let session = plan(&app, &admin, "2026-12-03", 10).await;
    let path = format!("/api/v1/training-sessions/{}", session.id);
    app.post_json(&teacher, &format!("{path}/registration"), &json!({}))
        .await;
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &booking("2026-12-14", "2026-12-18"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let held: Reservation = r.json().await.unwrap();
    // Teachers and trainers do not call sessions off.
    let trainer = app.login(TRAINER, DEMO_PASSWORD).await.unwrap();
    assert_eq!(
        app.post_json(&trainer, &format!("{path}/cancel"), &json!({}))
            .await
            .status(),
        403
    );
    let r = app
        .post_json(&admin, &format!("{path}/cancel"), &json!({}))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert!(r.json::<TrainingSession>().await.unwrap().cancelled);
    assert_eq!(
        mails(&app, "afgelast@school.be", "Deze sessie gaat niet door%").await,
        1
    );
    let r: Reservation = app
        .get_as(&teacher, &format!("/api/v1/reservations/{}", held.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r.status, ReservationStatus::Cancelled, "released at once");
    // Twice, or registering for it now: refused.
    let r = app
        .post_json(&admin, &format!("{path}/cancel"), &json!({}))
        .await;
    assert_eq!(r.status(), 409);
    let other = app
        .untrained_teacher("later@school.be", "023417", &hash)
        .await;
    let r = app
        .post_json(&other, &format!("{path}/registration"), &json!({}))
        .await;
    assert_eq!(
        r.json::<Problem>().await.unwrap().kind,
        "/problems/session-cancelled"
    );
}

/// The roster page sends ticks as they are made (PATCH with marks): a mark sets one person
/// and leaves the others; sending it again changes nothing (the page resends after a lost
/// connection); a registration without a seat is refused at the field; before the start
/// the session says so.
#[tokio::test]
async fn ticks_are_saved_one_by_one_and_resending_them_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let session = plan(&app, &admin, "2026-12-02", 8).await;
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
        assert_eq!(r.status(), 200);
    }
    let path = format!("/api/v1/training-sessions/{}/attendance", session.id);
    let mut trainer = app.login(TRAINER, DEMO_PASSWORD).await.unwrap();
    let roster: Vec<RosterEntry> = app
        .get_as(
            &trainer,
            &format!("/api/v1/training-sessions/{}/roster", session.id),
        )
        .await
        .json()
        .await
        .unwrap();
    let (one, two) = (roster[0].registration, roster[1].registration);
    let mark = |registration: i64, present: bool| json!({ "marks": [{ "registration": registration, "present": present }] });
    let r = app.patch_json(&trainer, &path, &mark(one, true)).await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.json::<Problem>().await.unwrap().kind,
        "/problems/session-not-started"
    );

    app.set_time("2026-12-02T14:00:00Z");
    trainer = app.login(TRAINER, DEMO_PASSWORD).await.unwrap();
    let attended = |roster: Vec<RosterEntry>| roster.iter().map(|r| r.attended).collect::<Vec<_>>();
    for _ in 0..2 {
        let r = app.patch_json(&trainer, &path, &mark(one, true)).await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        assert_eq!(attended(r.json().await.unwrap()), [true, false]);
    }
    // Recorded (and qualified) once, however often the tick came in.
    let recorded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'session.attended' AND subject = $1",
    )
    .bind(format!("session:{}", session.id))
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(recorded, 1);
    let r = app.patch_json(&trainer, &path, &mark(two, true)).await;
    assert_eq!(attended(r.json().await.unwrap()), [true, true]);
    let r = app.patch_json(&trainer, &path, &mark(one, false)).await;
    assert_eq!(attended(r.json().await.unwrap()), [false, true]);

    let r = app.patch_json(&trainer, &path, &mark(999_999, true)).await;
    assert_eq!(r.status(), 422);
    let problem: Problem = r.json().await.unwrap();
    assert_eq!(problem.errors[0].field, "marks[0].registration");
    let teacher = app.login("een@school.be", DEMO_PASSWORD).await.unwrap();
    let r = app.patch_json(&teacher, &path, &mark(one, true)).await;
    assert_eq!(r.status(), 403);

    // Without JavaScript the page's form still posts the whole list ("all present" here).
    let r = app
        .client
        .post(app.url(&format!(
            "/opleidingen/sessies/{}/aanwezigheden",
            session.id
        )))
        .header("cookie", &trainer)
        .form(&[("all", "1")])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .contains("ok=aanwezigheden"));
    let roster: Vec<RosterEntry> = app
        .get_as(
            &trainer,
            &format!("/api/v1/training-sessions/{}/roster", session.id),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(attended(roster), [true, true]);
}
