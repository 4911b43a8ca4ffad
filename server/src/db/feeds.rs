//! Calendar feeds: subscription links (stored as token hashes) and what they show.

use super::{classify, Db, DbResult};
use crate::domain::ical::FeedReservation;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use leenpunt_shared::*;

/// What a feed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedScope {
    /// The owner's own reservations.
    User,
    School(SchoolId),
    Kit(KitTypeId),
    Pickup(PickupPointId),
}

impl FeedScope {
    fn code(self) -> &'static str {
        match self {
            FeedScope::User => "user",
            FeedScope::School(_) => "school",
            FeedScope::Kit(_) => "kit",
            FeedScope::Pickup(_) => "pickup",
        }
    }
}

/// A stored feed.
#[derive(Debug, Clone)]
pub struct FeedRow {
    pub id: i64,
    pub owner: UserId,
    pub scope: FeedScope,
    /// What the scope names: the school, kit type or pickup point (empty for `User`).
    pub label: String,
    pub created_at: String,
}

type Row = (
    i64,
    i64,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    String,
);

const SELECT_FEED: &str =
    "SELECT f.id, f.owner_id, f.scope, f.school_id, f.kit_type_id, f.pickup_point_id, \
       coalesce(s.name, k.title, pp.name), f.created_at \
     FROM calendar_feeds f \
     LEFT JOIN schools s ON s.id = f.school_id \
     LEFT JOIN kit_types k ON k.id = f.kit_type_id \
     LEFT JOIN pickup_points pp ON pp.id = f.pickup_point_id";

fn feed(r: Row) -> FeedRow {
    let scope = match (r.2.as_str(), r.3, r.4, r.5) {
        ("school", Some(s), _, _) => FeedScope::School(SchoolId(s)),
        ("kit", _, Some(k), _) => FeedScope::Kit(KitTypeId(k)),
        ("pickup", _, _, Some(p)) => FeedScope::Pickup(PickupPointId(p)),
        _ => FeedScope::User,
    };
    FeedRow {
        id: r.0,
        owner: UserId(r.1),
        scope,
        label: r.6.unwrap_or_default(),
        created_at: r.7,
    }
}

/// A feed as its link serves it (`Db::feed_to_serve`).
#[derive(Debug, Clone)]
pub struct ServingFeed {
    pub feed: FeedRow,
    /// The owner's language.
    pub lang: Lang,
    /// The owner's roles today.
    pub grants: Vec<crate::domain::policy::RoleGrant>,
    /// The partner service of the kit type or pickup point of a `kit` or `pickup` feed.
    pub partner: Option<PartnerId>,
    /// The change stamps of everything the feed shows and of its scope, as one text.
    pub stamps: String,
}

/// What a feed's content depends on, read without building it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedFingerprint {
    /// Everything the content depends on in the database, as one opaque text.
    pub summary: String,
    /// The latest dated change among what the feed shows.
    pub newest: Option<DateTime<Utc>>,
}

/// The reservation columns a feed needs, with the pickup point's hand-over hours.
const SELECT_ITEMS: &str = "SELECT r.id, r.status, k.title, r.quantity, s.name, pp.name, \
       pp.street || ', ' || pp.postcode || ' ' || pp.municipality, r.pickup_date, r.return_date, \
       pp.handover_from, pp.handover_until, r.revision, r.created_at, r.updated_at \
     FROM reservations r JOIN kit_types k ON k.id = r.kit_type_id \
     JOIN schools s ON s.id = r.school_id JOIN pickup_points pp ON pp.id = r.pickup_point_id";

type ItemRow = (
    i64,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    String,
    String,
);

fn instant(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// A feed's session row: id, title, starts, ends, place, called off at, registration
/// status, changed at, whether the owner gives it.
type SessionRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    i64,
);

fn push_scope(
    q: &mut crate::db::SqlBuilder<'_>,
    scope: FeedScope,
    owner: UserId,
    since: NaiveDate,
    cancelled_since: &str,
) {
    match scope {
        // One's own bookings, of the schools one still teaches at.
        FeedScope::User => q.push(" WHERE r.user_id = ").push_bind(owner.0).push(
            " AND r.school_id IN (SELECT ur.school_id FROM user_roles ur \
                 WHERE ur.role = 'teacher' AND ur.user_id = r.user_id)",
        ),
        FeedScope::School(s) => q.push(" WHERE r.school_id = ").push_bind(s.0),
        FeedScope::Kit(k) => q.push(" WHERE r.kit_type_id = ").push_bind(k.0),
        FeedScope::Pickup(p) => q.push(" WHERE r.pickup_point_id = ").push_bind(p.0),
    };
    // Loans from three months back on; cancelled ones stay a month as CANCELLED, so
    // calendars that already have them remove them.
    q.push(" AND r.held_until >= ")
        .push_bind(since.to_string())
        .push(" AND (r.status NOT IN ('geannuleerd', 'geweigerd', 'niet-afgehaald') OR r.updated_at >= ")
        .push_bind(cancelled_since.to_owned())
        .push(")");
}

impl Db {
    pub async fn insert_feed(
        &self,
        token_hash: &str,
        owner: UserId,
        scope: FeedScope,
        now: &str,
    ) -> DbResult<i64> {
        let (school, kit, point) = match scope {
            FeedScope::User => (None, None, None),
            FeedScope::School(s) => (Some(s.0), None, None),
            FeedScope::Kit(k) => (None, Some(k.0), None),
            FeedScope::Pickup(p) => (None, None, Some(p.0)),
        };
        sqlx::query_scalar(
            "INSERT INTO calendar_feeds (token_hash, owner_id, scope, school_id, kit_type_id, pickup_point_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(token_hash)
        .bind(owner.0)
        .bind(scope.code())
        .bind(school)
        .bind(kit)
        .bind(point)
        .bind(now)
        .fetch_one(self.writer())
        .await
        .map_err(classify)
    }

    /// A person's active feeds, newest first.
    pub async fn feeds_of(&self, owner: UserId) -> DbResult<Vec<FeedRow>> {
        let sql = format!(
            "{SELECT_FEED} WHERE f.owner_id = $1 AND f.revoked_at IS NULL ORDER BY f.id DESC"
        );
        Ok(sqlx::query_as::<_, Row>(&sql)
            .bind(owner.0)
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(feed)
            .collect())
    }

    pub async fn feed_by_id(&self, id: i64) -> DbResult<Option<FeedRow>> {
        let sql = format!("{SELECT_FEED} WHERE f.id = $1 AND f.revoked_at IS NULL");
        Ok(sqlx::query_as::<_, Row>(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .map(feed))
    }

    /// Everything serving a feed needs before its content, in one read: the active feed
    /// a token (by hash) opens, its owner's roles and language, the partner service of the
    /// kit type or pickup point it shows, and its change stamps (`feed_stamps`: while they
    /// read back the same, nothing its fingerprint depends on changed).
    pub async fn feed_to_serve(&self, token_hash: &str) -> DbResult<Option<ServingFeed>> {
        let sql = format!(
            "SELECT f.id, f.owner_id, f.scope, f.school_id, f.kit_type_id, f.pickup_point_id, \
               coalesce(s.name, k.title, pp.name), f.created_at, u.lang, \
               (SELECT {} \
                  FROM user_roles ur WHERE ur.user_id = f.owner_id), \
               coalesce(k.partner_id, pp.partner_id), \
               (SELECT stamp FROM feed_stamps WHERE scope = '*' AND id = 0), \
               (SELECT stamp FROM feed_stamps WHERE scope = f.scope AND id = CASE f.scope \
                  WHEN 'user' THEN f.owner_id WHEN 'school' THEN f.school_id \
                  WHEN 'kit' THEN f.kit_type_id ELSE f.pickup_point_id END) \
             FROM calendar_feeds f \
             LEFT JOIN users u ON u.id = f.owner_id \
             LEFT JOIN schools s ON s.id = f.school_id \
             LEFT JOIN kit_types k ON k.id = f.kit_type_id \
             LEFT JOIN pickup_points pp ON pp.id = f.pickup_point_id \
             WHERE f.token_hash = $1 AND f.revoked_at IS NULL",
            self.engine()
                .json_rows("ur.role, ur.school_id, ur.partner_id")
        );
        let Some(r) = sqlx::query(&sql)
            .bind(token_hash)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        use sqlx::Row as _;
        let row: Row = (
            r.get(0),
            r.get(1),
            r.get(2),
            r.get(3),
            r.get(4),
            r.get(5),
            r.get(6),
            r.get(7),
        );
        let grants = serde_json::from_str::<Vec<(String, Option<i64>, Option<i64>)>>(
            r.get::<Option<&str>, _>(9).unwrap_or("[]"),
        )
        .map_err(|e| sqlx::Error::Decode(format!("feed owner's roles: {e}").into()))?
        .into_iter()
        .filter_map(|(role, school, partner)| {
            Some(crate::domain::policy::RoleGrant {
                role: Role::parse(&role)?,
                school: school.map(SchoolId),
                partner: partner.map(PartnerId),
            })
        })
        .collect();
        let stamp = |i: usize| {
            r.get::<Option<i64>, _>(i)
                .map_or_else(|| "-".to_owned(), |s| s.to_string())
        };
        Ok(Some(ServingFeed {
            feed: feed(row),
            lang: r
                .get::<Option<&str>, _>(8)
                .and_then(Lang::parse)
                .unwrap_or_default(),
            grants,
            partner: r.get::<Option<i64>, _>(10).map(PartnerId),
            stamps: format!("{} {}", stamp(11), stamp(12)),
        }))
    }

    pub async fn revoke_feed(&self, id: i64, now: &str) -> DbResult<()> {
        sqlx::query(
            "UPDATE calendar_feeds SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// A summary of everything a feed shows, read without building it: the reservations
    /// (how many, newest change, sum of revisions), the names and addresses they are shown
    /// with, and the owner's training sessions. It changes whenever the feed's content
    /// does, so its digest is the ETag and the key of the cache of built bodies.
    #[tracing::instrument(skip(self))]
    pub async fn feed_fingerprint(
        &self,
        scope: FeedScope,
        owner: UserId,
        since: NaiveDate,
        cancelled_since: &str,
    ) -> DbResult<FeedFingerprint> {
        // A personal feed also shows the owner's training sessions: their changes (a
        // registration, a cancellation, a session called off or renamed) are in it.
        let person = (scope == FeedScope::User).then_some(owner.0);
        let e = self.engine();
        // Fields are joined with the unit separator (31), lines with the record
        // separator (30): characters no name or instant holds.
        let us = e.chr(31);
        let rs = e.chr(30);
        let mut q = crate::db::SqlBuilder::new(
            "WITH r AS MATERIALIZED (SELECT r.updated_at, r.revision, r.kit_type_id, r.school_id, \
               r.pickup_point_id FROM reservations r",
        );
        push_scope(&mut q, scope, owner, since, cancelled_since);
        q.push(format!(
            "), g AS MATERIALIZED (\
               SELECT 'r' || s.id || {us} || g.status || {us} || g.updated_at || {us} || \
                 coalesce(s.cancelled_at, '') || {us} || s.starts_at || {us} || s.ends_at || \
                 {us} || s.place || {us} || t.title AS x, \
                 {} AS changed \
               FROM training_registrations g JOIN training_sessions s ON s.id = g.session_id \
               JOIN training_types t ON t.id = s.training_type_id WHERE g.user_id = ",
            e.greatest("g.updated_at", "coalesce(s.cancelled_at, '')")
        ))
        .push_bind(person)
        .push(" AND s.starts_at >= ")
        .push_bind(since.to_string())
        .push(format!(
            " UNION ALL \
               SELECT 't' || s.id || {us} || s.created_at || {us} || coalesce(s.cancelled_at, '') || \
                 {us} || s.starts_at || {us} || s.ends_at || {us} || s.place || {us} || t.title, \
                 {} \
               FROM training_session_trainers st JOIN training_sessions s ON s.id = st.session_id \
               JOIN training_types t ON t.id = s.training_type_id WHERE st.user_id = ",
            e.greatest("s.created_at", "coalesce(s.cancelled_at, '')")
        ))
        .push_bind(person)
        .push(" AND s.starts_at >= ")
        .push_bind(since.to_string())
        .push(format!(
            ") SELECT count(*), max(r.updated_at), CAST(coalesce(sum(r.revision), 0) AS BIGINT), \
               (SELECT coalesce({}, '') FROM ( \
                  SELECT k.title || {us} || s.name || {us} || pp.name || {us} || \
                    coalesce(pp.street, '') || {us} || coalesce(pp.postcode, '') || {us} || \
                    coalesce(pp.municipality, '') || {us} || coalesce(pp.handover_from, '') || \
                    {us} || coalesce(pp.handover_until, '') AS l \
                  FROM (SELECT DISTINCT kit_type_id, school_id, pickup_point_id FROM r) d \
                  JOIN kit_types k ON k.id = d.kit_type_id JOIN schools s ON s.id = d.school_id \
                  JOIN pickup_points pp ON pp.id = d.pickup_point_id) ls), \
               (SELECT max(k.updated_at) FROM kit_types k WHERE k.id IN (SELECT kit_type_id FROM r)), \
               (SELECT count(*) || '/' || coalesce({}, '') FROM g), \
               (SELECT max(changed) FROM g) \
             FROM r",
            e.group_concat_ordered("l", &rs, "l"),
            e.group_concat_ordered("x", &rs, "x"),
        ));
        type FingerprintRow = (
            i64,
            Option<String>,
            i64,
            String,
            Option<String>,
            String,
            Option<String>,
        );
        let (count, newest, revisions, labels, kits_changed, sessions, sessions_changed) = q
            .build_query_as::<FingerprintRow>()
            .fetch_one(self.pool())
            .await?;
        let summary = format!(
            "{count}|{}|{revisions}|{labels}|{sessions}",
            newest.as_deref().unwrap_or_default()
        );
        let newest = [newest, kits_changed, sessions_changed]
            .iter()
            .flatten()
            .filter_map(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
            .max();
        Ok(FeedFingerprint { summary, newest })
    }

    /// The training sessions of a person's feed: those they are on the list of (a
    /// cancelled registration stays a month as CANCELLED) and those they give.
    pub async fn feed_sessions(
        &self,
        owner: UserId,
        since: NaiveDate,
        cancelled_since: &str,
        base: &str,
    ) -> DbResult<Vec<crate::domain::ical::FeedSession>> {
        use crate::domain::clock::brussels_time;
        let rows: Vec<SessionRow> = sqlx::query_as(
            "SELECT s.id, t.title, s.starts_at, s.ends_at, s.place, s.cancelled_at, g.status, g.updated_at, 0 \
             FROM training_registrations g JOIN training_sessions s ON s.id = g.session_id \
             JOIN training_types t ON t.id = s.training_type_id \
             WHERE g.user_id = $1 AND s.starts_at >= $2 AND (g.status <> 'geannuleerd' OR g.updated_at >= $3) \
             UNION ALL \
             SELECT s.id, t.title, s.starts_at, s.ends_at, s.place, s.cancelled_at, 'ingeschreven', s.created_at, 1 \
             FROM training_session_trainers st JOIN training_sessions s ON s.id = st.session_id \
             JOIN training_types t ON t.id = s.training_type_id \
             WHERE st.user_id = $1 AND s.starts_at >= $2 \
             ORDER BY 3, 1",
        )
        .bind(owner.0)
        .bind(since.to_string())
        .bind(cancelled_since)
        .fetch_all(self.pool())
        .await?;
        let instant = |t: &str| {
            chrono::DateTime::parse_from_rfc3339(t)
                .map(|d| d.with_timezone(&chrono::Utc))
                .unwrap_or_default()
        };
        let mut sessions: Vec<crate::domain::ical::FeedSession> = Vec::new();
        for (id, title, starts, ends, place, cancelled_at, status, updated, trains) in rows {
            // Giving a session wins over being on its list.
            if let Some(existing) = sessions.iter_mut().find(|s| s.id == id) {
                existing.trains |= trains == 1;
                continue;
            }
            let (start, end) = (
                brussels_time(instant(&starts)),
                brussels_time(instant(&ends)),
            );
            let updated = cancelled_at
                .as_deref()
                .map(instant)
                .unwrap_or_else(|| instant(&updated));
            sessions.push(crate::domain::ical::FeedSession {
                id,
                title,
                day: start.date(),
                start: start.time(),
                end: end.time(),
                place,
                cancelled: cancelled_at.is_some() || status == "geannuleerd",
                waiting: status == "wachtlijst",
                trains: trains == 1,
                updated,
                link: format!("{}/opleidingen/sessies/{id}", base.trim_end_matches('/')),
            });
        }
        Ok(sessions)
    }

    /// The reservations a feed shows, by pickup day.
    pub async fn feed_items(
        &self,
        scope: FeedScope,
        owner: UserId,
        since: NaiveDate,
        cancelled_since: &str,
        link: &str,
    ) -> DbResult<Vec<FeedReservation>> {
        let mut q = crate::db::SqlBuilder::new(SELECT_ITEMS);
        push_scope(&mut q, scope, owner, since, cancelled_since);
        q.push(" ORDER BY r.pickup_date, r.id");
        let rows = q.build_query_as::<ItemRow>().fetch_all(self.pool()).await?;
        Ok(rows.into_iter().map(|r| item(r, link)).collect())
    }

    /// One reservation as a calendar item (for its .ics download).
    pub async fn feed_item(
        &self,
        id: ReservationId,
        link: &str,
    ) -> DbResult<Option<FeedReservation>> {
        let sql = format!("{SELECT_ITEMS} WHERE r.id = $1");
        Ok(sqlx::query_as::<_, ItemRow>(&sql)
            .bind(id.0)
            .fetch_optional(self.pool())
            .await?
            .map(|r| item(r, link)))
    }
}

fn item(r: ItemRow, link: &str) -> FeedReservation {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
    let time = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
    };
    FeedReservation {
        id: r.0,
        status: ReservationStatus::parse(&r.1).unwrap_or(ReservationStatus::Cancelled),
        kit_title: r.2,
        quantity: r.3 as u32,
        school: r.4,
        pickup_point: r.5,
        address: r.6,
        pickup: day(&r.7),
        return_date: day(&r.8),
        hours: time(&r.9).zip(time(&r.10)),
        revision: r.11,
        created: instant(&r.12),
        updated: instant(&r.13),
        link: link.to_owned(),
    }
}

/// A pickup point as lists and the desk agenda show it.
#[derive(Debug, Clone)]
pub struct PointBrief {
    pub slug: String,
    pub name: String,
    pub partner: PartnerId,
    pub handover: Option<(String, String)>,
}

/// A reservation in the desk agenda.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgendaRow {
    pub id: i64,
    pub status: String,
    pub title: String,
    pub quantity: i64,
    pub school: String,
    pub borrower: String,
    pub pickup_date: String,
    pub return_date: String,
}

impl Db {
    /// Every pickup point, by name.
    pub async fn pickup_points_brief(&self) -> DbResult<Vec<PointBrief>> {
        type PointRow = (String, String, i64, Option<String>, Option<String>);
        let rows: Vec<PointRow> = sqlx::query_as(
            "SELECT slug, name, partner_id, handover_from, handover_until FROM pickup_points ORDER BY name",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(slug, name, partner, from, until)| PointBrief {
                slug,
                name,
                partner: PartnerId(partner),
                handover: from.zip(until),
            })
            .collect())
    }

    /// Every partner service as (slug, name, id), by name.
    pub async fn partners_brief(&self) -> DbResult<Vec<(String, String, PartnerId)>> {
        let rows: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT slug, name, id FROM partners ORDER BY name")
                .fetch_all(self.pool())
                .await?;
        Ok(rows
            .into_iter()
            .map(|(s, n, id)| (s, n, PartnerId(id)))
            .collect())
    }

    /// Every loan kit type as (slug, title, partner), by title.
    pub async fn loan_kits_brief(&self) -> DbResult<Vec<(String, String, PartnerId)>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT slug, title, partner_id FROM kit_types WHERE kind = 'uitleen' ORDER BY title",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(s, t, p)| (s, t, PartnerId(p)))
            .collect())
    }

    /// Every school as (instellingsnummer, name, id), by name.
    pub async fn schools_brief(&self) -> DbResult<Vec<(String, String, SchoolId)>> {
        let rows: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT instellingsnummer, name, id FROM schools ORDER BY name")
                .fetch_all(self.pool())
                .await?;
        Ok(rows
            .into_iter()
            .map(|(n, name, id)| (n, name, SchoolId(id)))
            .collect())
    }

    pub async fn kit_partner(&self, kit: KitTypeId) -> DbResult<Option<PartnerId>> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT partner_id FROM kit_types WHERE id = $1")
                .bind(kit.0)
                .fetch_optional(self.pool())
                .await?
                .map(PartnerId),
        )
    }

    pub async fn point_partner(&self, point: PickupPointId) -> DbResult<Option<PartnerId>> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT partner_id FROM pickup_points WHERE id = $1")
                .bind(point.0)
                .fetch_optional(self.pool())
                .await?
                .map(PartnerId),
        )
    }

    pub async fn kit_id_by_slug(&self, slug: &str) -> DbResult<Option<KitTypeId>> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT id FROM kit_types WHERE slug = $1")
                .bind(slug)
                .fetch_optional(self.pool())
                .await?
                .map(KitTypeId),
        )
    }

    /// A user's language for mails and feeds.
    pub async fn user_lang(&self, user: UserId) -> DbResult<Lang> {
        let lang: Option<String> = sqlx::query_scalar("SELECT lang FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(self.pool())
            .await?;
        Ok(lang.as_deref().and_then(Lang::parse).unwrap_or_default())
    }

    /// The hand-overs of a pickup point whose pickup or return falls in `[first, last]`.
    pub async fn agenda_rows(
        &self,
        point: &str,
        first: NaiveDate,
        last: NaiveDate,
    ) -> DbResult<Vec<AgendaRow>> {
        Ok(sqlx::query_as::<_, AgendaRow>(
            "SELECT r.id, r.status, k.title, r.quantity, s.name AS school, u.name AS borrower, \
               r.pickup_date, r.return_date \
             FROM reservations r JOIN kit_types k ON k.id = r.kit_type_id JOIN schools s ON s.id = r.school_id \
             JOIN users u ON u.id = r.user_id JOIN pickup_points pp ON pp.id = r.pickup_point_id \
             WHERE pp.slug = $1 AND r.status IN ('aangevraagd', 'bevestigd', 'afgehaald', 'teruggebracht') \
               AND ((r.pickup_date BETWEEN $2 AND $3) OR (r.return_date BETWEEN $4 AND $5)) \
             ORDER BY k.title, r.id",
        )
        .bind(point)
        .bind(first.to_string())
        .bind(last.to_string())
        .bind(first.to_string())
        .bind(last.to_string())
        .fetch_all(self.pool())
        .await?)
    }

    /// Sets a pickup point's hand-over hours ("09:00", "12:00").
    pub async fn set_handover_hours(&self, slug: &str, from: &str, until: &str) -> DbResult<()> {
        sqlx::query(
            "UPDATE pickup_points SET handover_from = $1, handover_until = $2 WHERE slug = $3",
        )
        .bind(from)
        .bind(until)
        .bind(slug)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Pickup point ids by slug.
    pub async fn pickup_point_ids(&self) -> DbResult<Vec<(String, PickupPointId)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT slug, id FROM pickup_points")
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .into_iter()
            .map(|(s, id)| (s, PickupPointId(id)))
            .collect())
    }
}
