//! Availability and booking read only the holds that overlap the asked window (issue 16):
//! with thousands of bookings before and after it, and holds of every span class reaching
//! into it from far back, the answers equal a plain recount over every reservation.
//! The clock is fixed on Friday 27 November 2026.

use chrono::{Duration, NaiveDate};
use leenpunt_shared::{MonthAvailability, Problem, Reservation};
use leenpunt_tests::{TestApp, DEMO_PASSWORD};
use serde_json::json;

const TEACHER: &str = "leerkracht@demo.leenpunt.be";
/// STEM-uitleendienst, buffer 2 open days, one reservation per school.
const BEE_BOT: &str = "bee-bot-set-klein";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct Ids {
    kit: i64,
    point: i64,
    /// A school other than the teacher's, so the per-school limit stays out of the way.
    school: i64,
    user: i64,
}

async fn ids(app: &TestApp) -> Ids {
    let pool = app.state.db.pool();
    let (kit, point): (i64, i64) = sqlx::query_as(
        "SELECT k.id, min(x.pickup_point_id) FROM kit_types k \
         JOIN kit_type_pickup_points x ON x.kit_type_id = k.id WHERE k.slug = $1 GROUP BY k.id",
    )
    .bind(BEE_BOT)
    .fetch_one(pool)
    .await
    .unwrap();
    let user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(TEACHER)
        .fetch_one(pool)
        .await
        .unwrap();
    let school: i64 = sqlx::query_scalar(
        "SELECT id FROM schools WHERE id NOT IN (SELECT school_id FROM user_roles \
         WHERE user_id = $1 AND school_id IS NOT NULL) ORDER BY id LIMIT 1",
    )
    .bind(user)
    .fetch_one(pool)
    .await
    .unwrap();
    Ids {
        kit,
        point,
        school,
        user,
    }
}

async fn insert(app: &TestApp, ids: &Ids, pickup: NaiveDate, held: NaiveDate, status: &str) {
    sqlx::query(
        "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, \
         pickup_date, return_date, held_until, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, '', '')",
    )
    .bind(ids.kit)
    .bind(ids.point)
    .bind(ids.school)
    .bind(ids.user)
    .bind(pickup.to_string())
    .bind(held.to_string())
    .bind(held.to_string())
    .bind(status)
    .execute(app.state.db.writer())
    .await
    .unwrap();
}

/// Free units per day over `[from, to]`, recounted from every reservation of the kit type.
async fn recount(
    app: &TestApp,
    ids: &Ids,
    in_service: u32,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<u32> {
    let holds: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT pickup_date, held_until, quantity FROM reservations WHERE kit_type_id = $1 \
         AND status IN ('aangeboden', 'aangevraagd', 'bevestigd', 'afgehaald')",
    )
    .bind(ids.kit)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        let held: i64 = holds
            .iter()
            .filter(|(first, last, _)| d(first) <= day && d(last) >= day)
            .map(|h| h.2)
            .sum();
        out.push(in_service.saturating_sub(held as u32));
        day += Duration::days(1);
    }
    out
}

/// Spans (held_until − pickup_date) on both sides of every class limit (16, 64, 256 days),
/// each ending on its own day of March 2027: `2 + 4 i`.
const LONG_SPANS: [i64; 7] = [15, 16, 63, 64, 255, 256, 400];

/// Ten more units (fourteen in service), history, far-future bookings, long holds of every
/// span class reaching into March 2027, and short ones in the second half of 2027.
async fn busy(app: &TestApp) -> Ids {
    let ids = ids(app).await;
    let pool = app.state.db.writer();
    sqlx::query("UPDATE kit_types SET horizon_days = 700 WHERE id = $1")
        .bind(ids.kit)
        .execute(pool)
        .await
        .unwrap();
    for i in 0..10 {
        sqlx::query(
            "INSERT INTO units (kit_type_id, inventory_code, created_at) VALUES ($1, $2, '')",
        )
        .bind(ids.kit)
        .bind(format!("INDEX-{i}"))
        .execute(pool)
        .await
        .unwrap();
    }
    // History: ten years of loans, some still in a holding status.
    for i in 0..1500i64 {
        let pickup = d("2016-01-01") + Duration::days(i * 7 % 3600);
        let status = if i % 3 == 0 {
            "bevestigd"
        } else {
            "teruggebracht"
        };
        insert(
            app,
            &ids,
            pickup,
            pickup + Duration::days(3 + i % 9),
            status,
        )
        .await;
    }
    // The future beyond every window asked below.
    for i in 0..1500i64 {
        let pickup = d("2029-01-01") + Duration::days(i * 5 % 3000);
        insert(
            app,
            &ids,
            pickup,
            pickup + Duration::days(3 + i % 9),
            "bevestigd",
        )
        .await;
    }
    for (i, span) in LONG_SPANS.iter().enumerate() {
        let held = d("2027-03-02") + Duration::days(4 * i as i64);
        insert(app, &ids, held - Duration::days(*span), held, "bevestigd").await;
        // Ones that no longer hold units do not count.
        insert(app, &ids, held - Duration::days(*span), held, "geannuleerd").await;
    }
    for i in 0..300i64 {
        let pickup = d("2027-06-01") + Duration::days(i * 13 % 200);
        insert(
            app,
            &ids,
            pickup,
            pickup + Duration::days(i % 20),
            "bevestigd",
        )
        .await;
    }
    ids
}

async fn months(app: &TestApp, month: &str, n: u32) -> Vec<MonthAvailability> {
    let r = app
        .get(&format!(
            "/api/v1/catalogue/{BEE_BOT}/availability?month={month}&months={n}"
        ))
        .await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

#[tokio::test]
async fn availability_equals_a_recount_over_every_reservation() {
    let app = TestApp::spawn().await;
    let ids = busy(&app).await;
    let year = months(&app, "2027-01", 12).await;
    assert_eq!(year[0].units_in_service, 14);
    let shown: Vec<u32> = year
        .iter()
        .flat_map(|m| m.days.iter().map(|d| d.free))
        .collect();
    let expected = recount(&app, &ids, 14, d("2027-01-01"), d("2027-12-31")).await;
    assert_eq!(shown, expected);
    // The long holds by hand: all seven hold 1 March; one ends every four days.
    let march = &year[2];
    let free = |day: usize| march.days[day - 1].free;
    assert_eq!(free(1), 7);
    assert_eq!(free(3), 8, "the 15-day hold ended on the 2nd");
    assert_eq!(free(23), 13, "only the 400-day hold is left");
    assert_eq!(free(26), 13);
    assert_eq!(free(27), 14);
    // Every one-month window, each on its own.
    for (i, m) in year.iter().enumerate() {
        let single = months(&app, &m.month, 1).await;
        assert_eq!(single[0].days, year[i].days, "{}", m.month);
    }
}

#[tokio::test]
async fn booking_counts_holds_that_began_long_before() {
    let app = TestApp::spawn().await;
    busy(&app).await;
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    let booking = |quantity: u32| {
        json!({ "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge", "pickup_date": "2027-03-08",
                "return_date": "2027-03-11", "quantity": quantity })
    };
    // Monday 8 March: the holds of 63, 64, 255, 256 and 400 days still run; 9 of 14 free.
    let r = app
        .post_json(&cookie, "/api/v1/reservations", &booking(10))
        .await;
    assert_eq!(r.status(), 409);
    let problem: Problem = r.json().await.unwrap();
    assert!(
        problem.kind.ends_with("not-enough-units"),
        "{}",
        problem.kind
    );
    let r = app
        .post_json(&cookie, "/api/v1/reservations", &booking(9))
        .await;
    assert_eq!(r.status(), 201);
    let created: Reservation = r.json().await.unwrap();
    assert_eq!(created.quantity, 9);
    // Nothing is left on those days, and the calendar says so.
    let march = &months(&app, "2027-03", 1).await[0];
    assert_eq!(march.days[7].free, 0);
}

/// A loan returned just before the summer holidays holds its units until its turnaround
/// buffer has run in September: the booking must count what is picked up then. (It read
/// the holds only up to 60 days after the return, and this buffer ends 61 days after.)
#[tokio::test]
async fn a_buffer_across_the_summer_holidays_counts_september() {
    let app = TestApp::spawn().await;
    let ids = ids(&app).await;
    sqlx::query(
        "UPDATE kit_types SET horizon_days = 700, buffer_days = 3, max_per_school = 100 \
         WHERE id = $1",
    )
    .bind(ids.kit)
    .execute(app.state.db.writer())
    .await
    .unwrap();
    let units: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM units WHERE kit_type_id = $1 AND status = 'in-dienst'",
    )
    .bind(ids.kit)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert!(units > 0);
    // Every unit is picked up on Wednesday 1 September 2027.
    for _ in 0..units {
        insert(&app, &ids, d("2027-09-01"), d("2027-09-03"), "bevestigd").await;
    }
    let cookie = app.login(TEACHER, DEMO_PASSWORD).await.unwrap();
    // Returned on Friday 2 July; the point is closed from 3 July to 29 August, so the
    // buffer's three open days are 30 and 31 August and 1 September.
    let booking = json!({ "kit": BEE_BOT, "pickup_point": "stem-rtc-brugge",
        "pickup_date": "2027-06-28", "return_date": "2027-07-02", "quantity": 1 });
    let r = app
        .post_json(&cookie, "/api/v1/reservations", &booking)
        .await;
    assert_eq!(r.status(), 409);
    let problem: Problem = r.json().await.unwrap();
    assert!(
        problem.kind.ends_with("not-enough-units"),
        "{}",
        problem.kind
    );
    // With the September loans a day later, the same request fits.
    sqlx::query(
        "UPDATE reservations SET pickup_date = '2027-09-02' WHERE pickup_date = '2027-09-01'",
    )
    .execute(app.state.db.writer())
    .await
    .unwrap();
    let r = app
        .post_json(&cookie, "/api/v1/reservations", &booking)
        .await;
    assert_eq!(r.status(), 201);
}
