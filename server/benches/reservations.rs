//! Reservation benchmarks, server-side through the same services the API uses:
//! - availability of one kit type for one month and for 12 months with 10,000 bookings
//!   on it (the base), then with 100,000 more future bookings on the same kit type after
//!   the measured windows, then (those removed) with 1,000,000 reservations of history
//!   (p50/p95/p99, and the p99 ratios against the base, all in one run);
//! - sequential reservation creation with every rule checked, against a bare insert
//!   transaction of the same row, in the same run;
//! - checking a teacher's cart of five lines against a cart of one (issue 20).
//!
//! Run with `cargo xtask bench`. `LEENPUNT_BENCH_QUICK=1` stops after the base figures,
//! `LEENPUNT_BENCH_BOOKING_ONLY=1` after the booking rates.

mod common;
use common::*;

use chrono::{Duration as Days, NaiveDate};
use leenpunt_server::config::Config;
use leenpunt_server::domain::clock::FixedClock;
use leenpunt_server::domain::policy::{Actor, RoleGrant};
use leenpunt_server::domain::reservations::{ClosedPeriod, OpenCalendar};
use leenpunt_server::service::reservations::create;
use leenpunt_server::startup::build_state;
use leenpunt_shared::{Lang, NewReservation, Role, SchoolId, UserId};
use std::sync::Arc;
use std::time::Instant;

const ROUNDS: usize = 400;
/// The kit type whose availability is measured.
const KIT: &str = AVAILABILITY_KIT;

async fn creation_rate(state: &leenpunt_server::state::AppState) -> anyhow::Result<()> {
    let pool = state.db.writer();
    // The loan kit types of one pickup point (not the one whose availability is measured)
    // that need no training, each with forty more units and no per-school limit, booked in
    // turn: a busy desk where every request is accepted, so that the rate compares like
    // with like against the bare insert (a refusal writes nothing).
    let kits: Vec<(i64, String)> = sqlx::query_as(
        "SELECT k.id, k.slug FROM kit_types k JOIN kit_type_pickup_points x ON x.kit_type_id = k.id \
         JOIN pickup_points pp ON pp.id = x.pickup_point_id \
         WHERE pp.slug = 'stem-rtc-brugge' AND k.kind = 'uitleen' AND k.slug <> ? \
           AND NOT EXISTS (SELECT 1 FROM kit_type_trainings t WHERE t.kit_type_id = k.id) ORDER BY k.id",
    )
    .bind(KIT)
    .fetch_all(pool)
    .await?;
    anyhow::ensure!(!kits.is_empty(), "no kit type to book");
    let mut tx = pool.begin().await?;
    for (kit, _) in &kits {
        sqlx::query(
            "UPDATE kit_types SET max_per_school = 1000000, horizon_days = 700 WHERE id = ?",
        )
        .bind(kit)
        .execute(&mut *tx)
        .await?;
        for i in 0..40 {
            sqlx::query(
                "INSERT INTO units (kit_type_id, inventory_code, created_at) VALUES (?, ?, '')",
            )
            .bind(kit)
            .bind(format!("BENCH-{kit}-{i:02}"))
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    let kit = kits[0].0;
    let (user, school): (i64, i64) =
        sqlx::query_as("SELECT user_id, school_id FROM user_roles WHERE role = 'teacher' LIMIT 1")
            .fetch_one(pool)
            .await?;
    let actor = Actor {
        user: Some(UserId(user)),
        grants: vec![RoleGrant {
            role: Role::Teacher,
            school: Some(SchoolId(school)),
            partner: None,
        }],
    };
    // Monday pickups and Thursday returns, on weeks the pickup point is open both days.
    let closed: Vec<ClosedPeriod> = sqlx::query_as::<_, (String, String, String)>(
        "SELECT first_day, last_day, reason FROM closed_periods",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(first, last, reason)| ClosedPeriod {
        first: NaiveDate::parse_from_str(&first, "%Y-%m-%d").expect("date"),
        last: NaiveDate::parse_from_str(&last, "%Y-%m-%d").expect("date"),
        reason,
    })
    .collect();
    let calendar = OpenCalendar::new(OpenCalendar::WORKDAYS, &closed);
    let mondays: Vec<NaiveDate> = (0..80)
        .map(|w| NaiveDate::from_ymd_opt(2026, 12, 7).expect("date") + Days::weeks(w))
        .filter(|d| calendar.is_open(*d) && calendar.is_open(*d + Days::days(3)))
        .collect();
    const N: usize = 2000;
    let started = Instant::now();
    let mut booked = 0;
    let mut refused = std::collections::BTreeMap::<String, usize>::new();
    for i in 0..N {
        let pickup = mondays[(i / kits.len()) % mondays.len()];
        let body = NewReservation {
            kit: kits[i % kits.len()].1.clone(),
            pickup_point: "stem-rtc-brugge".into(),
            pickup_date: pickup.to_string(),
            return_date: (pickup + Days::days(3)).to_string(),
            quantity: 1,
            school: None,
            note: String::new(),
        };
        match create(
            &state.db,
            state.clock.as_ref(),
            "http://bench",
            &actor,
            Lang::Nl,
            &body,
            None,
        )
        .await
        {
            Ok(_) => booked += 1,
            Err(e) => {
                *refused
                    .entry(format!("{e:?}").chars().take(60).collect())
                    .or_default() += 1
            }
        }
    }
    let rules_rate = booked as f64 / started.elapsed().as_secs_f64();
    if !refused.is_empty() {
        println!("  refused (not like for like with the bare insert): {refused:?}");
    }
    let started = Instant::now();
    for i in 0..N {
        let pickup = mondays[i % mondays.len()];
        let mut tx = state.db.begin().await?;
        sqlx::query(
            "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
               return_date, held_until, status, created_at, updated_at) \
             VALUES (?, (SELECT id FROM pickup_points WHERE slug = 'stem-rtc-brugge'), ?, ?, 1, ?, ?, ?, 'bevestigd', '', '')",
        )
        .bind(kit)
        .bind(school)
        .bind(user)
        .bind(pickup.to_string())
        .bind((pickup + Days::days(3)).to_string())
        .bind((pickup + Days::days(7)).to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    let bare_rate = N as f64 / started.elapsed().as_secs_f64();
    println!(
        "reservation creation over {} kit types, sequential, every rule checked: {rules_rate:.0}/s ({booked} of {N} booked); \
         bare insert transaction: {bare_rate:.0}/s; ratio {:.2} (targets >= 1000/s and >= 0.50)",
        kits.len(),
        rules_rate / bare_rate
    );
    Ok(())
}

/// Checking a teacher's cart of five lines against a cart of one (issue 20; target: at
/// most 2× one line), through the service the API uses, on the base data.
async fn cart_check_latency(state: &leenpunt_server::state::AppState) -> anyhow::Result<()> {
    use leenpunt_server::service::cart;
    use leenpunt_shared::cart::{CartDates, CartSubmit, NewCartLine};
    let pool = state.db.writer();
    let kits: Vec<String> = sqlx::query_scalar(
        "SELECT k.slug FROM kit_types k JOIN kit_type_pickup_points x ON x.kit_type_id = k.id \
         JOIN pickup_points pp ON pp.id = x.pickup_point_id \
         WHERE pp.slug = 'stem-rtc-brugge' AND k.kind = 'uitleen' \
           AND NOT EXISTS (SELECT 1 FROM kit_type_trainings t WHERE t.kit_type_id = k.id) ORDER BY k.id LIMIT 5",
    )
    .fetch_all(pool)
    .await?;
    anyhow::ensure!(kits.len() == 5, "five kit types to put in the cart");
    let (user, school): (i64, i64) =
        sqlx::query_as("SELECT user_id, school_id FROM user_roles WHERE role = 'teacher' LIMIT 1")
            .fetch_one(pool)
            .await?;
    let actor = Actor {
        user: Some(UserId(user)),
        grants: vec![RoleGrant {
            role: Role::Teacher,
            school: Some(SchoolId(school)),
            partner: None,
        }],
    };
    let clock = state.clock.as_ref();
    cart::clear(&state.db, &actor).await?;
    let dates = CartDates {
        pickup_date: Some("2027-03-08".into()),
        return_date: Some("2027-03-11".into()),
    };
    cart::set_dates(&state.db, clock, &actor, Lang::Nl, &dates).await?;
    let mut medians = Vec::new();
    for (n, label) in [(1, "one line"), (5, "five lines")] {
        while cart::get(&state.db, &actor).await?.lines.len() < n {
            let have = cart::get(&state.db, &actor).await?.lines.len();
            let line = NewCartLine {
                kit: kits[have].clone(),
                pickup_point: "stem-rtc-brugge".into(),
                quantity: 1,
                pickup_date: None,
                return_date: None,
            };
            cart::add_line(&state.db, clock, &actor, Lang::Nl, &line).await?;
        }
        let body = CartSubmit::default();
        let mut times = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let started = Instant::now();
            let verdicts = cart::check(&state.db, clock, &actor, Lang::Nl, &body).await?;
            times.push(started.elapsed());
            anyhow::ensure!(verdicts.lines.len() == n);
        }
        times.sort();
        medians.push(percentile(&times, 0.5));
        report(&format!("cart check, {label}"), times);
    }
    println!(
        "cart check: five lines cost {:.2}x one line at p50 (target <= 2)",
        medians[1] / medians[0]
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let dir = tempfile::tempdir()?;
        let config = Config {
            data_dir: dir.path().to_path_buf(),
            demo_data: true,
            ..Config::default()
        };
        let today = BENCH_TODAY;
        let state = build_state(config, Arc::new(FixedClock::on(today))).await?;
        creation_rate(&state).await?;
        if std::env::var_os("LEENPUNT_BENCH_BOOKING_ONLY").is_some() {
            return Ok(());
        }
        let pool = state.db.writer().clone();
        // The base: 10,000 bookings on the measured kit type over 2026 and 2027 (the
        // measured windows included), and 10,000 over the other kit types.
        let recent = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        add_reservations(&pool, 10_000, 1, recent, 730, Some(KIT)).await?;
        add_reservations(&pool, 10_000, 3, recent, 730, None).await?;
        sqlx::query("ANALYZE").execute(&pool).await?;
        let base_month = availability_latency(&state, "base (10,000 on the kit type)", 1, ROUNDS).await?;
        let base_year = availability_latency(&state, "base (10,000 on the kit type)", 12, ROUNDS).await?;
        cart_check_latency(&state).await?;
        if std::env::var_os("LEENPUNT_BENCH_QUICK").is_some() {
            return Ok(());
        }
        // 100,000 more future bookings on the same kit type, all after the measured
        // windows (pickups from 2029 over ten years).
        let future = NaiveDate::from_ymd_opt(2029, 1, 1).expect("date");
        add_reservations(&pool, 100_000, 4, future, 3650, Some(KIT)).await?;
        sqlx::query("ANALYZE").execute(&pool).await?;
        let future_month =
            availability_latency(&state, "+100,000 future bookings on the kit type", 1, ROUNDS).await?;
        sqlx::query("DELETE FROM reservations WHERE pickup_date >= '2029-01-01'")
            .execute(&pool)
            .await?;
        // A database grows to a million reservations with its history: 25 years of past
        // loans.
        let started = Instant::now();
        let history = NaiveDate::from_ymd_opt(2001, 1, 1).expect("date");
        let have: i64 = sqlx::query_scalar("SELECT count(*) FROM reservations")
            .fetch_one(&pool)
            .await?;
        add_reservations(
            &pool,
            1_000_000usize.saturating_sub(have as usize),
            2,
            history,
            25 * 365 - 20,
            None,
        )
        .await?;
        sqlx::query("ANALYZE").execute(&pool).await?;
        println!(
            "(grew to 1,000,000 reservations in {:.1} s)",
            started.elapsed().as_secs_f64()
        );
        let history_month =
            availability_latency(&state, "1,000,000 reservations of history", 1, ROUNDS).await?;
        let history_year =
            availability_latency(&state, "1,000,000 reservations of history", 12, ROUNDS).await?;
        println!(
            "month availability p99 ratio, +100,000 future / base: {:.2} (target <= 1.5)",
            future_month[2] / base_month[2]
        );
        println!(
            "month availability p99 ratio, 1,000,000 history / base: {:.2} (target <= 1.5)",
            history_month[2] / base_month[2]
        );
        println!(
            "12-month availability p99 ratio, 1,000,000 history / base: {:.2}; base p50 {:.3} ms (target <= 3 ms)",
            history_year[2] / base_year[2],
            base_year[0]
        );
        Ok(())
    })
}
