//! Reservations in a real browser: reserve from the kit page's calendar, see it in "my
//! reservations" and cancel it; a refused request with its reason and alternatives; the
//! lending desk approving a request. The clock is fixed on Friday 27 November 2026.

use leenpunt_server::domain::auth::hash_password;
use leenpunt_tests::browser::Browser;
use leenpunt_tests::{site_dir, TestApp, DEMO_PASSWORD};
use serde_json::json;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";

fn require_site() {
    assert!(
        site_dir().join("manifest.json").exists(),
        "the front end is not built; run `cargo xtask test`, which builds it first"
    );
}

async fn sign_in(b: &Browser, app: &TestApp, email: &str, next: &str) {
    b.client
        .goto(&app.url(&format!("/aanmelden?next={next}")))
        .await
        .unwrap();
    b.sign_in(email, DEMO_PASSWORD).await;
    b.wait_for(".account-name").await;
}

/// Opens a kit page, waits for the booking island and moves the calendar to December.
async fn open_december(b: &Browser, app: &TestApp, kit: &str) {
    b.client
        .goto(&app.url(&format!("/catalogus/{kit}")))
        .await
        .unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    // It opens on the first month with a day that can be booked.
    let in_december = b
        .js("return !!document.querySelector(\"button.day[data-date='2026-12-07']\")")
        .await;
    if in_december != true {
        b.wait_for(".reserve .month-next")
            .await
            .click()
            .await
            .unwrap();
    }
    b.wait_for("button.day[data-date='2026-12-07']").await;
}

async fn click_day(b: &Browser, date: &str) {
    b.wait_for(&format!("button.day[data-date='{date}']:not([disabled])"))
        .await
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn reserve_see_it_in_my_reservations_and_cancel() {
    require_site();
    let app = TestApp::spawn().await;
    let b = Browser::start().await;
    sign_in(&b, &app, TEACHER, "/catalogus/bee-bot-set-klein").await;
    open_december(&b, &app, "bee-bot-set-klein").await;
    // Closed days and days inside the lead time cannot be picked; the text says why.
    let christmas = b.wait_for("button.day[data-date='2026-12-25']").await;
    assert!(christmas.attr("disabled").await.unwrap().is_some());
    assert_eq!(
        b.js("return document.querySelector(\"button.day[data-date='2026-12-07'] .day-status\").textContent")
            .await,
        "4 vrij"
    );
    click_day(&b, "2026-12-07").await;
    click_day(&b, "2026-12-10").await;
    assert_eq!(
        b.js("return document.querySelector('#reserve-pickup').value")
            .await,
        "2026-12-07"
    );
    assert_eq!(
        b.js("return document.querySelector('#reserve-return').value")
            .await,
        "2026-12-10"
    );
    b.wait_for(".reserve-submit").await.click().await.unwrap();
    b.wait_until("location.pathname === '/mijn-reservaties'")
        .await;
    b.wait_for("#outcome").await;
    let card = b.wait_for("li.reservation[data-status=bevestigd]").await;
    let text = card.text().await.unwrap();
    assert!(text.contains("Bee-Bot set klein"), "{text}");
    assert!(
        text.contains("7 december 2026 – 10 december 2026"),
        "{text}"
    );

    // Ask for one day more: it fits, so it is granted.
    b.js("document.querySelector('.extend-form input[type=date]').value = '2026-12-11'; return null;")
        .await;
    b.wait_for("li.reservation button.extend")
        .await
        .click()
        .await
        .unwrap();
    b.wait_until("location.search.includes('ok=verlengen')")
        .await;
    let text = b.wait_for("li.reservation").await.text().await.unwrap();
    assert!(
        text.contains("7 december 2026 – 11 december 2026"),
        "{text}"
    );

    // Cancel it: the button asks first and says what happens to the units.
    b.wait_for("li.reservation summary.cancel")
        .await
        .click()
        .await
        .unwrap();
    let question = b
        .wait_for("li.reservation .confirm-panel")
        .await
        .text()
        .await
        .unwrap();
    assert!(question.contains("komt dan vrij"), "{question}");
    b.wait_for("li.reservation .confirm-cancel-button")
        .await
        .click()
        .await
        .unwrap();
    b.wait_until("location.search.includes('ok=annuleren')")
        .await;
    // It is over now: listed under "Voorbij".
    b.wait_for("section[data-group=past] li.reservation[data-status=geannuleerd]")
        .await;
    b.close().await;
}

#[tokio::test]
async fn a_refused_request_shows_why_and_the_dates_that_work() {
    require_site();
    let app = TestApp::spawn().await;
    // Another school already has the only thermal camera for the week of 7 December.
    let other = app
        .teacher("ander@school.be", "126763", &hash_password(DEMO_PASSWORD))
        .await;
    let r = app
        .post_json(
            &other,
            "/api/v1/reservations",
            &json!({ "kit": "koffer-warmtecamera-energieverlies", "pickup_point": "stem-rtc-kortrijk",
                     "pickup_date": "2026-12-07", "return_date": "2026-12-10", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let b = Browser::start().await;
    sign_in(&b, &app, TEACHER, "/").await;
    open_december(&b, &app, "koffer-warmtecamera-energieverlies").await;
    assert_eq!(
        b.js("return document.querySelector(\"button.day[data-date='2026-12-08'] .day-status\").textContent")
            .await,
        "0 vrij"
    );
    click_day(&b, "2026-12-08").await;
    click_day(&b, "2026-12-09").await;
    b.wait_for(".reserve-submit").await.click().await.unwrap();
    let problem = b
        .wait_for(".reserve-problem .error")
        .await
        .text()
        .await
        .unwrap();
    assert!(problem.contains("Niet genoeg exemplaren vrij"), "{problem}");
    assert!(problem.contains("8 december 2026"), "{problem}");
    // Take the first alternative and book it.
    b.wait_for(".alternatives button")
        .await
        .click()
        .await
        .unwrap();
    let pickup = b
        .js("return document.querySelector('#reserve-pickup').value")
        .await;
    assert!(
        pickup.as_str().unwrap() > "2026-12-09",
        "alternative {pickup}"
    );
    b.wait_for(".reserve-submit").await.click().await.unwrap();
    b.wait_until("location.pathname === '/mijn-reservaties'")
        .await;
    // The camera needs approval: the request waits for the desk.
    b.wait_for("li.reservation[data-status=aangevraagd]").await;
    b.close().await;
}

#[tokio::test]
async fn the_desk_approves_a_request() {
    require_site();
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &json!({ "kit": "koffer-warmtecamera-energieverlies", "pickup_point": "stem-rtc-kortrijk",
                     "pickup_date": "2026-12-07", "return_date": "2026-12-10", "quantity": 1 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let b = Browser::start().await;
    sign_in(&b, &app, "ambassadeur@demo.leenpunt.be", "/").await;
    b.nav_link("a.nav-desk").await.click().await.unwrap();
    b.wait_until("location.pathname === '/balie'").await;
    // Filter on requests awaiting approval.
    b.js("document.querySelector('#desk-status').value = 'aangevraagd'; document.querySelector('.desk-filter').submit(); return null;")
        .await;
    b.wait_until("location.search.includes('status=aangevraagd')")
        .await;
    let card = b.wait_for("li.reservation[data-status=aangevraagd]").await;
    assert!(card.text().await.unwrap().contains("Lotte Vermeulen"));
    b.wait_for("li.reservation button.approve")
        .await
        .click()
        .await
        .unwrap();
    b.wait_until("location.search.includes('ok=goedkeuren')")
        .await;
    b.wait_for("#outcome").await;
    // The filter is kept, and the request has left the queue.
    assert!(b
        .js("return location.search")
        .await
        .as_str()
        .unwrap()
        .contains("status=aangevraagd"));
    b.wait_for("p.empty").await;
    let status: String = sqlx::query_scalar("SELECT status FROM reservations")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "bevestigd");
    // Later the desk has to cancel it, with a reason the teacher reads.
    b.client
        .goto(&app.url("/balie?status=bevestigd"))
        .await
        .unwrap();
    b.wait_for("li.reservation .staff-cancel-form input[name=reason]")
        .await
        .send_keys("Camera defect")
        .await
        .unwrap();
    b.wait_for("li.reservation button.staff-cancel")
        .await
        .click()
        .await
        .unwrap();
    b.wait_until("location.search.includes('ok=annuleren')")
        .await;
    let (status, reason): (String, String) =
        sqlx::query_as("SELECT status, reason FROM reservations")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), reason.as_str()),
        ("geannuleerd", "Camera defect")
    );
    b.close().await;
}

#[tokio::test]
async fn the_catalogue_filters_on_a_free_period_in_place() {
    require_site();
    let app = TestApp::spawn().await;
    let teacher = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let r = app
        .post_json(
            &teacher,
            "/api/v1/reservations",
            &json!({ "kit": "bee-bot-set-klein", "pickup_point": "stem-rtc-brugge",
                     "pickup_date": "2026-12-07", "return_date": "2026-12-10", "quantity": 4 }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let b = Browser::start().await;
    b.client
        .goto(&app.url("/catalogus?q=bee-bot"))
        .await
        .unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    b.js("window.__samePage = 7; return null;").await;
    assert_eq!(
        b.js("return !!document.querySelector('a[href=\"/catalogus/bee-bot-set-klein\"]')")
            .await,
        true
    );
    // Date inputs are filled the way a date picker does it.
    b.js("document.querySelector('#search-from').value = '2026-12-08'; document.querySelector('#search-to').value = '2026-12-09'; return null;")
        .await;
    b.wait_for(".sort-row button").await.click().await.unwrap();
    b.wait_until(
        "location.search.includes('from=2026-12-08') && location.search.includes('to=2026-12-09')",
    )
    .await;
    b.wait_until("!document.querySelector('a[href=\"/catalogus/bee-bot-set-klein\"]')")
        .await;
    assert_eq!(b.js("return window.__samePage").await, 7, "no page load");
    assert_eq!(
        b.js("return document.querySelector('#search-from').value")
            .await,
        "2026-12-08"
    );
    b.close().await;
}

#[tokio::test]
async fn wait_for_a_full_kit_then_accept_the_offer() {
    require_site();
    let app = TestApp::spawn().await;
    let other = app
        .teacher("ander@school.be", "126763", &hash_password(DEMO_PASSWORD))
        .await;
    let week = json!({ "kit": "koffer-warmtecamera-energieverlies", "pickup_point": "stem-rtc-kortrijk",
                       "pickup_date": "2026-12-07", "return_date": "2026-12-10", "quantity": 1 });
    let taken: leenpunt_shared::Reservation = app
        .post_json(&other, "/api/v1/reservations", &week)
        .await
        .json()
        .await
        .unwrap();
    let b = Browser::start().await;
    sign_in(&b, &app, TEACHER, "/").await;
    open_december(&b, &app, "koffer-warmtecamera-energieverlies").await;
    click_day(&b, "2026-12-07").await;
    click_day(&b, "2026-12-10").await;
    b.wait_for(".reserve-submit").await.click().await.unwrap();
    b.wait_for(".join-waitlist").await.click().await.unwrap();
    let notice = b
        .wait_for(".waitlist-joined:not(:empty)")
        .await
        .text()
        .await
        .unwrap();
    assert!(notice.contains("wachtlijst"), "{notice}");
    b.client.goto(&app.url("/mijn-reservaties")).await.unwrap();
    b.wait_for("li.reservation.waiting").await;

    // The other school cancels: the unit is offered to this teacher.
    let r = app
        .post_json(
            &other,
            &format!("/api/v1/reservations/{}/cancel", taken.id),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    b.client.goto(&app.url("/mijn-reservaties")).await.unwrap();
    let offer = b.wait_for("li.reservation[data-status=aangeboden]").await;
    let text = offer.text().await.unwrap();
    assert!(
        text.contains("Aanbod geldig tot 29 november 2026 om 10:00"),
        "{text}"
    );
    b.wait_for("li.reservation button.accept")
        .await
        .click()
        .await
        .unwrap();
    b.wait_until("location.search.includes('ok=aanvaarden')")
        .await;
    b.wait_for("li.reservation[data-status=aangevraagd]").await;
    b.close().await;
}

#[tokio::test]
async fn an_admin_closes_a_day_and_the_calendar_shows_it() {
    require_site();
    let app = TestApp::spawn().await;
    let b = Browser::start().await;
    sign_in(&b, &app, "beheerder@demo.leenpunt.be", "/").await;
    b.nav_link("a.nav-closed-days").await.click().await.unwrap();
    b.wait_until("location.pathname === '/beheer/sluitingsdagen'")
        .await;
    b.js("document.querySelector('#closed-first').value = '2026-12-09'; return null;")
        .await;
    b.wait_for("#closed-reason")
        .await
        .send_keys("Studiedag")
        .await
        .unwrap();
    b.wait_for(".closed-day-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for("#outcome").await;
    let table = b.wait_for("table.closed-days").await.text().await.unwrap();
    assert!(
        table.contains("9 december 2026") && table.contains("Studiedag"),
        "{table}"
    );
    open_december(&b, &app, "bee-bot-set-klein").await;
    let ninth = b.wait_for("button.day[data-date='2026-12-09']").await;
    assert!(ninth.attr("disabled").await.unwrap().is_some());
    assert_eq!(
        ninth.attr("title").await.unwrap().as_deref(),
        Some("Studiedag")
    );
    b.close().await;
}

/// The calendar opens on the first month with a bookable day, says why the other days
/// cannot be chosen, and its month arrows are visible and work.
#[tokio::test]
async fn the_calendar_opens_on_a_bookable_month_with_visible_arrows() {
    require_site();
    let app = TestApp::spawn().await;
    // Sunday 29 November: with the lead time, the first pickup day is in December.
    app.set_time("2026-11-29T10:00:00Z");
    let months: Vec<leenpunt_shared::MonthAvailability> = app
        .get("/api/v1/catalogue/bee-bot-set-klein/availability")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(months[0].month, "2026-12");
    let november: Vec<leenpunt_shared::MonthAvailability> = app
        .get("/api/v1/catalogue/bee-bot-set-klein/availability?month=2026-11")
        .await
        .json()
        .await
        .unwrap();
    let day = |d: &str| {
        november[0]
            .days
            .iter()
            .find(|x| x.date == d)
            .unwrap()
            .clone()
    };
    assert_eq!(
        day("2026-11-27").limit,
        Some(leenpunt_shared::DayLimit::Past)
    );
    assert_eq!(
        day("2026-11-30").limit,
        Some(leenpunt_shared::DayLimit::TooSoon)
    );

    let b = Browser::start_phone(360).await;
    sign_in(&b, &app, TEACHER, "/catalogus/bee-bot-set-klein").await;
    b.client
        .goto(&app.url("/catalogus/bee-bot-set-klein"))
        .await
        .unwrap();
    b.wait_until("document.body.dataset.hydrated === 'true'")
        .await;
    b.wait_for("button.day[data-date='2026-12-07']:not([disabled])")
        .await;
    // The panel is on screen without scrolling.
    assert_eq!(
        b.js("return document.querySelector('.reserve h2').getBoundingClientRect().top < window.innerHeight")
            .await,
        true
    );
    // The arrows are not white on white.
    let colours = b
        .js("const s = getComputedStyle(document.querySelector('.month-prev')); return s.color + ' on ' + s.backgroundColor")
        .await;
    assert_eq!(colours, "rgb(7, 58, 68) on rgb(255, 255, 255)");
    b.wait_for(".month-prev").await.click().await.unwrap();
    let past = b
        .wait_for("button.day[data-date='2026-11-27'] .day-status")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(past, "voorbij");
    assert_eq!(
        b.wait_for("button.day[data-date='2026-11-30'] .day-status")
            .await
            .text()
            .await
            .unwrap(),
        "te kort"
    );
    b.close().await;
}
