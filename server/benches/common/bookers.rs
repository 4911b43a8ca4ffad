//! The real server over HTTP on loopback, and teachers booking through it: one or more
//! app instances (each its own state, pools and listener, as separate processes have),
//! teachers signed in, and bookers sending `POST /api/v1/reservations` side by side.
//! Portable SQL, so the same load runs on SQLite and PostgreSQL.

use super::percentile;
use chrono::{Duration as Days, NaiveDate};
use leenpunt_server::config::Config;
use leenpunt_server::domain::clock::SharedClock;
use leenpunt_server::domain::reservations::{ClosedPeriod, OpenCalendar};
use leenpunt_server::startup::{build_state, serve_app, ConnectionLimits};
use leenpunt_server::state::AppState;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The pickup point whose loan kit types the bookers book.
pub const KIT_POINT: &str = "stem-rtc-brugge";

/// One app instance serving the real router on a free loopback port.
pub struct Instance {
    pub base: String,
    pub state: AppState,
}

impl Instance {
    /// Builds the state from `config` (its `bind` is replaced by the port found) and serves.
    pub async fn start(mut config: Config, clock: SharedClock) -> anyhow::Result<Instance> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        config.bind = listener.local_addr()?;
        let base = format!("http://{}", config.bind);
        let limits = ConnectionLimits::from_config(&config);
        let state = build_state(config, clock).await?;
        Instance::serve(listener, state.clone(), limits);
        Ok(Instance { base, state })
    }

    /// Serves `state` on a new port of its own; returns its base URL.
    pub async fn spawn(state: AppState) -> anyhow::Result<String> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let limits = ConnectionLimits::from_config(&state.config);
        Instance::serve(listener, state, limits);
        Ok(base)
    }

    fn serve(listener: tokio::net::TcpListener, state: AppState, limits: ConnectionLimits) {
        let app = leenpunt_server::http::router(state);
        tokio::spawn(serve_app(listener, app, limits, std::future::pending()));
    }
}

/// The bookers' side: the kit types they book, the days they book on, one HTTP client.
pub struct Bookers {
    pub client: reqwest::Client,
    pub kits: Vec<String>,
    /// Pickup days (a booking runs to the next day) on which the pickup point is open both
    /// days, so that every booking can be accepted.
    pub days: Vec<NaiveDate>,
}

/// One booking's answer.
pub struct Booked {
    pub latency: Duration,
    /// 0 when no answer came.
    pub status: u16,
    pub id: Option<i64>,
}

/// What a run of concurrent bookers gave.
pub struct Load {
    pub elapsed: Duration,
    /// Sorted.
    pub times: Vec<Duration>,
    pub statuses: Vec<u16>,
}

impl Load {
    pub fn created(&self) -> usize {
        self.statuses.iter().filter(|s| **s == 201).count()
    }

    /// Bookings created per second.
    pub fn rate(&self) -> f64 {
        self.created() as f64 / self.elapsed.as_secs_f64()
    }

    pub fn p(&self, q: f64) -> f64 {
        percentile(&self.times, q)
    }

    /// `201×…, 409×…` counted.
    pub fn tally(&self) -> String {
        tally(&self.statuses)
    }
}

pub fn tally(statuses: &[u16]) -> String {
    let mut counts = std::collections::BTreeMap::new();
    for s in statuses {
        *counts.entry(*s).or_insert(0) += 1;
    }
    counts
        .iter()
        .map(|(s, n)| format!("{s}×{n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Bookers {
    /// Opens up the loan kit types of `KIT_POINT` that need no training (no per-school
    /// limit, a long horizon, no lead time or approval, forty more units each, codes
    /// starting with `tag`) and lists the open days from `today` on.
    pub async fn prepare(state: &AppState, today: NaiveDate, tag: &str) -> anyhow::Result<Bookers> {
        let pool = state.db.writer();
        let kits: Vec<(i64, String)> = sqlx::query_as(
            "SELECT k.id, k.slug FROM kit_types k JOIN kit_type_pickup_points x ON x.kit_type_id = k.id \
             JOIN pickup_points pp ON pp.id = x.pickup_point_id \
             WHERE pp.slug = $1 AND k.kind = 'uitleen' \
             AND k.id NOT IN (SELECT kit_type_id FROM kit_type_trainings) ORDER BY k.id",
        )
        .bind(KIT_POINT)
        .fetch_all(pool)
        .await?;
        anyhow::ensure!(
            !kits.is_empty(),
            "no loan kit without training at {KIT_POINT}"
        );
        let mut tx = pool.begin().await?;
        for (kit, _) in &kits {
            sqlx::query(
                "UPDATE kit_types SET max_per_school = 1000000, horizon_days = 700, \
                 lead_days = 0, needs_approval = 0 WHERE id = $1",
            )
            .bind(kit)
            .execute(&mut *tx)
            .await?;
            for i in 0..40 {
                sqlx::query(
                    "INSERT INTO units (kit_type_id, inventory_code, created_at) VALUES ($1, $2, '')",
                )
                .bind(kit)
                .bind(format!("{tag}-{kit}-{i:02}"))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        let closed: Vec<ClosedPeriod> = sqlx::query_as::<_, (String, String, String)>(
            "SELECT first_day, last_day, reason FROM closed_periods",
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(first, last, reason)| {
            Ok(ClosedPeriod {
                first: NaiveDate::parse_from_str(&first, "%Y-%m-%d")?,
                last: NaiveDate::parse_from_str(&last, "%Y-%m-%d")?,
                reason,
            })
        })
        .collect::<anyhow::Result<_>>()?;
        let calendar = OpenCalendar::new(OpenCalendar::WORKDAYS, &closed);
        let days = (14..500)
            .map(|n| today + Days::days(n))
            .filter(|d| calendar.is_open(*d) && calendar.is_open(*d + Days::days(1)))
            .collect();
        Ok(Bookers {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .pool_max_idle_per_host(64)
                .build()?,
            kits: kits.into_iter().map(|(_, slug)| slug).collect(),
            days,
        })
    }

    /// `n` teachers of different schools, made in `state`'s database and signed in through
    /// `base` (from addresses of their own, behind the trusted proxy, so the sign-in
    /// throttle does not count them as one); their cookies.
    pub async fn teachers(
        &self,
        state: &AppState,
        base: &str,
        n: usize,
        tag: &str,
    ) -> anyhow::Result<Vec<String>> {
        use leenpunt_server::db::accounts::{insert_user, NewUser};
        use leenpunt_server::domain::policy::RoleGrant;
        let hash = leenpunt_server::domain::auth::hash_password("bench-wachtwoord");
        let schools: Vec<i64> = sqlx::query_scalar("SELECT id FROM schools ORDER BY id LIMIT $1")
            .bind(n as i64)
            .fetch_all(state.db.pool())
            .await?;
        anyhow::ensure!(schools.len() == n, "{n} schools");
        let mut cookies = Vec::new();
        for (i, school) in schools.iter().enumerate() {
            let email = format!("{tag}{i}@school.be");
            let mut conn = state.db.writer().acquire().await?;
            insert_user(
                &mut conn,
                &NewUser {
                    email: leenpunt_shared::Email::parse(&email)?,
                    name: format!("Bench {i}"),
                    password_hash: Some(hash.clone()),
                    confirmed: true,
                    grants: vec![RoleGrant {
                        role: leenpunt_shared::Role::Teacher,
                        school: Some(leenpunt_shared::SchoolId(*school)),
                        partner: None,
                    }],
                },
                "2026-01-01T00:00:00+00:00",
            )
            .await?;
            drop(conn);
            let r = self
                .client
                .post(format!("{base}/api/v1/session"))
                .header("x-forwarded-for", format!("10.1.{}.{}", i / 250, i % 250))
                .json(&json!({ "email": email, "password": "bench-wachtwoord" }))
                .send()
                .await?;
            anyhow::ensure!(r.status() == 204, "login {}", r.status());
            let cookie = r.headers()["set-cookie"]
                .to_str()?
                .split(';')
                .next()
                .unwrap_or_default()
                .to_owned();
            cookies.push(cookie);
        }
        Ok(cookies)
    }

    /// Books one unit of a kit type for a day and the next, both chosen by `round`, through
    /// `base`.
    pub async fn book(&self, base: &str, cookie: &str, round: usize) -> Booked {
        let pickup = self.days[round % self.days.len()];
        let body = json!({
            "kit": self.kits[(round / self.days.len()) % self.kits.len()],
            "pickup_point": KIT_POINT,
            "pickup_date": pickup.to_string(),
            "return_date": (pickup + Days::days(1)).to_string(),
            "quantity": 1
        });
        let started = Instant::now();
        let r = self
            .client
            .post(format!("{base}/api/v1/reservations"))
            .header("cookie", cookie)
            .header("origin", base)
            .json(&body)
            .send()
            .await;
        let latency = started.elapsed();
        let Ok(r) = r else {
            return Booked {
                latency,
                status: 0,
                id: None,
            };
        };
        let status = r.status().as_u16();
        let id = if status == 201 {
            r.json::<serde_json::Value>()
                .await
                .ok()
                .and_then(|v| v["id"].as_i64())
        } else {
            None
        };
        Booked {
            latency,
            status,
            id,
        }
    }

    /// Cancels a booking through `base`.
    pub async fn cancel(&self, base: &str, cookie: &str, id: i64) {
        let _ = self
            .client
            .post(format!("{base}/api/v1/reservations/{id}/cancel"))
            .header("cookie", cookie)
            .header("origin", base)
            .send()
            .await;
    }

    /// One booker per cookie, each making `rounds` bookings one after the other through
    /// the instance `bases[i % bases.len()]` (so two instances share the bookers), and
    /// cancelling each one again when `cancel`. Rounds start at `first_round`, so that
    /// runs on one database book other days.
    pub async fn run(
        self: &Arc<Self>,
        bases: &[String],
        cookies: &[String],
        rounds: usize,
        first_round: usize,
        cancel: bool,
    ) -> Load {
        let started = Instant::now();
        let mut set = tokio::task::JoinSet::new();
        for (i, cookie) in cookies.iter().enumerate() {
            let (bookers, cookie) = (self.clone(), cookie.clone());
            let base = bases[i % bases.len()].clone();
            set.spawn(async move {
                let mut out = Vec::with_capacity(rounds);
                for r in 0..rounds {
                    // Bookers interleave, so that neighbours book other kit types and days.
                    let round = first_round + r * 16 + i % 16 + (i / 16) * rounds * 16;
                    let booked = bookers.book(&base, &cookie, round).await;
                    if let (true, Some(id)) = (cancel, booked.id) {
                        bookers.cancel(&base, &cookie, id).await;
                    }
                    out.push((booked.latency, booked.status));
                }
                out
            });
        }
        let mut times = Vec::new();
        let mut statuses = Vec::new();
        while let Some(r) = set.join_next().await {
            for (t, s) in r.unwrap_or_default() {
                times.push(t);
                statuses.push(s);
            }
        }
        let elapsed = started.elapsed();
        times.sort();
        Load {
            elapsed,
            times,
            statuses,
        }
    }
}
