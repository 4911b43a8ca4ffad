//! Erasure: requests, what blocks an erasure, the erasure itself (in the caller's
//! transaction), and the accounts inactive long enough to be anonymised.

use super::{Db, DbResult};
use crate::domain::erasure::{placeholder_email, scrub, ERASED_NAME};
use crate::domain::privacy::inventory;
use leenpunt_shared::privacy::{Blocker, MyErasureRequest};
use leenpunt_shared::UserId;
use sqlx::AnyConnection;

/// A person about to be erased, as they are now.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub lang: String,
}

/// The person behind an account that is not erased yet.
pub async fn person(conn: &mut AnyConnection, user: UserId) -> DbResult<Option<Person>> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT name, email, lang FROM users WHERE id = $1 AND erased_at IS NULL")
            .bind(user.0)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(name, email, lang)| Person {
        id: user,
        name,
        email,
        lang,
    }))
}

/// The person's roles without naming them ("teacher:012345 ambassador:stem-rtc"), for the
/// audit row that outlives them.
pub async fn roles_described(conn: &mut AnyConnection, user: UserId) -> DbResult<String> {
    let roles: Vec<String> = sqlx::query_scalar(
        "SELECT r.role || coalesce(':' || s.instellingsnummer, ':' || p.slug, '') FROM user_roles r \
         LEFT JOIN schools s ON s.id = r.school_id LEFT JOIN partners p ON p.id = r.partner_id \
         WHERE r.user_id = $1 ORDER BY r.id",
    )
    .bind(user.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(roles.join(" "))
}

/// Everything still running for the person at `now`: open loans, reservations not yet
/// picked up, waiting-list places and training sessions that have not started.
pub async fn blockers(conn: &mut AnyConnection, user: UserId, now: &str) -> DbResult<Vec<Blocker>> {
    let mut out = Vec::new();
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT r.id, k.title, r.status, \
           CASE WHEN r.status = 'afgehaald' THEN r.return_date ELSE r.pickup_date END \
         FROM reservations r JOIN kit_types k ON k.id = r.kit_type_id \
         WHERE r.user_id = $1 AND r.status IN ('afgehaald', 'aangeboden', 'aangevraagd', 'bevestigd') \
         ORDER BY r.pickup_date, r.id",
    )
    .bind(user.0)
    .fetch_all(&mut *conn)
    .await?;
    for (reservation, kit, status, day) in rows {
        out.push(if status == "afgehaald" {
            Blocker::OpenLoan {
                reservation,
                kit,
                day,
            }
        } else {
            Blocker::UpcomingReservation {
                reservation,
                kit,
                day,
            }
        });
    }
    let waiting: Vec<(String, String)> = sqlx::query_as(
        "SELECT k.title, w.pickup_date FROM waitlist w JOIN kit_types k ON k.id = w.kit_type_id \
         WHERE w.user_id = $1 AND w.status = 'wachtend' ORDER BY w.pickup_date, w.id",
    )
    .bind(user.0)
    .fetch_all(&mut *conn)
    .await?;
    out.extend(
        waiting
            .into_iter()
            .map(|(kit, day)| Blocker::Waiting { kit, day }),
    );
    let sessions: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT s.id, t.title, s.starts_at FROM training_registrations g \
         JOIN training_sessions s ON s.id = g.session_id \
         JOIN training_types t ON t.id = s.training_type_id \
         WHERE g.user_id = $1 AND g.status IN ('ingeschreven', 'wachtlijst') \
           AND s.cancelled_at IS NULL AND s.starts_at > $2 ORDER BY s.starts_at, s.id",
    )
    .bind(user.0)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    out.extend(
        sessions
            .into_iter()
            .map(|(session, training, day)| Blocker::UpcomingSession {
                session,
                training,
                day,
            }),
    );
    Ok(out)
}

async fn run(conn: &mut AnyConnection, sql: &str, user: UserId) -> DbResult<u64> {
    Ok(sqlx::query(sql)
        .bind(user.0)
        .execute(&mut *conn)
        .await?
        .rows_affected())
}

/// Rows of `table` whose `column` may mention the person (by a key that finds the row
/// again in this transaction, `Engine::row_locator`), with the text.
async fn mentions(
    conn: &mut AnyConnection,
    table: &str,
    column: &str,
    p: &Person,
) -> DbResult<Vec<(String, String)>> {
    // Identifiers come from the built-in inventory (checked to be plain names).
    let e = super::Engine::of(conn);
    let sql = format!(
        "SELECT {}, {column} FROM {table} WHERE {column} IS NOT NULL \
         AND ({} > 0 OR {} > 0)",
        e.row_locator().0,
        e.instr(&format!("lower({column})"), "lower($1)"),
        e.instr(&format!("lower({column})"), "lower($2)"),
    );
    Ok(sqlx::query_as(&sql)
        .bind(&p.name)
        .bind(&p.email)
        .fetch_all(&mut *conn)
        .await?)
}

/// Takes the person's name and address out of every free-text column of the inventory
/// (the audit log apart: its rows lose their person as a whole).
async fn scrub_free_text(conn: &mut AnyConnection, p: &Person) -> DbResult<u64> {
    let mut changed = 0;
    for c in inventory()
        .into_iter()
        .filter(|c| c.class == "free-text" && c.table != "audit_log")
    {
        for (row, text) in mentions(conn, &c.table, &c.column, p).await? {
            if let Some(clean) = scrub(&text, &p.name, &p.email) {
                let sql = format!(
                    "UPDATE {} SET {} = $1 WHERE {}",
                    c.table,
                    c.column,
                    super::Engine::of(conn).row_locator().1
                );
                changed += sqlx::query(&sql)
                    .bind(clean)
                    .bind(row)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
            }
        }
    }
    Ok(changed)
}

/// Audit rows by or about the person keep their event and lose the person (actor and
/// detail blanked; a subject naming their address keeps only its kind), as the audit
/// log's trigger allows.
async fn anonymise_audit(conn: &mut AnyConnection, p: &Person) -> DbResult<()> {
    sqlx::query(
        "UPDATE audit_log SET actor_id = NULL, detail = '' \
         WHERE (actor_id = $1 OR subject = 'user:' || $2) AND NOT (actor_id IS NULL AND detail = '')",
    )
    .bind(p.id.0)
    .bind(p.id.0)
    .execute(&mut *conn)
    .await?;
    let e = super::Engine::of(conn);
    let sql = format!(
        "SELECT id, subject, detail FROM audit_log \
         WHERE {} > 0 OR {} > 0 OR {} > 0 OR {} > 0",
        e.instr("lower(detail)", "lower($1)"),
        e.instr("lower(detail)", "lower($2)"),
        e.instr("lower(subject)", "lower($3)"),
        e.instr("lower(subject)", "lower($4)"),
    );
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&sql)
        .bind(&p.name)
        .bind(&p.email)
        .bind(&p.name)
        .bind(&p.email)
        .fetch_all(&mut *conn)
        .await?;
    for (id, subject, detail) in rows {
        let subject_named = scrub(&subject, &p.name, &p.email).is_some();
        if !subject_named && scrub(&detail, &p.name, &p.email).is_none() {
            continue;
        }
        let subject = match subject.split_once(':') {
            Some((kind, _)) if subject_named => format!("{kind}:verwijderd"),
            _ => subject,
        };
        sqlx::query(
            "UPDATE audit_log SET actor_id = NULL, detail = '', subject = $1 WHERE id = $2",
        )
        .bind(subject)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Erases a person in the caller's transaction: what only serves them goes (sessions,
/// tokens, feeds, drafts, uploads, throttle records, mails to them, staff roles); what
/// the figures need stays without them (reservations, loans, registrations and
/// qualifications keep pointing at the account, which keeps only its id, its teacher
/// roles — "a teacher of school X" — and its dates); audit rows lose the person; their
/// name and address are taken out of every free-text column.
pub async fn erase(conn: &mut AnyConnection, p: &Person, now: &str) -> DbResult<()> {
    sqlx::query("DELETE FROM outbox WHERE lower(to_addr) = lower($1)")
        .bind(&p.email)
        .execute(&mut *conn)
        .await?;
    for sql in [
        "DELETE FROM login_failures WHERE lower(email) = lower($1)",
        "DELETE FROM mail_requests WHERE lower(target) = lower($1)",
    ] {
        sqlx::query(sql).bind(&p.email).execute(&mut *conn).await?;
    }
    for sql in [
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM access_tokens WHERE user_id = $1",
        "DELETE FROM email_tokens WHERE user_id = $1",
        "DELETE FROM calendar_feeds WHERE owner_id = $1",
        "DELETE FROM form_drafts WHERE owner_id = $1",
        "DELETE FROM csv_uploads WHERE user_id = $1",
        "DELETE FROM desk_idempotency WHERE user_id = $1",
        "DELETE FROM cart_lines WHERE user_id = $1",
        "DELETE FROM carts WHERE user_id = $1",
        "UPDATE requests SET idempotency_key = NULL, idempotency_fingerprint = NULL WHERE user_id = $1",
        "DELETE FROM user_roles WHERE user_id = $1 AND role <> 'teacher'",
        // Their own reservations keep school, kit, dates and status for the figures.
        "UPDATE reservations SET note = '', idempotency_key = NULL, idempotency_fingerprint = NULL \
         WHERE user_id = $1",
        "UPDATE loan_lines SET handed_out_by = NULL WHERE handed_out_by = $1",
        "UPDATE loan_lines SET returned_by = NULL WHERE returned_by = $1",
        "UPDATE maintenance_tickets SET opened_by = NULL WHERE opened_by = $1",
        "UPDATE maintenance_tickets SET closed_by = NULL WHERE closed_by = $1",
        "UPDATE qualifications SET granted_by = NULL WHERE granted_by = $1",
        "UPDATE qualifications SET revoked_by = NULL WHERE revoked_by = $1",
        "UPDATE erasure_requests SET decided_by = NULL WHERE decided_by = $1",
    ] {
        run(conn, sql, p.id).await?;
    }
    anonymise_audit(conn, p).await?;
    scrub_free_text(conn, p).await?;
    sqlx::query(
        "UPDATE users SET name = $1, email = $2, password_hash = NULL, \
           disabled_at = coalesce(disabled_at, $3), reminders_off = 1, erased_at = $4 WHERE id = $5",
    )
    .bind(ERASED_NAME)
    .bind(placeholder_email(p.id.0))
    .bind(now)
    .bind(now)
    .bind(p.id.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records a person's request; `false` when one is pending already.
pub async fn insert_request(conn: &mut AnyConnection, user: UserId, now: &str) -> DbResult<bool> {
    Ok(sqlx::query(
        "INSERT INTO erasure_requests (user_id, requested_at) VALUES ($1, $2) \
         ON CONFLICT (user_id) WHERE decided_at IS NULL DO NOTHING",
    )
    .bind(user.0)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1)
}

/// The person a pending request is about.
pub async fn pending_request(conn: &mut AnyConnection, id: i64) -> DbResult<Option<UserId>> {
    Ok(sqlx::query_scalar(
        "SELECT user_id FROM erasure_requests WHERE id = $1 AND decided_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .map(UserId))
}

/// Decides a pending request (`erased` or `refused`, with the admin's reason).
pub async fn decide_request(
    conn: &mut AnyConnection,
    id: i64,
    by: Option<UserId>,
    outcome: &str,
    reason: &str,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE erasure_requests SET decided_at = $1, decided_by = $2, outcome = $3, reason = $4 \
         WHERE id = $5 AND decided_at IS NULL",
    )
    .bind(now)
    .bind(by.map(|u| u.0))
    .bind(outcome)
    .bind(reason)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Decides whatever request the person still has pending (an erasure by the job).
pub async fn close_pending(conn: &mut AnyConnection, user: UserId, now: &str) -> DbResult<()> {
    sqlx::query(
        "UPDATE erasure_requests SET decided_at = $1, outcome = 'erased' \
         WHERE user_id = $2 AND decided_at IS NULL",
    )
    .bind(now)
    .bind(user.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An account that has been inactive: its id and when it was last active.
pub struct Inactive {
    pub id: UserId,
    pub last_active: String,
}

/// Accounts (not erased) whose last sign-in, reservation (made or returned), training
/// (attended, registered or given) and creation are all before `before` (a day).
pub async fn inactive_accounts(conn: &mut AnyConnection, before: &str) -> DbResult<Vec<Inactive>> {
    let e = super::Engine::of(conn);
    let last_active = e.greatest_of(&[
        "u.created_at",
        "coalesce(u.confirmed_at, '')",
        "coalesce(u.last_sign_in_at, '')",
        &format!(
            "coalesce((SELECT max({}) FROM reservations r WHERE r.user_id = u.id), '')",
            e.greatest("r.created_at", "r.return_date")
        ),
        "coalesce((SELECT max(w.created_at) FROM waitlist w WHERE w.user_id = u.id), '')",
        "coalesce((SELECT max(s.starts_at) FROM training_registrations g \
           JOIN training_sessions s ON s.id = g.session_id \
           WHERE g.user_id = u.id AND (g.attended = 1 OR g.status <> 'geannuleerd')), '')",
        "coalesce((SELECT max(s.starts_at) FROM training_session_trainers t \
           JOIN training_sessions s ON s.id = t.session_id WHERE t.user_id = u.id), '')",
    ]);
    let sql = format!(
        "SELECT id, last_active FROM (SELECT u.id, {last_active} AS last_active \
         FROM users u WHERE u.erased_at IS NULL) a WHERE last_active < $1 ORDER BY id"
    );
    let rows: Vec<(i64, String)> = sqlx::query_as(&sql)
        .bind(before)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, last_active)| Inactive {
            id: UserId(id),
            last_active,
        })
        .collect())
}

/// When an occasion was claimed (a warning sent), if it was.
pub async fn claimed_at(conn: &mut AnyConnection, occasion: &str) -> DbResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT sent_at FROM reminders_sent WHERE occasion = $1")
            .bind(occasion)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Farewell mails older than `before` that were never delivered: their address goes too.
pub async fn forget_undelivered_farewells(conn: &mut AnyConnection, before: &str) -> DbResult<u64> {
    Ok(
        sqlx::query("DELETE FROM outbox WHERE forget_after_send = 1 AND created_at < $1")
            .bind(before)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

impl Db {
    /// The person's latest erasure request, if any.
    pub async fn my_erasure_request(&self, user: UserId) -> DbResult<Option<MyErasureRequest>> {
        let row: Option<(String, Option<String>, String)> = sqlx::query_as(
            "SELECT requested_at, outcome, reason FROM erasure_requests WHERE user_id = $1 \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(user.0)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(requested_at, outcome, reason)| MyErasureRequest {
            requested_at,
            outcome,
            reason,
        }))
    }

    /// Pending requests, oldest first: (id, person, name, address, asked at).
    pub async fn pending_erasure_requests(
        &self,
    ) -> DbResult<Vec<(i64, UserId, String, String, String)>> {
        let rows: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
            "SELECT e.id, u.id, u.name, u.email, e.requested_at FROM erasure_requests e \
             JOIN users u ON u.id = e.user_id WHERE e.decided_at IS NULL ORDER BY e.id",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, user, name, email, at)| (id, UserId(user), name, email, at))
            .collect())
    }

    /// Blockers of a person, read outside a write.
    pub async fn erasure_blockers(&self, user: UserId, now: &str) -> DbResult<Vec<Blocker>> {
        let mut conn = self.read().await?;
        blockers(&mut conn, user, now).await
    }
}
