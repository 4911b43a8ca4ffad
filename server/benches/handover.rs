//! Hand-over benchmarks, server-side through the services the desk's HTTP handlers call:
//! a scan (what is this label?), a hand-over and a return, each one request. The desk is
//! busy: 20,000 earlier loans of the same kit type are in the history.
//!
//! Run with `cargo xtask bench`.

mod common;
use common::*;

use chrono::{Duration as Days, NaiveDate};
use leenpunt_server::config::Config;
use leenpunt_server::domain::clock::FixedClock;
use leenpunt_server::service::handover::{hand_over, scan, take_back};
use leenpunt_server::startup::build_state;
use leenpunt_shared::handover::{HandoverBody, ReturnBody};
use leenpunt_shared::{Lang, ReservationId, UserId};
use sqlx::Row;
use std::sync::Arc;
use std::time::Instant;

const ROUNDS: usize = 400;
const HISTORY: usize = 20_000;

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
        let clock = FixedClock::on(today);
        let state = build_state(config, Arc::new(clock)).await?;
        let pool = state.db.writer().clone();
        let (kit, point, unit): (i64, i64, i64) = sqlx::query_as(
            "SELECT k.id, x.pickup_point_id, u.id FROM kit_types k \
             JOIN kit_type_pickup_points x ON x.kit_type_id = k.id JOIN units u ON u.kit_type_id = k.id \
             WHERE k.slug = 'bee-bot-set-klein' AND u.inventory_code = 'BB-K-01' LIMIT 1",
        )
        .fetch_one(&pool)
        .await?;
        let code: String = sqlx::query_scalar("SELECT code FROM unit_tags WHERE unit_id = ? AND retired_at IS NULL")
            .bind(unit)
            .fetch_one(&pool)
            .await?;
        let (user, school): (i64, i64) =
            sqlx::query_as("SELECT user_id, school_id FROM user_roles WHERE role = 'teacher' LIMIT 1")
                .fetch_one(&pool)
                .await?;
        // History: earlier loans, returned; then the loans the rounds hand over today.
        let mut tx = pool.begin().await?;
        let insert = |pickup: NaiveDate, status: &'static str| {
            sqlx::query(
                "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
                   return_date, held_until, status, note, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, '', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00') RETURNING id",
            )
            .bind(kit)
            .bind(point)
            .bind(school)
            .bind(user)
            .bind(pickup.to_string())
            .bind((pickup + Days::days(3)).to_string())
            .bind((pickup + Days::days(5)).to_string())
            .bind(status)
        };
        for i in 0..HISTORY {
            let pickup = today - Days::days(10 + (i as i64 % 3000));
            let id: i64 = insert(pickup, "teruggebracht").fetch_one(&mut *tx).await?.get(0);
            sqlx::query(
                "INSERT INTO loan_lines (reservation_id, unit_id, handed_out_at, returned_at) VALUES (?, ?, ?, ?)",
            )
            .bind(id)
            .bind(unit)
            .bind("2026-01-01T09:00:00+00:00")
            .bind("2026-01-04T09:00:00+00:00")
            .execute(&mut *tx)
            .await?;
        }
        let mut today_loans = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            let id: i64 = insert(today, "bevestigd").fetch_one(&mut *tx).await?.get(0);
            today_loans.push(ReservationId(id));
        }
        tx.commit().await?;
        let desk_user: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'ambassadeur@demo.leenpunt.be'")
            .fetch_one(&pool)
            .await?;
        let desk = state.db.actor(UserId(desk_user)).await?;
        let public_url = "https://leenpunt.example";
        let (mut scans, mut outs, mut ins) = (Vec::new(), Vec::new(), Vec::new());
        for id in today_loans {
            let started = Instant::now();
            scan(&state.db, &desk, Lang::Nl, &code).await?;
            scans.push(started.elapsed());
            let started = Instant::now();
            let body = HandoverBody { code: code.clone(), override_reason: String::new() };
            let out = hand_over(&state.db, &clock, public_url, &desk, Lang::Nl, id, &body).await?;
            outs.push(started.elapsed());
            assert!(!out.already);
            let started = Instant::now();
            let back = ReturnBody { code: code.clone(), parts: Vec::new(), damage: String::new() };
            let done = take_back(&state.db, &clock, public_url, &desk, Lang::Nl, &back).await?;
            ins.push(started.elapsed());
            assert!(done.loan_complete);
        }
        report(&format!("scan a label ({HISTORY} earlier loans of the unit)"), scans);
        report("hand over one unit (qualification re-check, receipt mail)", outs);
        report("take one unit back (contents checked, receipt mail)", ins);
        Ok(())
    })
}
