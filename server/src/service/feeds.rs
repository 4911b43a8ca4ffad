//! Calendar feeds: create, regenerate and revoke subscription links; serve a feed with an
//! ETag computed from a cheap fingerprint, so unchanged feeds answer 304 without work.

use super::accounts::token_hash;
use crate::db::feeds::{FeedRow, FeedScope};
use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::ical;
use crate::domain::policy::{allows, Action, Actor};
use crate::error::{AppError, Result};
use chrono::Duration;
use leenpunt_shared::{KitTypeId, Lang, PartnerId, PickupPointId, ReservationId, SchoolId};
use sha2::{Digest, Sha256};

/// Who may hold a feed of a scope (checked at creation and again at every read, so a
/// feed never shows more than its owner may see today).
async fn may_follow(db: &Db, actor: &Actor, scope: FeedScope) -> Result<bool> {
    Ok(match scope {
        FeedScope::User => actor.user.is_some(),
        FeedScope::School(s) => allows(actor, Action::ViewSchool(s)),
        FeedScope::Kit(k) => {
            let partner: Option<i64> =
                sqlx::query_scalar("SELECT partner_id FROM kit_types WHERE id = ?")
                    .bind(k.0)
                    .fetch_optional(db.pool())
                    .await
                    .map_err(crate::db::DbError::from)?;
            partner.is_some_and(|p| allows(actor, Action::HandleReservationsOf(PartnerId(p))))
        }
        FeedScope::Pickup(p) => {
            let partner: Option<i64> =
                sqlx::query_scalar("SELECT partner_id FROM pickup_points WHERE id = ?")
                    .bind(p.0)
                    .fetch_optional(db.pool())
                    .await
                    .map_err(crate::db::DbError::from)?;
            partner.is_some_and(|p| allows(actor, Action::HandleReservationsOf(PartnerId(p))))
        }
    })
}

/// A feed link: the secret URL is only known right after creating or regenerating it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FeedLink {
    pub id: i64,
    /// `user`, `school`, `kit` or `pickup`.
    pub scope: String,
    pub label: String,
    pub created_at: String,
    /// `https://…/agenda/<token>.ics`; only in the answer that created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webcal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlook: Option<String>,
}

fn scope_code(s: FeedScope) -> &'static str {
    match s {
        FeedScope::User => "user",
        FeedScope::School(_) => "school",
        FeedScope::Kit(_) => "kit",
        FeedScope::Pickup(_) => "pickup",
    }
}

fn link(row: &FeedRow, public_url: &str, token: Option<&str>) -> FeedLink {
    let url = token.map(|t| format!("{}/agenda/{t}.ics", public_url.trim_end_matches('/')));
    let webcal = url.as_ref().map(|u| {
        let rest = u.split_once("://").map(|(_, r)| r).unwrap_or(u);
        format!("webcal://{rest}")
    });
    let enc = |s: &str| leenpunt_shared::query::encode_component(s);
    FeedLink {
        id: row.id,
        scope: scope_code(row.scope).to_owned(),
        label: row.label.clone(),
        created_at: row.created_at.clone(),
        google: webcal
            .as_ref()
            .map(|w| format!("https://calendar.google.com/calendar/render?cid={}", enc(w))),
        outlook: url.as_ref().map(|u| {
            format!(
                "https://outlook.live.com/calendar/0/addfromweb?url={}&name={}",
                enc(u),
                enc("Leenpunt")
            )
        }),
        url,
        webcal,
    }
}

/// What someone asks a feed of.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct NewFeed {
    /// `user` (default), `school`, `kit` or `pickup`.
    #[serde(default)]
    pub scope: String,
    /// The school's instellingsnummer, for `school`.
    pub school: Option<String>,
    /// The kit type's slug, for `kit`.
    pub kit: Option<String>,
    /// The pickup point's slug, for `pickup`.
    pub pickup: Option<String>,
}

async fn resolve(db: &Db, body: &NewFeed, lang: Lang) -> Result<FeedScope> {
    let missing = |field: &str| {
        AppError::Validation(vec![leenpunt_shared::FieldError::new(
            field,
            match lang {
                Lang::Nl => "Onbekend of ontbrekend.",
                Lang::En => "Unknown or missing.",
            },
        )])
    };
    let id_of = |sql: &'static str, value: Option<String>| async move {
        match value {
            Some(v) => sqlx::query_scalar::<_, i64>(sql)
                .bind(v)
                .fetch_optional(db.pool())
                .await
                .map_err(crate::db::DbError::from),
            None => Ok(None),
        }
    };
    Ok(match body.scope.as_str() {
        "" | "user" => FeedScope::User,
        "school" => FeedScope::School(SchoolId(
            id_of(
                "SELECT id FROM schools WHERE instellingsnummer = ?",
                body.school.clone(),
            )
            .await?
            .ok_or_else(|| missing("school"))?,
        )),
        "kit" => FeedScope::Kit(KitTypeId(
            id_of("SELECT id FROM kit_types WHERE slug = ?", body.kit.clone())
                .await?
                .ok_or_else(|| missing("kit"))?,
        )),
        "pickup" => FeedScope::Pickup(PickupPointId(
            id_of(
                "SELECT id FROM pickup_points WHERE slug = ?",
                body.pickup.clone(),
            )
            .await?
            .ok_or_else(|| missing("pickup"))?,
        )),
        _ => return Err(missing("scope")),
    })
}

/// Creates a feed link for something the person may see.
pub async fn create(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    body: &NewFeed,
) -> Result<FeedLink> {
    let owner = actor.user.ok_or(AppError::Unauthorized)?;
    let scope = resolve(db, body, lang).await?;
    if !may_follow(db, actor, scope).await? {
        return Err(AppError::Forbidden);
    }
    let token = super::signup::random_token();
    let id = db
        .insert_feed(&token_hash(&token), owner, scope, &clock.now().to_rfc3339())
        .await?;
    let row = db.feed_by_id(id).await?.ok_or(AppError::NotFound)?;
    Ok(link(&row, public_url, Some(&token)))
}

/// The person's active feeds (without their secret URLs).
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<FeedLink>> {
    let owner = actor.user.ok_or(AppError::Unauthorized)?;
    Ok(db
        .feeds_of(owner)
        .await?
        .iter()
        .map(|f| link(f, "", None))
        .collect())
}

async fn own(db: &Db, actor: &Actor, id: i64) -> Result<FeedRow> {
    let owner = actor.user.ok_or(AppError::Unauthorized)?;
    db.feed_by_id(id)
        .await?
        .filter(|f| f.owner == owner)
        .ok_or(AppError::NotFound)
}

/// Revokes a feed: its link answers 404 from now on.
pub async fn revoke(db: &Db, clock: &dyn Clock, actor: &Actor, id: i64) -> Result<()> {
    let feed = own(db, actor, id).await?;
    db.revoke_feed(feed.id, &clock.now().to_rfc3339()).await?;
    Ok(())
}

/// Replaces a feed's link by a new one; the old link dies.
pub async fn regenerate(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    id: i64,
) -> Result<FeedLink> {
    let feed = own(db, actor, id).await?;
    let now = clock.now().to_rfc3339();
    let token = super::signup::random_token();
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE calendar_feeds SET revoked_at = ? WHERE id = ?")
        .bind(&now)
        .bind(feed.id)
        .execute(&mut *tx)
        .await
        .map_err(crate::db::DbError::from)?;
    tx.commit().await.map_err(crate::db::DbError::from)?;
    let id = db
        .insert_feed(&token_hash(&token), feed.owner, feed.scope, &now)
        .await?;
    let row = db.feed_by_id(id).await?.ok_or(AppError::NotFound)?;
    Ok(link(&row, public_url, Some(&token)))
}

/// A served feed.
#[derive(Debug)]
pub enum Served {
    /// The client's copy is current.
    NotModified { etag: String },
    Calendar {
        etag: String,
        last_modified: Option<String>,
        body: String,
    },
}

/// Serves a feed by its token: 404 for an unknown or revoked token, or when the owner may
/// no longer see what it shows.
pub async fn serve(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    token: &str,
    if_none_match: Option<&str>,
) -> Result<Served> {
    let feed = db
        .feed_by_token(&token_hash(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let owner = db.actor(feed.owner).await?;
    if !may_follow(db, &owner, feed.scope).await? {
        return Err(AppError::NotFound);
    }
    let lang: Lang = sqlx::query_scalar::<_, String>("SELECT lang FROM users WHERE id = ?")
        .bind(feed.owner.0)
        .fetch_one(db.pool())
        .await
        .map_err(crate::db::DbError::from)
        .map(|l| Lang::parse(&l).unwrap_or_default())?;
    let since = today(clock) - Duration::days(90);
    let cancelled_since = (clock.now() - Duration::days(30)).to_rfc3339();
    let (count, newest, revisions) = db
        .feed_fingerprint(feed.scope, feed.owner, since, &cancelled_since)
        .await?;
    let fingerprint = format!(
        "{}|{}|{count}|{}|{revisions}|{since}",
        feed.id,
        lang.code(),
        newest.as_deref().unwrap_or("")
    );
    let digest = Sha256::digest(fingerprint.as_bytes());
    let etag = format!(
        "\"{}\"",
        digest
            .iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    if if_none_match.is_some_and(|h| h.split(',').any(|t| t.trim() == etag || t.trim() == "*")) {
        return Ok(Served::NotModified { etag });
    }
    let base = public_url.trim_end_matches('/');
    let items = db
        .feed_items(
            feed.scope,
            feed.owner,
            since,
            &cancelled_since,
            &format!("{base}/mijn-reservaties"),
        )
        .await?;
    let name = match (feed.scope, lang) {
        (FeedScope::User, Lang::Nl) => "Mijn Leenpunt".to_owned(),
        (FeedScope::User, Lang::En) => "My Leenpunt".to_owned(),
        (_, _) => format!("Leenpunt: {}", feed.label),
    };
    let body = ical::feed(&name, &host(public_url), lang, &items);
    let last_modified = newest
        .as_deref()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .format("%a, %d %b %Y %H:%M:%S GMT")
                .to_string()
        });
    Ok(Served::Calendar {
        etag,
        last_modified,
        body,
    })
}

fn host(public_url: &str) -> String {
    public_url
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(public_url)
        .split('/')
        .next()
        .unwrap_or("leenpunt")
        .to_owned()
}

/// One reservation as an .ics file ("add to my calendar"), for who may see it.
pub async fn reservation_ics(
    db: &Db,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    id: ReservationId,
) -> Result<String> {
    // The same visibility as the reservation itself.
    super::reservations::get(db, actor, id).await?;
    let base = public_url.trim_end_matches('/');
    let item = db
        .feed_item(id, &format!("{base}/mijn-reservaties"))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ical::feed("Leenpunt", &host(public_url), lang, &[item]))
}

/// The calendar page's data for someone signed in.
pub async fn screen(db: &Db, actor: &Actor) -> Result<leenpunt_shared::reservations::FeedsScreen> {
    use leenpunt_shared::reservations::{FeedInfo, FeedsScreen};
    let owner = actor.user.ok_or(AppError::Unauthorized)?;
    let feeds = db
        .feeds_of(owner)
        .await?
        .into_iter()
        .map(|f| FeedInfo {
            id: f.id,
            scope: scope_code(f.scope).to_owned(),
            label: f.label,
            created_at: f.created_at,
        })
        .collect();
    let schools: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT instellingsnummer, name, id FROM schools ORDER BY name")
            .fetch_all(db.pool())
            .await
            .map_err(crate::db::DbError::from)?;
    let points: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT slug, name, partner_id FROM pickup_points ORDER BY name")
            .fetch_all(db.pool())
            .await
            .map_err(crate::db::DbError::from)?;
    Ok(FeedsScreen {
        feeds,
        schools: schools
            .into_iter()
            .filter(|(_, _, id)| {
                allows(actor, Action::ViewSchool(SchoolId(*id))) && !actor.is_admin()
            })
            .map(|(n, name, _)| (n, name))
            .collect(),
        points: points
            .into_iter()
            .filter(|(_, _, p)| allows(actor, Action::HandleReservationsOf(PartnerId(*p))))
            .map(|(slug, name, _)| (slug, name))
            .collect(),
    })
}

/// The desk agenda: a week (from its Monday) or a month of a pickup point's pickups and
/// returns — the same reservations its calendar feed shows.
pub async fn desk_agenda(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    point: Option<&str>,
    view: Option<&str>,
    date: Option<&str>,
) -> Result<leenpunt_shared::reservations::DeskAgenda> {
    use chrono::Datelike;
    use leenpunt_shared::reservations::{AgendaDay, AgendaEntry, DeskAgenda};
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let points: Vec<(String, String, i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT slug, name, partner_id, handover_from, handover_until FROM pickup_points ORDER BY name",
    )
    .fetch_all(db.pool())
    .await
    .map_err(crate::db::DbError::from)?;
    let mine: Vec<_> = points
        .into_iter()
        .filter(|(_, _, p, _, _)| allows(actor, Action::HandleReservationsOf(PartnerId(*p))))
        .collect();
    if mine.is_empty() {
        return Err(AppError::Forbidden);
    }
    let chosen = point
        .and_then(|slug| mine.iter().find(|p| p.0 == slug))
        .unwrap_or(&mine[0]);
    let month = view == Some("month");
    let day = date
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| today(clock));
    let (first, last, prev, next) = if month {
        let first = day.with_day(1).unwrap_or(day);
        let next = (first + Duration::days(32)).with_day(1).unwrap_or(first);
        let prev = (first - Duration::days(1)).with_day(1).unwrap_or(first);
        (first, next - Duration::days(1), prev, next)
    } else {
        let first = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        (
            first,
            first + Duration::days(6),
            first - Duration::days(7),
            first + Duration::days(7),
        )
    };
    let rows: Vec<(i64, String, String, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT r.id, r.status, k.title, r.quantity, s.name, u.name, r.pickup_date, r.return_date \
         FROM reservations r JOIN kit_types k ON k.id = r.kit_type_id JOIN schools s ON s.id = r.school_id \
         JOIN users u ON u.id = r.user_id JOIN pickup_points pp ON pp.id = r.pickup_point_id \
         WHERE pp.slug = ? AND r.status IN ('aangevraagd', 'bevestigd', 'afgehaald', 'teruggebracht') \
           AND ((r.pickup_date BETWEEN ? AND ?) OR (r.return_date BETWEEN ? AND ?)) \
         ORDER BY k.title, r.id",
    )
    .bind(&chosen.0)
    .bind(first.to_string())
    .bind(last.to_string())
    .bind(first.to_string())
    .bind(last.to_string())
    .fetch_all(db.pool())
    .await
    .map_err(crate::db::DbError::from)?;
    let mut days: Vec<AgendaDay> = (0..=(last - first).num_days())
        .map(|n| AgendaDay {
            date: (first + Duration::days(n)).to_string(),
            pickups: Vec::new(),
            returns: Vec::new(),
        })
        .collect();
    for (id, status, title, quantity, school, borrower, pickup, ret) in rows {
        let entry = AgendaEntry {
            reservation: ReservationId(id),
            status: leenpunt_shared::ReservationStatus::parse(&status)
                .unwrap_or(leenpunt_shared::ReservationStatus::Confirmed),
            kit_title: title,
            quantity: quantity as u32,
            school,
            borrower,
        };
        if let Some(d) = days.iter_mut().find(|d| d.date == pickup) {
            d.pickups.push(entry.clone());
        }
        if let Some(d) = days.iter_mut().find(|d| d.date == ret) {
            d.returns.push(entry);
        }
    }
    Ok(DeskAgenda {
        hours: chosen
            .3
            .clone()
            .zip(chosen.4.clone())
            .map(|(f, u)| format!("{f}–{u}")),
        point: chosen.0.clone(),
        points: mine.iter().map(|p| (p.0.clone(), p.1.clone())).collect(),
        view: if month { "month" } else { "week" }.to_owned(),
        first: first.to_string(),
        last: last.to_string(),
        prev: prev.to_string(),
        next: next.to_string(),
        days,
    })
}
