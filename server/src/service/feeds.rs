//! Calendar feeds: create, regenerate and revoke subscription links; serve a feed with an
//! ETag computed from a cheap fingerprint, so unchanged feeds answer 304 without work and
//! a full GET of an unchanged feed comes from a cache of built bodies.

mod cache;

pub use cache::FeedCache;

use super::accounts::token_hash;
use crate::db::feeds::{FeedRow, FeedScope};
use crate::db::Db;
use crate::domain::clock::{brussels_to_utc, today, Clock};
use crate::domain::ical;
use crate::domain::ical::conditional::{self, Coding, Conditions};
use crate::domain::policy::{allows, Action, Actor};
use crate::error::{AppError, Result};
use crate::texts::Text;
use axum::body::Bytes;
use chrono::Duration;
use chrono::{DateTime, NaiveDate, Utc};
use leenpunt_shared::{Lang, PartnerId, ReservationId};
use sha2::{Digest, Sha256};

/// Who may hold a feed of a scope (checked at creation and again at every read, so a
/// feed never shows more than its owner may see today).
async fn may_follow(db: &Db, actor: &Actor, scope: FeedScope) -> Result<bool> {
    let partner = match scope {
        FeedScope::User | FeedScope::School(_) => None,
        FeedScope::Kit(k) => db.kit_partner(k).await?,
        FeedScope::Pickup(p) => db.point_partner(p).await?,
    };
    Ok(follows(actor, scope, partner))
}

/// `may_follow` once the partner service of a kit or pickup scope is known.
fn follows(actor: &Actor, scope: FeedScope, partner: Option<PartnerId>) -> bool {
    match scope {
        FeedScope::User => actor.user.is_some(),
        FeedScope::School(s) => allows(actor, Action::ViewSchool(s)),
        FeedScope::Kit(_) | FeedScope::Pickup(_) => {
            partner.is_some_and(|p| allows(actor, Action::HandleReservationsOf(p)))
        }
    }
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
            Text::UnknownOrMissing.get(lang),
        )])
    };
    let some = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    Ok(match body.scope.as_str() {
        "" | "user" => FeedScope::User,
        "school" => FeedScope::School(match some(&body.school) {
            Some(n) => db.school_id(&n).await?.ok_or_else(|| missing("school"))?,
            None => return Err(missing("school")),
        }),
        "kit" => FeedScope::Kit(match some(&body.kit) {
            Some(slug) => db
                .kit_id_by_slug(&slug)
                .await?
                .ok_or_else(|| missing("kit"))?,
            None => return Err(missing("kit")),
        }),
        "pickup" => FeedScope::Pickup(match some(&body.pickup) {
            Some(slug) => db
                .pickup_point_by_slug(&slug)
                .await?
                .map(|(id, _)| id)
                .ok_or_else(|| missing("pickup"))?,
            None => return Err(missing("pickup")),
        }),
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
    db.revoke_feed(feed.id, &now).await?;
    let id = db
        .insert_feed(&token_hash(&token), feed.owner, feed.scope, &now)
        .await?;
    let row = db.feed_by_id(id).await?.ok_or(AppError::NotFound)?;
    Ok(link(&row, public_url, Some(&token)))
}

/// What a feed request asks, as the handler read it from the headers.
#[derive(Debug, Clone, Copy)]
pub struct FeedRequest<'a> {
    /// The secret token of the URL (without `.ics`).
    pub token: &'a str,
    pub conditions: Conditions<'a>,
    /// The content coding the client gets (`conditional::negotiate`).
    pub coding: Coding,
}

/// A served feed. Every answer carries its coding's entity tag.
#[derive(Debug)]
pub enum Served {
    /// The client's copy is current.
    NotModified { etag: String, coding: Coding },
    Calendar {
        etag: String,
        /// An IMF-fixdate.
        last_modified: String,
        coding: Coding,
        /// The iCalendar text in `coding`.
        body: Bytes,
    },
}

/// Bumped when the feed's text changes shape (so every ETag changes with the program).
const FORMAT: &str = concat!("feed-3|", env!("CARGO_PKG_VERSION"));

/// The moments a feed's window last moved: loans and sessions from 90 days back (by
/// Brussels date), cancelled ones for 30 days; both move at Brussels midnight, so all
/// that leaves a feed by age leaves at a moment `Last-Modified` can name.
fn window(clock: &dyn Clock) -> (NaiveDate, DateTime<Utc>, DateTime<Utc>) {
    let day = today(clock);
    let midnight = |d: NaiveDate| brussels_to_utc(d.and_time(chrono::NaiveTime::MIN));
    (
        day - Duration::days(90),
        midnight(day - Duration::days(30)),
        midnight(day),
    )
}

/// Serves a feed by its token: 404 for an unknown or revoked token, or when the owner may
/// no longer see what it shows. The feed's change stamps are read from the database on
/// every request (in the same statement as the token, the owner's roles and language);
/// the fingerprint is read again whenever they changed, and the body built from it comes
/// from the cache.
pub async fn serve(
    db: &Db,
    cache: &FeedCache,
    clock: &dyn Clock,
    public_url: &str,
    request: &FeedRequest<'_>,
) -> Result<Served> {
    let serving = db
        .feed_to_serve(&token_hash(request.token))
        .await?
        .ok_or(AppError::NotFound)?;
    let feed = &serving.feed;
    let owner = Actor {
        user: Some(feed.owner),
        grants: serving.grants.clone(),
    };
    if !follows(&owner, feed.scope, serving.partner) {
        return Err(AppError::NotFound);
    }
    let lang = serving.lang;
    let (since, cancelled_since, moved) = window(clock);
    let cancelled_since = cancelled_since.to_rfc3339();
    // Everything the digest is made of besides the fingerprint; with the change stamps,
    // the key under which a fingerprint read before is still the database's.
    let head = format!(
        "{FORMAT}|{}|{}|{}|{public_url}|{since}|{cancelled_since}",
        feed.id,
        lang.code(),
        feed.label,
    );
    let key = format!("{}|{head}", serving.stamps);
    let (digest, newest) = match cache.known(feed.id, &key) {
        Some(known) => known,
        None => {
            let fingerprint = db
                .feed_fingerprint(feed.scope, feed.owner, since, &cancelled_since)
                .await?;
            let digest = hex12(&format!("{head}|{}", fingerprint.summary));
            cache.know(feed.id, &key, &digest, fingerprint.newest);
            (digest, fingerprint.newest)
        }
    };
    let coding = request.coding;
    let etag = conditional::etag(&digest, coding);
    let last_modified = last_modified(&feed.created_at, newest, moved);
    if conditional::not_modified(&request.conditions, &etag, last_modified) {
        return Ok(Served::NotModified { etag, coding });
    }
    let body = match cache.get(feed.id, &digest, coding) {
        Some(body) => body,
        None => {
            let identity = match cache.get(feed.id, &digest, Coding::Identity) {
                Some(body) => body,
                None => {
                    let text = build(db, public_url, feed, lang, since, &cancelled_since).await?;
                    let body = Bytes::from(text);
                    cache.put(feed.id, &digest, Coding::Identity, body.clone());
                    body
                }
            };
            let body = if coding == Coding::Identity {
                identity
            } else {
                // Compressing a large feed takes milliseconds: off the async workers.
                tokio::task::spawn_blocking(move || cache::compress(&identity, coding))
                    .await
                    .map_err(|e| AppError::Internal(e.into()))?
                    .map_err(|e| AppError::Internal(e.into()))?
            };
            cache.put(feed.id, &digest, coding, body.clone());
            body
        }
    };
    Ok(Served::Calendar {
        etag,
        last_modified: conditional::http_date(last_modified),
        coding,
        body,
    })
}

/// The first 12 bytes of a SHA-256, in hex.
fn hex12(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `Last-Modified`: the latest of the feed's creation, the newest dated change it shows
/// and the last move of its window (Brussels midnight). Changes that carry no date (a
/// school renamed, a role taken away) change the ETag at once and `Last-Modified` at the
/// next midnight, so a client that only sends `If-Modified-Since` sees them within a day.
fn last_modified(
    created_at: &str,
    newest: Option<DateTime<Utc>>,
    window_moved: DateTime<Utc>,
) -> DateTime<Utc> {
    let created = DateTime::parse_from_rfc3339(created_at)
        .map(|t| t.with_timezone(&Utc))
        .ok();
    [created, newest, Some(window_moved)]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(window_moved)
}

/// Builds a feed's iCalendar text from the database.
async fn build(
    db: &Db,
    public_url: &str,
    feed: &FeedRow,
    lang: Lang,
    since: NaiveDate,
    cancelled_since: &str,
) -> Result<String> {
    let base = public_url.trim_end_matches('/');
    let items = db
        .feed_items(
            feed.scope,
            feed.owner,
            since,
            cancelled_since,
            &format!("{base}/mijn-reservaties"),
        )
        .await?;
    let sessions = if feed.scope == FeedScope::User {
        db.feed_sessions(feed.owner, since, cancelled_since, base)
            .await?
    } else {
        Vec::new()
    };
    // A teacher's and a school's feed show a request (a sent cart's lines at one pickup
    // point) as one event; the desks' kit-type and pickup-point feeds keep one per line.
    let requests = match feed.scope {
        FeedScope::User | FeedScope::School(_) => {
            db.feed_requests(
                feed.scope,
                feed.owner,
                since,
                cancelled_since,
                &format!("{base}/mijn-reservaties"),
            )
            .await?
        }
        FeedScope::Kit(_) | FeedScope::Pickup(_) => Vec::new(),
    };
    let in_requests: std::collections::HashSet<i64> = requests
        .iter()
        .flat_map(|r| r.lines.iter().map(|l| l.id))
        .collect();
    let items: Vec<_> = items
        .into_iter()
        .filter(|i| !in_requests.contains(&i.id))
        .collect();
    let name = match feed.scope {
        FeedScope::User => Text::FeedMine.get(lang),
        _ => format!("Leenpunt: {}", feed.label),
    };
    Ok(ical::feed_with_requests(
        &name,
        &host(public_url),
        lang,
        &items,
        &requests,
        &sessions,
    ))
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
    Ok(ical::feed(
        "Leenpunt",
        &host(public_url),
        lang,
        &[item],
        &[],
    ))
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
    Ok(FeedsScreen {
        feeds,
        schools: db
            .schools_brief()
            .await?
            .into_iter()
            .filter(|(_, _, id)| allows(actor, Action::ViewSchool(*id)) && !actor.is_admin())
            .map(|(n, name, _)| (n, name))
            .collect(),
        points: db
            .pickup_points_brief()
            .await?
            .into_iter()
            .filter(|p| allows(actor, Action::HandleReservationsOf(p.partner)))
            .map(|p| (p.slug, p.name))
            .collect(),
        kits: db
            .loan_kits_brief()
            .await?
            .into_iter()
            .filter(|(_, _, partner)| allows(actor, Action::HandleReservationsOf(*partner)))
            .map(|(slug, title, _)| (slug, title))
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
    let points = db.pickup_points_brief().await?;
    let mine: Vec<_> = points
        .into_iter()
        .filter(|p| allows(actor, Action::HandleReservationsOf(p.partner)))
        .collect();
    if mine.is_empty() {
        return Err(AppError::Forbidden);
    }
    let chosen = point
        .and_then(|slug| mine.iter().find(|p| p.slug == slug))
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
    let rows = db.agenda_rows(&chosen.slug, first, last).await?;
    let mut days: Vec<AgendaDay> = (0..=(last - first).num_days())
        .map(|n| AgendaDay {
            date: (first + Duration::days(n)).to_string(),
            pickups: Vec::new(),
            returns: Vec::new(),
        })
        .collect();
    for row in rows {
        let entry = AgendaEntry {
            reservation: ReservationId(row.id),
            status: leenpunt_shared::ReservationStatus::parse(&row.status)
                .unwrap_or(leenpunt_shared::ReservationStatus::Confirmed),
            kit_title: row.title,
            quantity: row.quantity as u32,
            school: row.school,
            borrower: row.borrower,
        };
        if let Some(d) = days.iter_mut().find(|d| d.date == row.pickup_date) {
            d.pickups.push(entry.clone());
        }
        if let Some(d) = days.iter_mut().find(|d| d.date == row.return_date) {
            d.returns.push(entry);
        }
    }
    Ok(DeskAgenda {
        hours: chosen.handover.clone().map(|(f, u)| format!("{f}–{u}")),
        point: chosen.slug.clone(),
        points: mine
            .iter()
            .map(|p| (p.slug.clone(), p.name.clone()))
            .collect(),
        view: if month { "month" } else { "week" }.to_owned(),
        first: first.to_string(),
        last: last.to_string(),
        prev: prev.to_string(),
        next: next.to_string(),
        days,
    })
}
