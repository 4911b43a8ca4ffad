//! Bench data: bookings added straight into the database, and the availability figures
//! read through the service the API uses. Portable SQL (`$N` placeholders), so the same
//! code fills and measures SQLite and PostgreSQL.

use super::percentile;
use chrono::{Duration as Days, NaiveDate};
use leenpunt_server::service::reservations::availability;
use leenpunt_server::state::AppState;
use leenpunt_shared::Lang;
use std::time::Instant;

/// The day every bench runs on (its fixed clock).
pub const BENCH_TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 27) {
    Some(day) => day,
    None => panic!("a valid day"),
};

/// The kit type whose availability is measured.
pub const AVAILABILITY_KIT: &str = "bee-bot-set-klein";

/// A small deterministic generator (no dependency, same figures every run).
pub struct Lcg(pub u64);
impl Lcg {
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Adds `count` reservations spread over every kit type (or only over the kit type
/// `only`), with pickup days spread evenly over `span_days` from `first`: confirmed, or
/// returned when over by [`BENCH_TODAY`].
pub async fn add_reservations(
    pool: &sqlx::AnyPool,
    count: usize,
    seed: u64,
    first: NaiveDate,
    span_days: u64,
    only: Option<&str>,
) -> anyhow::Result<()> {
    let kits: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT k.kit_type_id, min(k.pickup_point_id) FROM kit_type_pickup_points k \
         JOIN kit_types t ON t.id = k.kit_type_id \
         WHERE CAST($1 AS TEXT) IS NULL OR t.slug = $1 GROUP BY k.kit_type_id",
    )
    .bind(only)
    .fetch_all(pool)
    .await?;
    anyhow::ensure!(!kits.is_empty(), "no kit type to book");
    let user: i64 = sqlx::query_scalar("SELECT id FROM users ORDER BY id LIMIT 1")
        .fetch_one(pool)
        .await?;
    let school: i64 = sqlx::query_scalar("SELECT id FROM schools ORDER BY id LIMIT 1")
        .fetch_one(pool)
        .await?;
    let mut rng = Lcg(seed);
    let rows: Vec<(i64, i64, NaiveDate, NaiveDate)> = (0..count)
        .map(|_| {
            let (kit, point) = kits[rng.next(kits.len() as u64) as usize];
            let pickup = first + Days::days(rng.next(span_days) as i64);
            let ret = pickup + Days::days(1 + rng.next(10) as i64);
            (kit, point, pickup, ret)
        })
        .collect();
    let mut tx = pool.begin().await?;
    // Many rows per statement: one statement per row took minutes on PostgreSQL.
    for batch in rows.chunks(250) {
        let values = (0..batch.len())
            .map(|i| {
                let n = i * 8;
                format!(
                    "(${}, ${}, ${}, ${}, 1, ${}, ${}, ${}, ${}, '', '')",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5,
                    n + 6,
                    n + 7,
                    n + 8
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
               return_date, held_until, status, created_at, updated_at) VALUES {values}"
        );
        let mut q = sqlx::query(&sql);
        for &(kit, point, pickup, ret) in batch {
            let held = ret + Days::days(2);
            // What is over by the benches' day came back, as real history does; left
            // confirmed, the overdue and no-show job found thousands of no-shows to mark
            // while the bench measured bookings.
            let status = if ret < BENCH_TODAY {
                "teruggebracht"
            } else {
                "bevestigd"
            };
            q = q
                .bind(kit)
                .bind(point)
                .bind(school)
                .bind(user)
                .bind(pickup.to_string())
                .bind(ret.to_string())
                .bind(held.to_string())
                .bind(status);
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Latency percentiles (p50, p95, p99 in ms) over `rounds` availability answers of
/// `months` months for `AVAILABILITY_KIT`, the windows starting in each month of 2027 in
/// turn; printed with `label`.
pub async fn availability_latency(
    state: &AppState,
    label: &str,
    months: u32,
    rounds: usize,
) -> anyhow::Result<[f64; 3]> {
    let mut times = Vec::with_capacity(rounds);
    for i in 0..rounds {
        let month = format!("2027-{:02}", 1 + i % 12);
        let started = Instant::now();
        let answer = availability(
            &state.db,
            state.clock.as_ref(),
            Lang::Nl,
            AVAILABILITY_KIT,
            None,
            Some(&month),
            months,
        )
        .await?;
        times.push(started.elapsed());
        anyhow::ensure!(answer.len() == months as usize, "one answer per month");
    }
    times.sort();
    let p = [
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 0.99),
    ];
    println!(
        "availability, {months:>2} month(s), {label}: p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms",
        p[0], p[1], p[2]
    );
    Ok(p)
}
