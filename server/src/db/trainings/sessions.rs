//! Training sessions: planning, calling off, finding and locking them.

use super::*;

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
pub(super) fn select_session(e: crate::db::Engine) -> String {
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

pub(super) fn session(r: &sqlx::any::AnyRow) -> TrainingSessionRecord {
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

/// In a write transaction on PostgreSQL, locks the session's row until the transaction
/// ends, so two instances (or connections) placing people on its seats take turns, as
/// SQLite's single writer makes them. Nothing on SQLite or outside a transaction.
pub async fn lock_session(conn: &mut AnyConnection, id: i64) -> DbResult<()> {
    crate::db::lock_rows(conn, "training_sessions", "id", id).await
}

/// A session as `asker` sees it; inside a transaction its row is locked first
/// ([`lock_session`]): the services read it to decide on its seats.
pub async fn session_by_id(
    conn: &mut AnyConnection,
    id: i64,
    asker: Option<UserId>,
) -> DbResult<Option<TrainingSessionRecord>> {
    lock_session(conn, id).await?;
    let sql = format!(
        "WITH me(id) AS (SELECT CAST($1 AS BIGINT)) {} WHERE s.id = $2",
        select_session(crate::db::Engine::of(conn))
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
            crate::db::push_in(&mut q, "t.partner_id", partners.iter().map(|x| x.0));
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
    crate::db::push_in(&mut q, "s.training_type_id", trainings.iter().map(|x| x.0));
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
