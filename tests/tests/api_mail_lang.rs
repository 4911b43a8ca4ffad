//! Every mail in its recipient's language, with days and times in Brussels local time:
//! the language a signed-in person chose (header switch, sign-in, `PUT /api/v1/me/lang`),
//! the sign-up form's language, and for an invitation the inviter's request language.

use leenpunt_shared::{Me, Reservation};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
const ADMIN: &str = "beheerder@demo.leenpunt.be";
const BEE_BOT: &str = "bee-bot-set-klein";

/// The newest mail to an address: (subject, body).
async fn last_mail(app: &TestApp, to: &str) -> (String, String) {
    sqlx::query_as("SELECT subject, body FROM outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1")
        .bind(to)
        .fetch_one(app.state.db.pool())
        .await
        .expect("a mail")
}

async fn me(app: &TestApp, cookie: &str) -> Me {
    app.get_as(cookie, "/api/v1/me").await.json().await.unwrap()
}

#[tokio::test]
async fn an_english_speaking_teacher_gets_english_mail_in_brussels_time() {
    let app = TestApp::spawn().await;
    // Tuesday 1 December 2026, 08:00 UTC: 09:00 in Brussels (winter time, UTC+1).
    app.set_time("2026-12-01T08:00:00Z");
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    assert_eq!(me(&app, &cookie).await.lang, leenpunt_shared::Lang::Nl);

    // The header's language switch, signed in, from Leenpunt's own page.
    let r = app
        .client
        .get(app.url("/taal/en?next=/mijn-reservaties"))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(me(&app, &cookie).await.lang, leenpunt_shared::Lang::En);

    let r = app
        .post_json(
            &cookie,
            "/api/v1/reservations",
            &json!({ "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge",
                     "pickup_date": "2026-12-14", "return_date": "2026-12-17", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let booked: Reservation = r.json().await.unwrap();
    let (subject, body) = last_mail(&app, TEACHER).await;
    assert_eq!(
        subject,
        format!("Your reservation is confirmed: {}", booked.kit_title)
    );
    assert!(body.starts_with("Hello "), "{body}");
    assert!(body.contains("Pickup: 14 December 2026 at "), "{body}");
    assert!(body.contains("Return: 17 December 2026"), "{body}");
    assert!(
        body.contains("Booked on 1 December 2026 at 09:00"),
        "Brussels time, not UTC: {body}"
    );
    assert!(body.contains("See your reservations: http"), "{body}");
    assert!(!body.contains("Dag") && !body.contains("Afhalen"), "{body}");

    // Back to Dutch through the API: the next mail is Dutch.
    let r = app
        .put_json(&cookie, "/api/v1/me/lang", &json!({ "lang": "nl" }))
        .await;
    assert_eq!(r.status(), 204);
    let r = app
        .post_json(
            &cookie,
            &format!("/api/v1/reservations/{}/cancel", booked.id.0),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let (subject, body) = last_mail(&app, TEACHER).await;
    assert!(
        subject.starts_with("Je reservatie is geannuleerd"),
        "{subject}"
    );
    assert!(body.contains("Afhalen: 14 december 2026 in "), "{body}");
}

#[tokio::test]
async fn a_switch_another_site_makes_the_browser_follow_changes_only_the_cookie() {
    let app = TestApp::spawn().await;
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = app
        .client
        .get(app.url("/taal/en"))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("leenpunt_lang=en"));
    assert_eq!(me(&app, &cookie).await.lang, leenpunt_shared::Lang::Nl);
    // Signing in with the English cookie makes it the person's choice.
    let r = app
        .client
        .post(app.url("/api/v1/session"))
        .header("cookie", "leenpunt_lang=en")
        .json(&json!({ "email": TEACHER, "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(me(&app, &cookie).await.lang, leenpunt_shared::Lang::En);
    // A forgotten-password mail follows the account's language, not the request's.
    let r = app
        .client
        .post(app.url("/api/v1/password-reset"))
        .header("accept-language", "nl-BE")
        .json(&json!({ "email": TEACHER }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let (subject, body) = last_mail(&app, TEACHER).await;
    assert_eq!(subject, "Choose a new password for Leenpunt");
    assert!(
        body.starts_with("Hello,") && body.contains("/wachtwoord/"),
        "{body}"
    );
}

#[tokio::test]
async fn sign_up_and_invitations_mail_in_the_requests_language() {
    let app = TestApp::spawn().await;
    // Signing up in English: the confirmation is English, and so is the account.
    let r = app
        .client
        .post(app.url("/api/v1/signup"))
        .header("accept-language", "en-GB,en;q=0.9")
        .json(&json!({ "email": "new@school.be", "name": "New Teacher",
                       "password": "a-long-password", "school": "012345" }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let (subject, _) = last_mail(&app, "new@school.be").await;
    assert_eq!(subject, "Confirm your e-mail address for Leenpunt");
    let lang: String = sqlx::query_scalar("SELECT lang FROM users WHERE email = 'new@school.be'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(lang, "en");

    // An admin browsing in English invites someone without an account: English.
    let admin = app.login(ADMIN, DEMO_PASSWORD).await.unwrap();
    let r = app
        .client
        .post(app.url("/api/v1/invitations"))
        .header("cookie", format!("{admin}; leenpunt_lang=en"))
        .header("origin", app.base.clone())
        .json(&json!({ "email": "desk@stem.be", "role": "ambassador", "partner": "stem-rtc" }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let (subject, body) = last_mail(&app, "desk@stem.be").await;
    assert_eq!(subject, "You are invited to Leenpunt");
    assert!(body.contains("lending desk ambassador"), "{body}");
    // …and a Dutch-reading teacher who gains a role hears it in Dutch.
    let r = app
        .client
        .post(app.url("/api/v1/invitations"))
        .header("cookie", format!("{admin}; leenpunt_lang=en"))
        .header("origin", app.base.clone())
        .json(&json!({ "email": TEACHER, "role": "trainer", "partner": "stem-rtc" }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let (subject, _) = last_mail(&app, TEACHER).await;
    assert_eq!(subject, "Je hebt een nieuwe rol in Leenpunt");
}
