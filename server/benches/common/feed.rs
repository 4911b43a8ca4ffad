//! The calendar feed bench data: a teacher's feed of `FEED_EVENTS` loans, and the time to
//! build it from scratch through the service the `/agenda/…` handler calls.

use chrono::{Duration as Days, NaiveDate};
use leenpunt_server::domain::ical::conditional::{Coding, Conditions};
use leenpunt_server::domain::policy::{Actor, RoleGrant};
use leenpunt_server::service::feeds::{create, serve, FeedCache, FeedRequest, NewFeed, Served};
use leenpunt_server::state::AppState;
use leenpunt_shared::{Lang, Role, SchoolId, UserId};
use std::time::{Duration, Instant};

pub const FEED_EVENTS: usize = 500;
pub const FEED_PUBLIC_URL: &str = "https://leenpunt.example";

/// Adds `FEED_EVENTS` loans of the first teacher's school at pickup points without fixed
/// hand-over hours (one event each), makes that teacher's feed and returns its token.
pub async fn feed_fixture(state: &AppState, today: NaiveDate) -> anyhow::Result<String> {
    let pool = state.db.writer().clone();
    let (user, school): (i64, i64) = sqlx::query_as(
        "SELECT user_id, school_id FROM user_roles WHERE role = 'teacher' ORDER BY user_id LIMIT 1",
    )
    .fetch_one(&pool)
    .await?;
    let kits: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT x.kit_type_id, x.pickup_point_id FROM kit_type_pickup_points x \
         JOIN pickup_points pp ON pp.id = x.pickup_point_id WHERE pp.handover_from IS NULL \
         ORDER BY x.kit_type_id, x.pickup_point_id",
    )
    .fetch_all(&pool)
    .await?;
    anyhow::ensure!(!kits.is_empty(), "no pickup point without hand-over hours");
    let mut tx = pool.begin().await?;
    for i in 0..FEED_EVENTS {
        let (kit, point) = kits[i % kits.len()];
        let pickup = today + Days::days(7 + (i as i64 % 300));
        sqlx::query(
            "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
               return_date, held_until, status, note, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 1, $5, $6, $7, 'bevestigd', 'Klas 3B, met de tablethouders', $8, $9)",
        )
        .bind(kit)
        .bind(point)
        .bind(school)
        .bind(user)
        .bind(pickup.to_string())
        .bind((pickup + Days::days(4)).to_string())
        .bind((pickup + Days::days(6)).to_string())
        .bind("2026-11-20T10:00:00+00:00")
        .bind("2026-11-21T10:00:00+00:00")
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let actor = Actor {
        user: Some(UserId(user)),
        grants: vec![RoleGrant {
            role: Role::Teacher,
            school: Some(SchoolId(school)),
            partner: None,
        }],
    };
    let link = create(
        &state.db,
        state.clock.as_ref(),
        FEED_PUBLIC_URL,
        &actor,
        Lang::Nl,
        &NewFeed {
            scope: "user".into(),
            school: None,
            kit: None,
            pickup: None,
        },
    )
    .await?;
    let url = link.url.unwrap_or_default();
    Ok(url
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".ics")
        .to_owned())
}

/// A feed request as the handler makes it.
pub fn feed_request<'a>(token: &'a str, coding: Coding, etag: Option<&'a str>) -> FeedRequest<'a> {
    FeedRequest {
        token,
        conditions: Conditions {
            if_none_match: etag,
            if_modified_since: None,
        },
        coding,
    }
}

/// What building the feed `rounds` times without a cache gave: the timings, the last body
/// and its entity tag.
pub struct FeedBuilds {
    pub times: Vec<Duration>,
    pub body: Vec<u8>,
    pub etag: String,
}

/// Builds the feed of `token` `rounds` times from scratch (a cache with no room).
pub async fn feed_builds(
    state: &AppState,
    token: &str,
    rounds: usize,
) -> anyhow::Result<FeedBuilds> {
    let none = FeedCache::with_budget(0);
    let mut out = FeedBuilds {
        times: Vec::with_capacity(rounds),
        body: Vec::new(),
        etag: String::new(),
    };
    for _ in 0..rounds {
        let started = Instant::now();
        let served = serve(
            &state.db,
            &none,
            state.clock.as_ref(),
            FEED_PUBLIC_URL,
            &feed_request(token, Coding::Identity, None),
        )
        .await?;
        out.times.push(started.elapsed());
        match served {
            Served::Calendar { etag, body, .. } => {
                out.body = body.to_vec();
                out.etag = etag;
            }
            other => anyhow::bail!("a full feed was expected, got {other:?}"),
        }
    }
    Ok(out)
}
