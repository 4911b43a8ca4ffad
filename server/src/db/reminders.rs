//! Reminder candidates and their exactly-once claims.

use super::DbResult;
use sqlx::AnyConnection;

/// A reservation that may need a reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    /// The day the reminder is about (pickup or return day), ISO.
    pub day: String,
    pub point: i64,
    pub weekdays: u8,
    pub opening_hours: String,
    pub reminder_days: u32,
    /// When it was made (UTC, RFC 3339).
    pub created_at: String,
}

type Row = (i64, String, i64, i64, String, i64, String);

fn candidate(
    (id, day, point, weekdays, opening_hours, reminder_days, created_at): Row,
) -> Candidate {
    Candidate {
        id,
        day,
        point,
        weekdays: weekdays as u8,
        opening_hours,
        reminder_days: u32::try_from(reminder_days).unwrap_or(0),
        created_at,
    }
}

/// Reservations in `status` whose `day_column` falls between `first` and `last`
/// (inclusive), whose borrower wants reminders, and whose occasion `prefix:<id>:<day>`
/// (see `domain::reminders::Occasion::key`) was not claimed yet.
async fn loans_to_remind(
    conn: &mut AnyConnection,
    (status, day_column, prefix): (&str, &str, &str),
    first: &str,
    last: &str,
) -> DbResult<Vec<Candidate>> {
    let sql = format!(
        "SELECT r.id, r.{day_column}, pp.id, pp.open_weekdays, pp.opening_hours, \
                p.pickup_reminder_days, r.created_at \
         FROM reservations r JOIN pickup_points pp ON pp.id = r.pickup_point_id \
         JOIN partners p ON p.id = pp.partner_id JOIN users u ON u.id = r.user_id \
         WHERE r.status = '{status}' AND r.{day_column} BETWEEN $1 AND $2 \
           AND u.reminders_off = 0 AND u.disabled_at IS NULL \
           AND NOT EXISTS (SELECT 1 FROM reminders_sent s \
                           WHERE s.occasion = '{prefix}:' || r.id || ':' || r.{day_column}) \
         ORDER BY r.{day_column}, r.id"
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(candidate).collect())
}

/// Confirmed reservations picked up from `first` to `last`, not yet reminded of that day.
pub async fn pickup_candidates(
    conn: &mut AnyConnection,
    first: &str,
    last: &str,
) -> DbResult<Vec<Candidate>> {
    loans_to_remind(conn, ("bevestigd", "pickup_date", "pickup"), first, last).await
}

/// Running loans due back from `first` to `last`, not yet reminded of that day.
pub async fn return_candidates(
    conn: &mut AnyConnection,
    first: &str,
    last: &str,
) -> DbResult<Vec<Candidate>> {
    loans_to_remind(conn, ("afgehaald", "return_date", "return"), first, last).await
}

/// Claims an occasion: `true` for the one transaction that inserts its key first.
pub async fn claim(conn: &mut AnyConnection, occasion: &str, now: &str) -> DbResult<bool> {
    let done = sqlx::query(
        "INSERT INTO reminders_sent (occasion, sent_at) VALUES ($1, $2) \
         ON CONFLICT (occasion) DO NOTHING",
    )
    .bind(occasion)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a person wants reminders and digests.
pub async fn set_reminders(conn: &mut AnyConnection, user: i64, on: bool) -> DbResult<()> {
    sqlx::query("UPDATE users SET reminders_off = $1 WHERE id = $2")
        .bind(i64::from(!on))
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A person to remind of a training session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionCandidate {
    pub session: i64,
    pub user: i64,
    pub email: String,
    pub name: String,
    pub lang: String,
    pub title: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
}

type SessionRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn session_candidate(
    (session, user, email, name, lang, title, starts_at, ends_at, place): SessionRow,
) -> SessionCandidate {
    SessionCandidate {
        session,
        user,
        email,
        name,
        lang,
        title,
        starts_at,
        ends_at,
        place,
    }
}

/// Registered participants (`trainers = false`) or trainers (`true`) of sessions starting
/// between `from` and `until` (UTC, RFC 3339) that are not called off, who want reminders
/// and were not yet reminded of that start.
pub async fn session_candidates(
    conn: &mut AnyConnection,
    trainers: bool,
    from: &str,
    until: &str,
) -> DbResult<Vec<SessionCandidate>> {
    let (people, prefix) = if trainers {
        ("training_session_trainers x", "roster:")
    } else {
        ("training_registrations x", "session:")
    };
    let only_registered = if trainers {
        ""
    } else {
        "AND x.status = 'ingeschreven'"
    };
    let sql = format!(
        "SELECT s.id, u.id, u.email, u.name, u.lang, t.title, s.starts_at, s.ends_at, s.place \
         FROM training_sessions s JOIN training_types t ON t.id = s.training_type_id \
         JOIN {people} ON x.session_id = s.id JOIN users u ON u.id = x.user_id \
         WHERE s.cancelled_at IS NULL AND s.starts_at > $1 AND s.starts_at <= $2 {only_registered} \
           AND u.reminders_off = 0 AND u.disabled_at IS NULL \
           AND NOT EXISTS (SELECT 1 FROM reminders_sent r WHERE r.occasion = \
               '{prefix}' || s.id || ':' || u.id || ':' || s.starts_at) \
         ORDER BY s.starts_at, s.id, u.id"
    );
    let rows: Vec<SessionRow> = sqlx::query_as(&sql)
        .bind(from)
        .bind(until)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(session_candidate).collect())
}

/// Whether the candidate still stands: the session still starts then and is not called
/// off, and (for a participant) the person is still registered with a seat.
pub async fn session_still(
    conn: &mut AnyConnection,
    c: &SessionCandidate,
    trainer: bool,
) -> DbResult<bool> {
    let sql = if trainer {
        "SELECT count(*) FROM training_sessions s JOIN training_session_trainers x \
         ON x.session_id = s.id WHERE s.id = $1 AND x.user_id = $2 AND s.starts_at = $3 \
         AND s.cancelled_at IS NULL"
    } else {
        "SELECT count(*) FROM training_sessions s JOIN training_registrations x \
         ON x.session_id = s.id WHERE s.id = $1 AND x.user_id = $2 AND s.starts_at = $3 \
         AND s.cancelled_at IS NULL AND x.status = 'ingeschreven'"
    };
    let n: i64 = sqlx::query_scalar(sql)
        .bind(c.session)
        .bind(c.user)
        .bind(&c.starts_at)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// The registered participants of a session: name and school, by name.
pub async fn roster(conn: &mut AnyConnection, session: i64) -> DbResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT u.name, coalesce((SELECT min(sc.name) FROM user_roles ur \
                JOIN schools sc ON sc.id = ur.school_id WHERE ur.user_id = u.id), '') \
         FROM training_registrations x JOIN users u ON u.id = x.user_id \
         WHERE x.session_id = $1 AND x.status = 'ingeschreven' ORDER BY u.name",
    )
    .bind(session)
    .fetch_all(&mut *conn)
    .await?)
}

/// A member of desk staff who wants the daily digest, with the partner services whose
/// desks they staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestRecipient {
    pub user: i64,
    pub email: String,
    pub name: String,
    pub lang: String,
    pub partners: Vec<leenpunt_shared::PartnerId>,
}

/// Ambassadors and partner admins (of a partner service), enabled, who did not switch
/// reminders off and whose digest for `day` (ISO) was not decided yet (the key is
/// `domain::reminders::digest_key`).
pub async fn digest_recipients(
    conn: &mut AnyConnection,
    day: &str,
) -> DbResult<Vec<DigestRecipient>> {
    let sql = format!(
        "SELECT u.id, u.email, u.name, u.lang, {} \
         FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE r.role IN ('ambassador', 'partner-admin') AND r.partner_id IS NOT NULL \
           AND u.reminders_off = 0 AND u.disabled_at IS NULL \
           AND NOT EXISTS (SELECT 1 FROM reminders_sent s \
                           WHERE s.occasion = 'digest:' || u.id || ':' || $1) \
         GROUP BY u.id ORDER BY u.id",
        super::Engine::of(conn).group_concat_distinct("r.partner_id")
    );
    let rows: Vec<(i64, String, String, String, String)> =
        sqlx::query_as(&sql).bind(day).fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(|(user, email, name, lang, partners)| DigestRecipient {
            user,
            email,
            name,
            lang,
            partners: partners
                .split(',')
                .filter_map(|p| p.trim().parse().ok())
                .map(leenpunt_shared::PartnerId)
                .collect(),
        })
        .collect())
}
