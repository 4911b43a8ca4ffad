//! Users, roles, sessions, login failures and the audit log.

use super::{classify, Db, DbResult};
use crate::domain::policy::{Actor, RoleGrant};
use leenpunt_shared::accounts::NamedRef;
use leenpunt_shared::{Email, Grant, Lang, Me, PartnerId, Role, SchoolId, UserId};
use sqlx::{AnyConnection, Row};

/// What a login needs to know of an account.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    pub id: UserId,
    pub password_hash: Option<String>,
    pub disabled: bool,
    pub confirmed: bool,
    /// The language the person reads mail in.
    pub lang: Lang,
}

/// A stored session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: UserId,
    pub created_at: String,
    pub last_seen_at: String,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub name: String,
    pub password_hash: Option<String>,
    pub confirmed: bool,
    pub grants: Vec<RoleGrant>,
}

impl Db {
    pub async fn login_record(&self, email: &Email) -> DbResult<Option<LoginRecord>> {
        login_record(&mut *self.read().await?, email).await
    }

    /// Counts a login attempt before its password is checked, atomically with reading
    /// the recent attempts (on the one writer): of any number of attempts sent at once, no
    /// more are checked than the limits allow. `Some(id)` when the attempt may go on (the
    /// row counts as a failure until [`Db::start_session`] clears it), `None` when throttled.
    pub async fn reserve_login_attempt(
        &self,
        email: &str,
        client: &str,
        since: &str,
        now: &str,
    ) -> DbResult<Option<i64>> {
        let mut tx = self.begin().await?;
        // On PostgreSQL attempts run side by side: without these locks, 40 attempts at
        // once all counted the same failures and 12 were checked (`api_traffic`).
        super::lock_names(
            &mut tx,
            &[
                &format!("login_failures:email:{email}"),
                &format!("login_failures:client:{client}"),
            ],
        )
        .await?;
        let (by_email, by_client): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM login_failures WHERE email = $1 AND at > $3), \
                    (SELECT count(*) FROM login_failures WHERE client = $2 AND at > $3)",
        )
        .bind(email)
        .bind(client)
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
        if crate::domain::auth::is_throttled(by_email as u32, by_client as u32) {
            return Ok(None);
        }
        let id = sqlx::query_scalar(
            "INSERT INTO login_failures (email, client, at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(email)
        .bind(client)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Starts a session: clears the account's failures counted up to this login's own
    /// attempt (`attempt`, from [`Db::reserve_login_attempt`]), ends the session the browser
    /// had before (`previous`, a hash), and stores the new one, together.
    ///
    /// Failures counted after the attempt stay: they raced alongside the right password, and
    /// one by one they would have come after the success too. Clearing them let a burst with
    /// the right password in it check twice the allowed number of wrong ones (`api_traffic`).
    pub async fn start_session(
        &self,
        user: UserId,
        email: &Email,
        attempt: i64,
        id_hash: &str,
        previous: Option<&str>,
        now: &str,
    ) -> DbResult<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM login_failures WHERE email = $1 AND id <= $2")
            .bind(email.as_str())
            .bind(attempt)
            .execute(&mut *tx)
            .await?;
        if let Some(previous) = previous {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                .bind(previous)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id_hash)
        .bind(user.0)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            Some(user),
            "login",
            &format!("user:{}", user.0),
            "",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn session(&self, id_hash: &str) -> DbResult<Option<SessionRecord>> {
        let row = sqlx::query_as::<_, (i64, String, String)>(
            "SELECT s.user_id, s.created_at, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND u.disabled_at IS NULL",
        )
        .bind(id_hash)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(user, created_at, last_seen_at)| SessionRecord {
            user: UserId(user),
            created_at,
            last_seen_at,
        }))
    }

    pub async fn touch_session(&self, id_hash: &str, now: &str) -> DbResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(id_hash)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    pub async fn end_session(&self, id_hash: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// "Log out everywhere": ends every session of the user.
    pub async fn end_all_sessions(&self, user: UserId, now: &str) -> DbResult<u64> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        audit(
            &mut tx,
            Some(user),
            "logout-everywhere",
            &format!("user:{}", user.0),
            &format!("{n} sessions"),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The user's roles, for authorization.
    pub async fn actor(&self, user: UserId) -> DbResult<Actor> {
        let grants = sqlx::query_as::<_, (String, Option<i64>, Option<i64>)>(
            "SELECT role, school_id, partner_id FROM user_roles WHERE user_id = $1",
        )
        .bind(user.0)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .filter_map(|(role, school, partner)| {
            Some(RoleGrant {
                role: Role::parse(&role)?,
                school: school.map(SchoolId),
                partner: partner.map(PartnerId),
            })
        })
        .collect();
        Ok(Actor {
            user: Some(user),
            grants,
        })
    }

    /// The signed-in user's profile with named roles.
    pub async fn me(&self, user: UserId) -> DbResult<Option<Me>> {
        let Some((name, email, lang, reminders_off)) =
            sqlx::query_as::<_, (String, String, String, super::Flag)>(
                "SELECT name, email, lang, reminders_off FROM users WHERE id = $1",
            )
            .bind(user.0)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let grants = sqlx::query_as::<
            _,
            (
                String,
                Option<i64>,
                Option<String>,
                Option<i64>,
                Option<String>,
            ),
        >(
            "SELECT r.role, s.id, s.name, p.id, p.name FROM user_roles r \
             LEFT JOIN schools s ON s.id = r.school_id LEFT JOIN partners p ON p.id = r.partner_id \
             WHERE r.user_id = $1 ORDER BY r.id",
        )
        .bind(user.0)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .filter_map(|(role, sid, sname, pid, pname)| {
            Some(Grant {
                role: Role::parse(&role)?,
                school: sid.map(|id| NamedRef {
                    id: SchoolId(id),
                    name: sname.unwrap_or_default(),
                }),
                partner: pid.map(|id| NamedRef {
                    id: PartnerId(id),
                    name: pname.unwrap_or_default(),
                }),
            })
        })
        .collect();
        Ok(Some(Me {
            id: user,
            name,
            email,
            grants,
            lang: Lang::parse(&lang).unwrap_or_default(),
            reminders: !reminders_off.0,
        }))
    }

    /// Whether a person gets reminders and digests.
    pub async fn set_reminders(&self, user: UserId, on: bool) -> DbResult<()> {
        let mut tx = self.begin().await?;
        super::reminders::set_reminders(&mut tx, user.0, on).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores the language a person reads mail in.
    pub async fn set_lang(&self, user: UserId, lang: Lang) -> DbResult<()> {
        let mut tx = self.begin().await?;
        set_user_lang(&mut tx, user, lang).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates an account with its roles; a duplicate e-mail address is a conflict.
    pub async fn create_user(
        &self,
        user: &NewUser,
        actor: Option<UserId>,
        now: &str,
    ) -> DbResult<UserId> {
        let mut tx = self.begin().await?;
        let id = insert_user(&mut tx, user, now).await?;
        audit(
            &mut tx,
            actor,
            "user-created",
            &format!("user:{}", id.0),
            user.email.as_str(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn school_id(&self, number: &str) -> DbResult<Option<SchoolId>> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT id FROM schools WHERE instellingsnummer = $1")
                .bind(number)
                .fetch_optional(self.pool())
                .await?
                .map(SchoolId),
        )
    }

    pub async fn partner_id(&self, slug: &str) -> DbResult<Option<PartnerId>> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT id FROM partners WHERE slug = $1")
                .bind(slug)
                .fetch_optional(self.pool())
                .await?
                .map(PartnerId),
        )
    }
}

pub async fn insert_user(conn: &mut AnyConnection, user: &NewUser, now: &str) -> DbResult<UserId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, confirmed_at, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user.email.as_str())
    .bind(&user.name)
    .bind(&user.password_hash)
    .bind(user.confirmed.then_some(now))
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(classify)?;
    for g in &user.grants {
        sqlx::query(
            "INSERT INTO user_roles (user_id, role, school_id, partner_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(g.role.code())
        .bind(g.school.map(|s| s.0))
        .bind(g.partner.map(|p| p.0))
        .execute(&mut *conn)
        .await
        .map_err(classify)?;
    }
    Ok(UserId(id))
}

/// Appends to the audit log (the table refuses updates and deletes).
pub async fn audit(
    conn: &mut AnyConnection,
    actor: Option<UserId>,
    action: &str,
    subject: &str,
    detail: &str,
    now: &str,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject, detail, token_id) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now)
    .bind(actor.map(|a| a.0))
    .bind(action)
    .bind(subject)
    .bind(detail)
    // A write made with an access token names it (set for the request by `http::tokens`).
    .bind(super::tokens::acting_token())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Db {
    /// The schools with these ids, by name, for choosing one of them.
    pub async fn schools_by_id(
        &self,
        ids: &[SchoolId],
    ) -> DbResult<Vec<leenpunt_shared::accounts::SchoolOption>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Ids are integers: the list needs no binding.
        let list = ids
            .iter()
            .map(|id| id.0.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let rows = sqlx::query_as::<_, (String, String, String)>(&format!(
            "SELECT instellingsnummer, name, municipality FROM schools WHERE id IN ({list}) \
             ORDER BY name, municipality"
        ))
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(number, name, municipality)| leenpunt_shared::accounts::SchoolOption {
                    number,
                    name,
                    municipality,
                },
            )
            .collect())
    }

    /// All schools, by name, for choosing one.
    pub async fn school_options(&self) -> DbResult<Vec<leenpunt_shared::accounts::SchoolOption>> {
        let rows = sqlx::query_as::<_, (String, String, String)>(
            "SELECT instellingsnummer, name, municipality FROM schools ORDER BY name, municipality",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(number, name, municipality)| leenpunt_shared::accounts::SchoolOption {
                    number,
                    name,
                    municipality,
                },
            )
            .collect())
    }
}

/// Gives an existing account one more role (a role it already holds is left as it is).
pub async fn add_grant(conn: &mut AnyConnection, user: UserId, grant: &RoleGrant) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO user_roles (user_id, role, school_id, partner_id) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(user.0)
    .bind(grant.role.code())
    .bind(grant.school.map(|s| s.0))
    .bind(grant.partner.map(|p| p.0))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Db {
    /// People whose name or e-mail contains `query` (all when empty), by name; at most 200.
    pub async fn users_overview(
        &self,
        query: &str,
    ) -> DbResult<Vec<leenpunt_shared::admin::UserRow>> {
        let pattern = format!("%{}%", query.trim().to_lowercase().replace(['%', '_'], ""));
        let sql = format!(
            "SELECT u.id, u.name, u.email, u.confirmed_at IS NOT NULL, u.disabled_at IS NOT NULL, \
               (SELECT {} FROM user_roles r \
                  LEFT JOIN schools s ON s.id = r.school_id LEFT JOIN partners p ON p.id = r.partner_id \
                  WHERE r.user_id = u.id) \
             FROM users u WHERE lower(u.name) LIKE $1 OR u.email LIKE $1 ORDER BY u.name, u.id LIMIT 200",
            self.engine()
                .json_rows("r.id, r.role, coalesce(s.name, p.name, '')")
        );
        let rows = sqlx::query(&sql)
            .bind(pattern)
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .iter()
            .map(|r| leenpunt_shared::admin::UserRow {
                id: UserId(r.get(0)),
                name: r.get(1),
                email: r.get(2),
                confirmed: r.get::<crate::db::Flag, _>(3).0,
                disabled: r.get::<crate::db::Flag, _>(4).0,
                roles: serde_json::from_str::<Vec<(i64, String, String)>>(r.get::<&str, _>(5))
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|(id, role, scope)| {
                        Some(leenpunt_shared::admin::UserRole {
                            id,
                            role: Role::parse(&role)?,
                            scope,
                        })
                    })
                    .collect(),
            })
            .collect())
    }

    /// A role grant: (user, role, partner).
    pub async fn grant_row(&self, id: i64) -> DbResult<Option<(UserId, Role, Option<PartnerId>)>> {
        Ok(
            sqlx::query("SELECT user_id, role, partner_id FROM user_roles WHERE id = $1")
                .bind(id)
                .fetch_optional(self.pool())
                .await?
                .and_then(|r| {
                    Some((
                        UserId(r.get(0)),
                        Role::parse(r.get::<&str, _>(1))?,
                        r.get::<Option<i64>, _>(2).map(PartnerId),
                    ))
                }),
        )
    }
}

/// Disables (or enables again) an account; when disabling, its sessions end with it.
/// False when there is no such account.
pub async fn set_disabled(
    conn: &mut AnyConnection,
    user: UserId,
    disabled_at: Option<&str>,
) -> DbResult<bool> {
    let found = sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
        .bind(disabled_at)
        .bind(user.0)
        .execute(&mut *conn)
        .await?
        .rows_affected()
        > 0;
    if found && disabled_at.is_some() {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(found)
}

/// Takes a role grant away.
pub async fn delete_grant(conn: &mut AnyConnection, id: i64) -> DbResult<()> {
    sqlx::query("DELETE FROM user_roles WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The account behind an address, read on `conn` (inside a write transaction when what
/// follows depends on it).
pub async fn login_record(
    conn: &mut AnyConnection,
    email: &Email,
) -> DbResult<Option<LoginRecord>> {
    type Row = (i64, Option<String>, Option<String>, Option<String>, String);
    let row = sqlx::query_as::<_, Row>(
        "SELECT id, password_hash, disabled_at, confirmed_at, lang FROM users WHERE email = $1",
    )
    .bind(email.as_str())
    .fetch_optional(conn)
    .await?;
    Ok(
        row.map(|(id, hash, disabled, confirmed, lang)| LoginRecord {
            id: UserId(id),
            password_hash: hash,
            disabled: disabled.is_some(),
            confirmed: confirmed.is_some(),
            lang: Lang::parse(&lang).unwrap_or_default(),
        }),
    )
}

/// Stores the language a person reads mail in.
pub async fn set_user_lang(conn: &mut AnyConnection, user: UserId, lang: Lang) -> DbResult<()> {
    sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
        .bind(lang.code())
        .bind(user.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Counts an anonymous mail-sending request to `target` from `client`, atomically with
/// reading the recent ones (call it in the write transaction that queues the mail).
/// False, with nothing counted, when a limit is reached.
pub async fn reserve_mail_request(
    conn: &mut AnyConnection,
    target: &str,
    client: &str,
    since: &str,
    now: &str,
) -> DbResult<bool> {
    let (to_target, from_client): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM mail_requests WHERE target = $1 AND at > $3), \
                (SELECT count(*) FROM mail_requests WHERE client = $2 AND at > $3)",
    )
    .bind(target)
    .bind(client)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    if crate::domain::auth::is_mail_throttled(to_target as u32, from_client as u32) {
        return Ok(false);
    }
    sqlx::query("INSERT INTO mail_requests (target, client, at) VALUES ($1, $2, $3)")
        .bind(target)
        .bind(client)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(true)
}

impl Db {
    /// The addresses and languages of every active admin (who receive the service's
    /// requests).
    pub async fn admin_recipients(&self) -> DbResult<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT u.email, u.lang FROM users u JOIN user_roles r ON r.user_id = u.id \
             WHERE r.role = 'admin' AND u.disabled_at IS NULL ORDER BY u.email",
        )
        .fetch_all(self.pool())
        .await?)
    }
}
