//! Logs carry ids, not people: everything the server logs (every level, every target)
//! during a sign-up, a confirmation, failed and good sign-ins, a booking, pages and the
//! daily jobs names no e-mail address and no name. Its own test binary, because it
//! installs the process's log subscriber.

use leenpunt_tests::TestApp;
use std::sync::{Arc, Mutex};

/// Every log line, kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

const EMAIL: &str = "zoe.privaatsma@school.be";
const NAME: &str = "Zoë Privaatsma";

#[tokio::test]
async fn the_logs_of_a_sign_up_sign_in_and_booking_name_nobody() {
    let logs = Captured::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(logs.clone())
        .init();
    let app = TestApp::spawn().await;

    let signup = app
        .client
        .post(app.url("/api/v1/signup"))
        .json(&serde_json::json!({ "email": EMAIL, "name": NAME,
            "password": "mijn geheim 123", "school": "126763" }))
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), 202);
    let body: String = sqlx::query_scalar("SELECT body FROM outbox WHERE to_addr = $1")
        .bind(EMAIL)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/bevestig/"))
        .unwrap();
    let path = &link[link.find("/bevestig/").unwrap()..];
    assert_eq!(app.get(path).await.status(), 303);
    assert!(app.login(EMAIL, "verkeerd wachtwoord").await.is_err());
    assert!(app
        .login("niemand@school.be", "verkeerd wachtwoord")
        .await
        .is_err());
    app.qualify(EMAIL, "bee-bot-in-de-klas").await;
    let me = app.login(EMAIL, "mijn geheim 123").await.unwrap();
    let r = app
        .post_json(
            &me,
            "/api/v1/reservations",
            &serde_json::json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge",
                "pickup_date": "2026-12-07", "return_date": "2026-12-10", "quantity": 1,
                "note": format!("Voor de klas van {NAME}") }),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    for page in [
        "/mijn-reservaties",
        "/mijn-account",
        "/mijn-account/gegevens",
    ] {
        assert_eq!(app.get_as(&me, page).await.status(), 200, "{page}");
    }
    let desk = app
        .login(
            "ambassadeur@demo.leenpunt.be",
            leenpunt_tests::DEMO_PASSWORD,
        )
        .await
        .unwrap();
    assert_eq!(app.get_as(&desk, "/balie").await.status(), 200);
    // The jobs of the following days: reminders, digests, retention.
    let jobs = leenpunt_server::service::jobs::JobSettings::from_config(&app.state.config);
    for day in [
        "2026-12-03T16:00:00Z",
        "2026-12-04T07:30:00Z",
        "2026-12-07T08:00:00Z",
    ] {
        app.set_time(day);
        leenpunt_server::service::jobs::run_once(&app.state.db, app.clock.as_ref(), &jobs).await;
    }

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("/api/v1/reservations") && text.contains("/bevestig/"),
        "the requests were logged: {text}"
    );
    for who in [
        EMAIL,
        NAME,
        "Privaatsma",
        "niemand@school.be",
        "ambassadeur@demo.leenpunt.be",
        "Pieter Desmet",
    ] {
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.to_lowercase().contains(&who.to_lowercase()))
            .take(5)
            .collect();
        assert!(lines.is_empty(), "{who} in the logs: {lines:#?}");
    }
}
