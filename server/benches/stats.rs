//! "In cijfers" benchmark, server-side through the services the pages and the API call:
//! five school years of history (500,000 reservations over 200 kit types and 700 schools),
//! the report of one school year (with the previous year beside it) as an admin and as a
//! partner admin, and the public page (cached, and right after a change).
//!
//! Run with `cargo xtask bench`.

mod common;

use chrono::{Duration as Days, NaiveDate};
use leenpunt_server::config::Config;
use leenpunt_server::domain::clock::FixedClock;
use leenpunt_server::domain::policy::{Actor, RoleGrant};
use leenpunt_server::service::stats::{public, report, StatsCache};
use leenpunt_server::startup::build_state;
use leenpunt_shared::{Lang, PartnerId, Role, UserId};
use std::sync::Arc;
use std::time::Instant;

const RESERVATIONS: u64 = 500_000;
const KIT_TYPES: i64 = 200;
const SCHOOLS: i64 = 700;
const ROUNDS: usize = 40;
const PUBLIC_ROUNDS: usize = 400;

/// A small deterministic generator (no dependency, same figures every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

const LEVELS: [&str; 7] = [
    "kleuter;lager",
    "lager",
    "so-1;so-2;so-3",
    "so-2;so-3",
    "kleuter;lager;so-1",
    "buitengewoon",
    "volwassenen",
];
const STATUSES: [&str; 10] = [
    "teruggebracht",
    "teruggebracht",
    "teruggebracht",
    "teruggebracht",
    "teruggebracht",
    "teruggebracht",
    "afgehaald",
    "geannuleerd",
    "niet-afgehaald",
    "bevestigd",
];

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let dir = tempfile::tempdir()?;
        let config = Config {
            data_dir: dir.path().to_path_buf(),
            demo_data: true,
            // The bench measures the report, not the reminder and overdue jobs.
            run_jobs: false,
            ..Config::default()
        };
        let today = common::BENCH_TODAY;
        let clock = FixedClock::on(today);
        let state = build_state(config, Arc::new(clock)).await?;
        let pool = state.db.writer().clone();
        let started = Instant::now();
        let mut rng = Lcg(42);
        let mut tx = pool.begin().await?;
        let now = "2021-08-01T08:00:00+00:00";
        // Up to 200 kit types and 700 schools.
        let kits: i64 = sqlx::query_scalar("SELECT count(*) FROM kit_types").fetch_one(&mut *tx).await?;
        for i in kits..KIT_TYPES {
            sqlx::query(
                "INSERT INTO kit_types (slug, title, kind, partner_id, created_at, updated_at) \
                 SELECT ?, ?, 'uitleen', id, ?, ? FROM partners ORDER BY id LIMIT 1 OFFSET ?",
            )
            .bind(format!("bench-kit-{i}"))
            .bind(format!("Bench kit {i}"))
            .bind(now)
            .bind(now)
            .bind(i % 10)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT OR IGNORE INTO kit_type_pickup_points (kit_type_id, pickup_point_id) \
             SELECT k.id, (SELECT id FROM pickup_points p WHERE p.partner_id = k.partner_id LIMIT 1) \
             FROM kit_types k WHERE k.slug LIKE 'bench-kit-%'",
        )
        .execute(&mut *tx)
        .await?;
        let schools: i64 = sqlx::query_scalar("SELECT count(*) FROM schools").fetch_one(&mut *tx).await?;
        for i in schools..SCHOOLS {
            sqlx::query(
                "INSERT INTO schools (instellingsnummer, name, municipality, network, levels) \
                 VALUES (?, ?, ?, 'go', ?)",
            )
            .bind(format!("9{:05}", i))
            .bind(format!("Bench school {i}"))
            .bind(format!("Gemeente {}", i % 64))
            .bind(LEVELS[(i % 7) as usize])
            .execute(&mut *tx)
            .await?;
        }
        let kits: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT k.id, x.pickup_point_id FROM kit_types k \
             JOIN kit_type_pickup_points x ON x.kit_type_id = k.id GROUP BY k.id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let schools: Vec<i64> = sqlx::query_scalar("SELECT id FROM schools").fetch_all(&mut *tx).await?;
        let user: i64 = sqlx::query_scalar("SELECT id FROM users LIMIT 1").fetch_one(&mut *tx).await?;
        // Five school years: 1 September 2021 – 31 August 2026.
        let first = NaiveDate::from_ymd_opt(2021, 9, 1).expect("date");
        for _ in 0..RESERVATIONS {
            let (kit, point) = kits[rng.next(kits.len() as u64) as usize];
            let school = schools[rng.next(schools.len() as u64) as usize];
            let pickup = first + Days::days(rng.next(1826) as i64);
            let ret = pickup + Days::days(1 + rng.next(14) as i64);
            sqlx::query(
                "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
                   return_date, held_until, status, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(kit)
            .bind(point)
            .bind(school)
            .bind(user)
            .bind(1 + rng.next(3) as i64)
            .bind(pickup.to_string())
            .bind(ret.to_string())
            .bind((ret + Days::days(1)).to_string())
            .bind(STATUSES[rng.next(STATUSES.len() as u64) as usize])
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for _ in 0..RESERVATIONS / 25 {
            let (kit, point) = kits[rng.next(kits.len() as u64) as usize];
            let pickup = first + Days::days(rng.next(1826) as i64);
            sqlx::query(
                "INSERT INTO waitlist (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
                   return_date, status, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, 'vervallen', ?, ?)",
            )
            .bind(kit)
            .bind(point)
            .bind(schools[rng.next(schools.len() as u64) as usize])
            .bind(user)
            .bind(pickup.to_string())
            .bind(pickup.to_string())
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        sqlx::query("ANALYZE").execute(&pool).await?;
        println!(
            "stats: {RESERVATIONS} reservations, {} kit types, {} schools generated in {:.1} s",
            kits.len(),
            schools.len(),
            started.elapsed().as_secs_f64()
        );

        let admin = Actor {
            user: Some(UserId(1)),
            grants: vec![RoleGrant { role: Role::Admin, school: None, partner: None }],
        };
        let partner = Actor {
            user: Some(UserId(1)),
            grants: vec![RoleGrant { role: Role::PartnerAdmin, school: None, partner: Some(PartnerId(1)) }],
        };
        let year = (Some("2025-09-01"), Some("2026-08-31"));
        // Cold: a server that has kept nothing yet reads both years' loans.
        let mut times = Vec::new();
        for _ in 0..5 {
            let cache = StatsCache::default();
            let t = Instant::now();
            report(&state.db, &clock, &cache, &admin, Lang::Nl, year.0, year.1).await?;
            times.push(t.elapsed());
        }
        report_times("stats report, one school year, as admin, cold (nothing kept)", times);
        let cache = StatsCache::default();
        for (who, actor) in [("admin", &admin), ("partner admin", &partner)] {
            let mut times = Vec::with_capacity(ROUNDS);
            let mut loans = 0;
            for _ in 0..ROUNDS {
                let t = Instant::now();
                let r = report(&state.db, &clock, &cache, actor, Lang::Nl, year.0, year.1).await?;
                times.push(t.elapsed());
                loans = r.totals.values[0];
            }
            report_times(&format!("stats report, one school year, as {who} ({loans} loans)"), times);
        }
        // A hand-over in the period: its month is read again, the others are kept.
        let mut times = Vec::with_capacity(ROUNDS);
        for i in 0..ROUNDS {
            let id: i64 = sqlx::query_scalar(
                "SELECT id FROM reservations WHERE pickup_date BETWEEN '2026-03-01' AND '2026-03-31' \
                 AND status = 'bevestigd' LIMIT 1 OFFSET ?",
            )
            .bind(i as i64)
            .fetch_one(&pool)
            .await?;
            sqlx::query("UPDATE reservations SET status = 'afgehaald' WHERE id = ?").bind(id).execute(&pool).await?;
            let t = Instant::now();
            report(&state.db, &clock, &cache, &admin, Lang::Nl, year.0, year.1).await?;
            times.push(t.elapsed());
        }
        report_times("stats report, one school year, as admin, right after a hand-over in it", times);

        let cache = StatsCache::default();
        let t = Instant::now();
        public(&state.db, &clock, &cache, Lang::Nl).await?;
        println!("stats public page, first (uncached): {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
        let mut times = Vec::with_capacity(PUBLIC_ROUNDS);
        for _ in 0..PUBLIC_ROUNDS {
            let t = Instant::now();
            public(&state.db, &clock, &cache, Lang::Nl).await?;
            times.push(t.elapsed());
        }
        report_times("stats public page (cached, version checked)", times);
        // After a change the figures are made again once.
        let mut times = Vec::new();
        for _ in 0..10 {
            sqlx::query("UPDATE reservations SET note = 'x' WHERE id = 1").execute(&pool).await?;
            let t = Instant::now();
            public(&state.db, &clock, &cache, Lang::Nl).await?;
            times.push(t.elapsed());
        }
        report_times("stats public page right after a change (recomputed)", times);
        Ok(())
    })
}

fn report_times(label: &str, times: Vec<std::time::Duration>) {
    common::report(label, times);
}
