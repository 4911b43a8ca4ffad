//! Trainings storage: training types, sessions, registrations, qualifications and the
//! conditions of conditional reservations.

use super::{classify, Db, DbResult};
use crate::domain::trainings::{Held, Registered, Required, Seats};
use chrono::{DateTime, NaiveDate, Utc};
use leenpunt_shared::*;
use sqlx::{AnyConnection, Row};

fn instant(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").unwrap_or_default()
}

/// A training type as the services need it.
#[derive(Debug, Clone)]
pub struct TrainingRow {
    pub id: TrainingTypeId,
    pub partner: PartnerId,
    pub title: String,
    pub validity_months: Option<u32>,
}

fn select_training(e: super::Engine) -> String {
    format!(
        "SELECT t.id, t.slug, t.title, t.description, p.name, p.slug, \
           t.duration_minutes, t.validity_months, \
           (SELECT {} FROM kit_type_trainings kt \
              JOIN kit_types k ON k.id = kt.kit_type_id WHERE kt.training_type_id = t.id), \
           t.partner_id \
         FROM training_types t JOIN partners p ON p.id = t.partner_id",
        e.json_rows("k.slug, k.title")
    )
}

fn training(r: &sqlx::any::AnyRow) -> Training {
    let mut unlocks: Vec<(String, String)> = r
        .get::<Option<String>, _>(8)
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    unlocks.sort_by(|a, b| a.1.cmp(&b.1));
    Training {
        id: TrainingTypeId(r.get(0)),
        slug: r.get(1),
        title: r.get(2),
        description: r.get(3),
        partner: r.get(4),
        partner_slug: r.get(5),
        duration_minutes: r.get::<i64, _>(6) as u32,
        validity_months: r.get::<Option<i64>, _>(7).map(|m| m as u32),
        unlocks,
    }
}

impl Db {
    /// Training types, by title; only one partner's when given.
    pub async fn trainings(&self, partner: Option<PartnerId>) -> DbResult<Vec<Training>> {
        let sql = format!(
            "{} WHERE ($1 IS NULL OR t.partner_id = $2) ORDER BY t.title, t.id",
            select_training(self.engine())
        );
        let p = partner.map(|p| p.0);
        Ok(sqlx::query(&sql)
            .bind(p)
            .bind(p)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(training)
            .collect())
    }

    pub async fn training(&self, slug: &str) -> DbResult<Option<(Training, PartnerId)>> {
        let sql = format!("{} WHERE t.slug = $1", select_training(self.engine()));
        Ok(sqlx::query(&sql)
            .bind(slug)
            .fetch_optional(self.pool())
            .await?
            .map(|r| (training(&r), PartnerId(r.get(9)))))
    }
}

pub async fn training_row(conn: &mut AnyConnection, slug: &str) -> DbResult<Option<TrainingRow>> {
    Ok(sqlx::query(
        "SELECT id, partner_id, title, validity_months FROM training_types WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| TrainingRow {
        id: TrainingTypeId(r.get(0)),
        partner: PartnerId(r.get(1)),
        title: r.get(2),
        validity_months: r.get::<Option<i64>, _>(3).map(|m| m as u32),
    }))
}

/// A new or changed training type.
pub struct TrainingValues<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub duration_minutes: u32,
    pub validity_months: Option<u32>,
}

pub async fn insert_training(
    conn: &mut AnyConnection,
    partner: PartnerId,
    slug: &str,
    v: &TrainingValues<'_>,
) -> DbResult<TrainingTypeId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO training_types (partner_id, slug, title, description, duration_minutes, \
         validity_months) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(partner.0)
    .bind(slug)
    .bind(v.title)
    .bind(v.description)
    .bind(i64::from(v.duration_minutes))
    .bind(v.validity_months.map(i64::from))
    .fetch_one(&mut *conn)
    .await
    .map_err(classify)?;
    Ok(TrainingTypeId(id))
}

pub async fn update_training(
    conn: &mut AnyConnection,
    id: TrainingTypeId,
    v: &TrainingValues<'_>,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE training_types SET title = $1, description = $2, duration_minutes = $3, \
         validity_months = $4 WHERE id = $5",
    )
    .bind(v.title)
    .bind(v.description)
    .bind(i64::from(v.duration_minutes))
    .bind(v.validity_months.map(i64::from))
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether a training type is required by a kit type or has sessions or holders (then it
/// cannot be deleted).
pub async fn training_in_use(conn: &mut AnyConnection, id: TrainingTypeId) -> DbResult<bool> {
    Ok(sqlx::query_scalar::<_, super::Flag>(
        "SELECT EXISTS (SELECT 1 FROM kit_type_trainings WHERE training_type_id = $1) \
             OR EXISTS (SELECT 1 FROM training_sessions WHERE training_type_id = $1) \
             OR EXISTS (SELECT 1 FROM qualifications WHERE training_type_id = $1)",
    )
    .bind(id.0)
    .fetch_one(&mut *conn)
    .await?
    .0)
}

pub async fn delete_training(conn: &mut AnyConnection, id: TrainingTypeId) -> DbResult<()> {
    sqlx::query("DELETE FROM training_types WHERE id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A new session.
pub struct SessionValues<'a> {
    pub training: TrainingTypeId,
    pub starts_at: &'a str,
    pub ends_at: &'a str,
    pub place: &'a str,
    pub capacity: u32,
    pub opens: &'a str,
    pub closes: &'a str,
    pub trainers: &'a [UserId],
}

pub async fn insert_session(
    conn: &mut AnyConnection,
    v: &SessionValues<'_>,
    now: &str,
) -> DbResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO training_sessions (training_type_id, starts_at, ends_at, place, capacity, \
         registration_opens, registration_closes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         RETURNING id",
    )
    .bind(v.training.0)
    .bind(v.starts_at)
    .bind(v.ends_at)
    .bind(v.place)
    .bind(i64::from(v.capacity))
    .bind(v.opens)
    .bind(v.closes)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(classify)?;
    for t in v.trainers {
        sqlx::query(
            "INSERT INTO training_session_trainers (session_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(t.0)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

pub async fn cancel_session(conn: &mut AnyConnection, id: i64, now: &str) -> DbResult<()> {
    sqlx::query(
        "UPDATE training_sessions SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A session with the ids and instants the rules need.
#[derive(Debug, Clone)]
pub struct TrainingSessionRecord {
    pub view: TrainingSession,
    pub training: TrainingTypeId,
    pub partner: PartnerId,
    pub validity_months: Option<u32>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub opens: DateTime<Utc>,
    pub closes: DateTime<Utc>,
    pub trainer_ids: Vec<UserId>,
}

impl TrainingSessionRecord {
    pub fn seats(&self) -> Seats {
        Seats {
            capacity: self.view.capacity,
            taken: self.view.registered,
            opens: self.opens,
            closes: self.closes,
            cancelled: self.view.cancelled,
        }
    }
}

/// The columns of a session; the query starts with `WITH me(id) AS (SELECT <asker>)`.
fn select_session(e: super::Engine) -> String {
    format!(
        "SELECT s.id, t.slug, t.title, p.name, s.starts_at, s.ends_at, \
           s.place, s.capacity, \
           (SELECT count(*) FROM training_registrations g WHERE g.session_id = s.id AND g.status = 'ingeschreven'), \
           (SELECT count(*) FROM training_registrations g WHERE g.session_id = s.id AND g.status = 'wachtlijst'), \
           s.registration_opens, s.registration_closes, s.cancelled_at, \
           (SELECT {} FROM training_session_trainers st \
              JOIN users u ON u.id = st.user_id WHERE st.session_id = s.id), \
           (SELECT g.status FROM training_registrations g WHERE g.session_id = s.id AND g.user_id = (SELECT id FROM me) \
              AND g.status <> 'geannuleerd'), \
           (SELECT g.attended FROM training_registrations g WHERE g.session_id = s.id AND g.user_id = (SELECT id FROM me)), \
           t.id, t.partner_id, t.validity_months \
         FROM training_sessions s JOIN training_types t ON t.id = s.training_type_id \
         JOIN partners p ON p.id = t.partner_id",
        e.json_rows("u.id, u.name")
    )
}

fn session(r: &sqlx::any::AnyRow) -> TrainingSessionRecord {
    use crate::domain::clock::brussels_time;
    let starts_at = instant(r.get::<&str, _>(4));
    let ends_at = instant(r.get::<&str, _>(5));
    let trainers: Vec<(i64, String)> = r
        .get::<Option<String>, _>(13)
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    let local_start = brussels_time(starts_at);
    TrainingSessionRecord {
        view: TrainingSession {
            id: r.get(0),
            training_slug: r.get(1),
            training_title: r.get(2),
            partner: r.get(3),
            starts_at: r.get(4),
            ends_at: r.get(5),
            day: local_start.date().to_string(),
            start_time: local_start.format("%H:%M").to_string(),
            end_time: brussels_time(ends_at).format("%H:%M").to_string(),
            place: r.get(6),
            capacity: r.get::<i64, _>(7) as u32,
            registered: r.get::<i64, _>(8) as u32,
            waiting: r.get::<i64, _>(9) as u32,
            registration_opens: r.get(10),
            registration_closes: r.get(11),
            cancelled: r.get::<Option<String>, _>(12).is_some(),
            trainers: trainers.iter().map(|(_, n)| n.clone()).collect(),
            my_status: r.get(14),
            my_attended: r.get::<Option<i64>, _>(15) == Some(1),
        },
        training: TrainingTypeId(r.get(16)),
        partner: PartnerId(r.get(17)),
        validity_months: r.get::<Option<i64>, _>(18).map(|m| m as u32),
        starts_at,
        ends_at,
        opens: instant(r.get::<&str, _>(10)),
        closes: instant(r.get::<&str, _>(11)),
        trainer_ids: trainers.iter().map(|(id, _)| UserId(*id)).collect(),
    }
}

pub async fn session_by_id(
    conn: &mut AnyConnection,
    id: i64,
    asker: Option<UserId>,
) -> DbResult<Option<TrainingSessionRecord>> {
    let sql = format!(
        "WITH me(id) AS (SELECT CAST($1 AS BIGINT)) {} WHERE s.id = $2",
        select_session(super::Engine::of(conn))
    );
    Ok(sqlx::query(&sql)
        .bind(asker.map(|u| u.0))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(session))
}

/// Which sessions to list.
#[derive(Debug, Clone, Default)]
pub struct SessionFilter {
    pub training: Option<String>,
    pub partners: Option<Vec<PartnerId>>,
    /// Only sessions starting at or after this instant.
    pub from: Option<String>,
    /// Only sessions starting before this instant.
    pub until: Option<String>,
    /// Only sessions the asker is registered for (or waiting for).
    pub mine: bool,
    /// Only sessions this user trains.
    pub trainer: Option<UserId>,
    pub include_cancelled: bool,
    pub limit: u32,
}

impl Db {
    pub async fn training_session(
        &self,
        id: i64,
        asker: Option<UserId>,
    ) -> DbResult<Option<TrainingSessionRecord>> {
        let mut conn = self.pool().acquire().await?;
        session_by_id(&mut conn, id, asker).await
    }

    /// Sessions by start, then id.
    pub async fn training_sessions(
        &self,
        f: &SessionFilter,
        asker: Option<UserId>,
    ) -> DbResult<Vec<TrainingSessionRecord>> {
        let mut q = crate::db::SqlBuilder::new("WITH me(id) AS (SELECT CAST(");
        q.push_bind(asker.map(|u| u.0));
        q.push(" AS BIGINT)) ")
            .push(select_session(self.engine()))
            .push(" WHERE 1 = 1");
        if let Some(t) = &f.training {
            q.push(" AND t.slug = ").push_bind(t.clone());
        }
        if let Some(partners) = &f.partners {
            super::push_in(&mut q, "t.partner_id", partners.iter().map(|x| x.0));
        }
        if let Some(from) = &f.from {
            q.push(" AND s.starts_at >= ").push_bind(from.clone());
        }
        if let Some(until) = &f.until {
            q.push(" AND s.starts_at < ").push_bind(until.clone());
        }
        if f.mine {
            q.push(
                " AND EXISTS (SELECT 1 FROM training_registrations g WHERE g.session_id = s.id \
                 AND g.user_id = (SELECT id FROM me) AND g.status <> 'geannuleerd')",
            );
        }
        if let Some(t) = f.trainer {
            q.push(
                " AND EXISTS (SELECT 1 FROM training_session_trainers st WHERE st.session_id = s.id \
                 AND st.user_id = ",
            )
            .push_bind(t.0)
            .push(")");
        }
        if !f.include_cancelled {
            q.push(" AND s.cancelled_at IS NULL");
        }
        q.push(" ORDER BY s.starts_at, s.id LIMIT ")
            .push_bind(i64::from(f.limit.clamp(1, 500)));
        Ok(q.build()
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(session)
            .collect())
    }
}

/// Someone's registration for a session, if any (any status).
pub async fn registration_of(
    conn: &mut AnyConnection,
    session: i64,
    user: UserId,
) -> DbResult<Option<(i64, String, bool)>> {
    Ok(sqlx::query(
        "SELECT id, status, attended FROM training_registrations WHERE session_id = $1 AND user_id = $2",
    )
    .bind(session)
    .bind(user.0)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (r.get(0), r.get(1), r.get::<crate::db::Flag, _>(2).0)))
}

/// Puts someone on a session's list (again, after a cancellation) with a status.
pub async fn upsert_registration(
    conn: &mut AnyConnection,
    session: i64,
    user: UserId,
    status: &str,
    attended_walk_in: bool,
    now: &str,
) -> DbResult<i64> {
    let flag = i64::from(attended_walk_in);
    let e = super::Engine::of(conn);
    let sql = format!(
        "INSERT INTO training_registrations (session_id, user_id, status, attended, walk_in, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $4, $5, $5) \
         ON CONFLICT (session_id, user_id) DO UPDATE SET status = excluded.status, \
           attended = {}, walk_in = {}, \
           created_at = CASE WHEN training_registrations.status = 'geannuleerd' \
             THEN excluded.created_at ELSE training_registrations.created_at END, \
           updated_at = excluded.updated_at \
         RETURNING id",
        e.greatest("training_registrations.attended", "excluded.attended"),
        e.greatest("training_registrations.walk_in", "excluded.walk_in"),
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(session)
        .bind(user.0)
        .bind(status)
        .bind(flag)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?)
}

pub async fn set_registration_status(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    now: &str,
) -> DbResult<()> {
    sqlx::query("UPDATE training_registrations SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Seats taken, and the waiting list in order (registration id, user).
pub async fn waiting_list(
    conn: &mut AnyConnection,
    session: i64,
) -> DbResult<(u32, Vec<(i64, UserId)>)> {
    let taken: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM training_registrations WHERE session_id = $1 AND status = 'ingeschreven'",
    )
    .bind(session)
    .fetch_one(&mut *conn)
    .await?;
    let waiting = sqlx::query(
        "SELECT id, user_id FROM training_registrations WHERE session_id = $1 AND status = 'wachtlijst' \
         ORDER BY created_at, id",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| (r.get(0), UserId(r.get(1))))
    .collect();
    Ok((taken as u32, waiting))
}

/// A user's address and language, for mail.
pub async fn user_contact(
    conn: &mut AnyConnection,
    user: UserId,
) -> DbResult<Option<(String, Lang)>> {
    Ok(sqlx::query("SELECT email, lang FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| {
            (
                r.get(0),
                Lang::parse(r.get::<&str, _>(1)).unwrap_or_default(),
            )
        }))
}

/// A user by e-mail address, with whether they are a teacher.
pub async fn user_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> DbResult<Option<(UserId, bool)>> {
    Ok(sqlx::query(
        "SELECT u.id, EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = $1) \
         FROM users u WHERE u.email = $2",
    )
    .bind(Role::Teacher.code())
    .bind(email)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (UserId(r.get(0)), r.get::<crate::db::Flag, _>(1).0)))
}

impl Db {
    /// A session's list: seats first, then the waiting list, then cancellations.
    pub async fn roster(&self, session: i64) -> DbResult<Vec<RosterEntry>> {
        let sql = format!(
            "SELECT g.id, u.id, u.name, u.email, \
               coalesce((SELECT {} FROM user_roles r \
                 JOIN schools sc ON sc.id = r.school_id WHERE r.user_id = u.id), ''), \
               g.status, g.attended, g.walk_in \
             FROM training_registrations g JOIN users u ON u.id = g.user_id \
             WHERE g.session_id = $1 \
             ORDER BY CASE g.status WHEN 'ingeschreven' THEN 0 WHEN 'wachtlijst' THEN 1 ELSE 2 END, \
               u.name, g.id",
            self.engine().group_concat("sc.name", "', '")
        );
        Ok(sqlx::query(&sql)
            .bind(session)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| RosterEntry {
                registration: r.get(0),
                user: UserId(r.get(1)),
                name: r.get(2),
                email: r.get(3),
                schools: r.get(4),
                status: r.get(5),
                attended: r.get::<crate::db::Flag, _>(6).0,
                walk_in: r.get::<crate::db::Flag, _>(7).0,
            })
            .collect())
    }
}

/// Records attendance of the registered, each as `present(registration, was_present)`
/// decides: returns the users now marked present who were not before, and those no longer
/// marked.
pub async fn set_attendance(
    conn: &mut AnyConnection,
    session: i64,
    present: impl Fn(i64, bool) -> bool,
    now: &str,
) -> DbResult<(Vec<UserId>, Vec<UserId>)> {
    let rows = sqlx::query(
        "SELECT id, user_id, attended FROM training_registrations \
         WHERE session_id = $1 AND status = 'ingeschreven'",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await?;
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for r in rows {
        let (id, user, was) = (
            r.get::<i64, _>(0),
            UserId(r.get(1)),
            r.get::<crate::db::Flag, _>(2).0,
        );
        let now_present = present(id, was);
        if now_present == was {
            continue;
        }
        sqlx::query(
            "UPDATE training_registrations SET attended = $1, updated_at = $2 WHERE id = $3",
        )
        .bind(i64::from(now_present))
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        if now_present {
            added.push(user);
        } else {
            removed.push(user);
        }
    }
    Ok((added, removed))
}

/// The registrations with a seat in a session (those whose attendance is recorded).
pub async fn seated_registrations(conn: &mut AnyConnection, session: i64) -> DbResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM training_registrations WHERE session_id = $1 AND status = 'ingeschreven'",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await?)
}

/// A new qualification.
pub struct NewQualification<'a> {
    pub user: UserId,
    pub training: TrainingTypeId,
    pub session: Option<i64>,
    pub granted_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub granted_by: Option<UserId>,
    pub reason: &'a str,
}

/// Grants a qualification; one per attended session (a repeat is ignored). Returns its id
/// when it is new.
pub async fn grant(
    conn: &mut AnyConnection,
    q: &NewQualification<'_>,
    now: &str,
) -> DbResult<Option<i64>> {
    if let Some(session) = q.session {
        // Attendance ticked again after a correction: the revoked grant comes back.
        let revived = sqlx::query(
            "UPDATE qualifications SET revoked_at = NULL, revoked_by = NULL, revoke_reason = NULL \
             WHERE user_id = $1 AND session_id = $2 RETURNING id",
        )
        .bind(q.user.0)
        .bind(session)
        .fetch_optional(&mut *conn)
        .await?;
        if revived.is_some() {
            return Ok(None);
        }
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO qualifications (user_id, training_type_id, session_id, granted_on, \
         valid_until, granted_by, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(q.user.0)
    .bind(q.training.0)
    .bind(q.session)
    .bind(q.granted_on.to_string())
    .bind(q.valid_until.map(|d| d.to_string()))
    .bind(q.granted_by.map(|u| u.0))
    .bind(q.reason)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Revokes a qualification (by id, or the one an attended session granted). Returns
/// whether something was revoked.
pub async fn revoke(
    conn: &mut AnyConnection,
    id: Option<i64>,
    by_session: Option<(UserId, i64)>,
    by: Option<UserId>,
    reason: &str,
    now: &str,
) -> DbResult<bool> {
    let (user, session) = by_session.map_or((None, None), |(u, s)| (Some(u.0), Some(s)));
    let done = sqlx::query(
        "UPDATE qualifications SET revoked_at = $1, revoked_by = $2, revoke_reason = $3 \
         WHERE revoked_at IS NULL AND (id = $4 OR (user_id = $5 AND session_id = $6))",
    )
    .bind(now)
    .bind(by.map(|u| u.0))
    .bind(reason)
    .bind(id)
    .bind(user)
    .bind(session)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A qualification's owner and training partner, for the policy.
pub async fn qualification_owner(
    conn: &mut AnyConnection,
    id: i64,
) -> DbResult<Option<(UserId, PartnerId)>> {
    Ok(sqlx::query(
        "SELECT q.user_id, t.partner_id FROM qualifications q \
         JOIN training_types t ON t.id = q.training_type_id WHERE q.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (UserId(r.get(0)), PartnerId(r.get(1)))))
}

/// Whose qualifications to list.
#[derive(Debug, Clone, Copy)]
pub enum QualificationsOf {
    User(UserId),
    /// Every teacher of a school.
    School(SchoolId),
    /// Everyone holding one of a partner's trainings.
    Partner(PartnerId),
    All,
}

impl Db {
    /// Qualifications, by holder name then training; `today` decides "expired".
    pub async fn qualifications(
        &self,
        of: QualificationsOf,
        today: NaiveDate,
    ) -> DbResult<Vec<Qualification>> {
        let (clause, id) = match of {
            QualificationsOf::User(u) => ("q.user_id = $1", u.0),
            QualificationsOf::School(s) => (
                "q.user_id IN (SELECT user_id FROM user_roles WHERE role = 'teacher' AND school_id = $1)",
                s.0,
            ),
            QualificationsOf::Partner(p) => ("t.partner_id = $1", p.0),
            QualificationsOf::All => ("$1 = 0", 0),
        };
        let sql = format!(
            "SELECT q.id, u.id, u.name, t.slug, t.title, q.granted_on, q.valid_until, g.name, \
               q.reason, q.revoked_at, q.revoke_reason \
             FROM qualifications q JOIN users u ON u.id = q.user_id \
             JOIN training_types t ON t.id = q.training_type_id \
             LEFT JOIN users g ON g.id = q.granted_by \
             WHERE {clause} ORDER BY u.name, u.id, t.title, q.granted_on DESC LIMIT 2000"
        );
        let today = today.to_string();
        Ok(sqlx::query(&sql)
            .bind(id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                let valid_until: Option<String> = r.get(6);
                let revoked = r.get::<Option<String>, _>(9).is_some();
                let state = if revoked {
                    "ingetrokken"
                } else if valid_until.as_deref().is_some_and(|u| u < today.as_str()) {
                    "verlopen"
                } else {
                    "geldig"
                };
                Qualification {
                    id: r.get(0),
                    user: UserId(r.get(1)),
                    user_name: r.get(2),
                    training_slug: r.get(3),
                    training_title: r.get(4),
                    granted_on: r.get(5),
                    valid_until,
                    granted_by: r.get(7),
                    reason: r.get(8),
                    state: state.to_owned(),
                    revoke_reason: r.get(10),
                }
            })
            .collect())
    }
}

/// The SQL of the gate's inputs for kit type `k.id`, the user bound as `user` and seats in
/// sessions starting from `from` on: a JSON array of [training id, slug, title,
/// [[granted, until, revoked]…], [[session, starts at]…]].
pub fn gate_json(e: crate::db::Engine, user: &str, from: &str) -> String {
    let granted = e.json_value(&format!(
        "SELECT {} FROM qualifications q WHERE q.user_id = {user} AND q.training_type_id = t.id",
        e.json_rows(
            "q.granted_on, q.valid_until, CASE WHEN q.revoked_at IS NOT NULL THEN 1 ELSE 0 END"
        )
    ));
    let seats = e.json_value(&format!(
        "SELECT {} FROM training_registrations g \
           JOIN training_sessions s ON s.id = g.session_id \
           WHERE g.user_id = {user} AND s.training_type_id = t.id AND g.status = 'ingeschreven' \
             AND s.cancelled_at IS NULL AND s.starts_at >= {from}",
        e.json_rows("s.id, s.starts_at")
    ));
    format!(
        "(SELECT {} FROM kit_type_trainings kt JOIN training_types t ON t.id = kt.training_type_id \
         WHERE kt.kit_type_id = k.id)",
        e.json_rows(&format!("t.id, t.slug, t.title, {granted}, {seats}"))
    )
}

/// What the gate needs to know about one borrower and one kit type.
#[derive(Debug, Clone, Default)]
pub struct GateInputs {
    pub required: Vec<Required>,
    pub held: Vec<Held>,
    pub registered: Vec<Registered>,
}

type GateRow = (
    i64,
    String,
    String,
    Vec<(String, Option<String>, i64)>,
    Vec<(i64, String)>,
);

/// Reads the JSON `gate_json` produces. Unreadable input is an error, never an open gate.
pub fn gate_inputs(json: Option<&str>) -> DbResult<GateInputs> {
    use crate::domain::clock::brussels_date;
    let rows: Vec<GateRow> = match json {
        Some(j) => serde_json::from_str(j).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        None => Vec::new(),
    };
    let mut inputs = GateInputs::default();
    for (id, slug, title, held, seats) in rows {
        let training = TrainingTypeId(id);
        inputs.required.push(Required {
            training,
            slug,
            title,
        });
        inputs
            .held
            .extend(held.into_iter().map(|(granted, until, revoked)| Held {
                training,
                granted_on: day(&granted),
                valid_until: until.as_deref().map(day),
                revoked: revoked != 0,
            }));
        inputs
            .registered
            .extend(seats.into_iter().map(|(session, starts)| Registered {
                training,
                session,
                day: brussels_date(instant(&starts)),
            }));
    }
    Ok(inputs)
}

/// The gate's inputs for a user and a kit type (by id), with seats in sessions from
/// `from` on.
pub async fn gate_for(
    conn: &mut AnyConnection,
    kit: KitTypeId,
    user: UserId,
    from: &str,
) -> DbResult<GateInputs> {
    let sql = format!(
        "SELECT {} FROM kit_types k WHERE k.id = $3",
        gate_json(crate::db::Engine::of(conn), "$1", "$2")
    );
    let json: Option<String> = sqlx::query_scalar(&sql)
        .bind(user.0)
        .bind(from)
        .bind(kit.0)
        .fetch_optional(&mut *conn)
        .await?
        .flatten();
    gate_inputs(json.as_deref())
}

/// Upcoming sessions of trainings, for refusals: (training id, brief), soonest first.
pub async fn upcoming_sessions(
    conn: &mut AnyConnection,
    trainings: &[TrainingTypeId],
    now: &str,
) -> DbResult<Vec<(TrainingTypeId, SessionBrief)>> {
    use crate::domain::clock::brussels_time;
    let mut q = crate::db::SqlBuilder::new(
        "SELECT s.training_type_id, s.id, s.starts_at, s.place, s.capacity - \
           (SELECT count(*) FROM training_registrations g WHERE g.session_id = s.id AND g.status = 'ingeschreven') \
         FROM training_sessions s WHERE s.cancelled_at IS NULL AND s.registration_closes > ",
    );
    q.push_bind(now.to_owned());
    q.push(" AND s.registration_opens <= ")
        .push_bind(now.to_owned());
    super::push_in(&mut q, "s.training_type_id", trainings.iter().map(|x| x.0));
    q.push(" ORDER BY s.starts_at, s.id LIMIT 50");
    Ok(q.build()
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let local = brussels_time(instant(r.get::<&str, _>(2)));
            (
                TrainingTypeId(r.get(0)),
                SessionBrief {
                    id: r.get(1),
                    day: local.date().to_string(),
                    start_time: local.format("%H:%M").to_string(),
                    place: r.get(3),
                    free: r.get::<i64, _>(4).max(0) as u32,
                },
            )
        })
        .collect())
}

/// Holds a reservation on the condition of these sessions.
pub async fn add_conditions(
    conn: &mut AnyConnection,
    reservation: ReservationId,
    sessions: &[i64],
) -> DbResult<()> {
    for s in sessions {
        sqlx::query("INSERT INTO reservation_conditions (reservation_id, session_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(reservation.0)
            .bind(s)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn clear_conditions(
    conn: &mut AnyConnection,
    reservation: ReservationId,
) -> DbResult<()> {
    sqlx::query("DELETE FROM reservation_conditions WHERE reservation_id = $1")
        .bind(reservation.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A conditional reservation with the state of each of its sessions.
#[derive(Debug, Clone)]
pub struct Conditional {
    pub reservation: ReservationId,
    /// (session, attended by the borrower, session ended before `over_before` or was called off).
    pub conditions: Vec<(i64, bool, bool)>,
}

/// The conditional reservations (still holding units) waiting for a session, optionally
/// only one borrower's; sessions that ended before `over_before` count as over.
pub async fn conditional_on(
    conn: &mut AnyConnection,
    session: i64,
    user: Option<UserId>,
    over_before: &str,
) -> DbResult<Vec<Conditional>> {
    // The "over" flag is a CASE so it is 0/1 in the JSON on both engines (PostgreSQL
    // would write a comparison as true/false).
    let sql = format!(
        "SELECT r.id, {} \
         FROM reservations r JOIN reservation_conditions c ON c.reservation_id = r.id \
         JOIN training_sessions s ON s.id = c.session_id \
         WHERE r.id IN (SELECT reservation_id FROM reservation_conditions WHERE session_id = $2) \
           AND r.status IN ('aangevraagd', 'bevestigd') AND ($3 IS NULL OR r.user_id = $3) \
         GROUP BY r.id ORDER BY r.id",
        super::Engine::of(conn).json_rows(
            "s.id, \
             coalesce((SELECT g.attended FROM training_registrations g \
                WHERE g.session_id = s.id AND g.user_id = r.user_id AND g.status = 'ingeschreven'), 0), \
             CASE WHEN s.ends_at < $1 OR s.cancelled_at IS NOT NULL \
               OR NOT EXISTS (SELECT 1 FROM training_registrations g WHERE g.session_id = s.id \
                 AND g.user_id = r.user_id AND g.status = 'ingeschreven') THEN 1 ELSE 0 END"
        )
    );
    let rows = sqlx::query(&sql)
        .bind(over_before)
        .bind(session)
        .bind(user.map(|u| u.0))
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .iter()
        .map(|r| Conditional {
            reservation: ReservationId(r.get(0)),
            conditions: serde_json::from_str::<Vec<(i64, i64, i64)>>(r.get::<&str, _>(1))
                .unwrap_or_default()
                .into_iter()
                .map(|(s, attended, over)| (s, attended != 0, over != 0))
                .collect(),
        })
        .collect())
}

/// Sessions that ended before `before` and whose conditional reservations were not yet
/// settled, plus called-off ones.
pub async fn sessions_to_settle(conn: &mut AnyConnection, before: &str) -> DbResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT s.id FROM training_sessions s \
         JOIN reservation_conditions c ON c.session_id = s.id \
         WHERE s.settled_at IS NULL AND (s.ends_at < $1 OR s.cancelled_at IS NOT NULL) \
         ORDER BY s.id",
    )
    .bind(before)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn mark_settled(conn: &mut AnyConnection, session: i64, now: &str) -> DbResult<()> {
    sqlx::query("UPDATE training_sessions SET settled_at = $1 WHERE id = $2")
        .bind(now)
        .bind(session)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_json_is_read_and_unreadable_json_is_an_error() {
        let json = r#"[[3,"bee-bot","Bee-Bot in de klas",[["2026-01-05","2028-01-04",0],["2026-02-01",null,1]],[[9,"2026-12-02T13:00:00+00:00"]]]]"#;
        let inputs = gate_inputs(Some(json)).unwrap();
        assert_eq!(inputs.required.len(), 1);
        assert_eq!(inputs.held.len(), 2);
        assert!(!inputs.held[0].revoked && inputs.held[1].revoked);
        assert_eq!(inputs.held[1].valid_until, None);
        assert_eq!(inputs.registered[0].session, 9);
        assert_eq!(inputs.registered[0].day.to_string(), "2026-12-02");
        assert!(gate_inputs(Some(r#"[[3,"x","y",[["2026-01-05",null,"ja"]],[]]]"#)).is_err());
        assert!(gate_inputs(None).unwrap().required.is_empty());
    }
}
