//! Logging in and out, recognising a session, and the demo accounts.

use crate::db::accounts::NewUser;
use crate::db::{Db, DbError};
use crate::domain::auth::{
    check_session, dummy_hash, hash_password, throttle_window_start, SessionCheck,
};
use crate::domain::clock::Clock;
use crate::domain::policy::{Actor, RoleGrant};
use base64::Engine;
use chrono::{DateTime, Utc};
use leenpunt_shared::{Email, Role, UserId};
use sha2::{Digest, Sha256};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "leenpunt_session";

/// Why a login did not succeed. Deliberately silent about *which* part was wrong.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("e-mail address or password is wrong")]
    Invalid,
    #[error("too many failed attempts")]
    Throttled,
    /// Right password, but the e-mail address was never confirmed.
    #[error("e-mail address not confirmed")]
    Unconfirmed,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// A fresh session secret (for the cookie) and the hash stored for it.
fn new_session_secret() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks the credentials and starts a session. Returns the cookie value. `previous` is
/// the session cookie the browser already had, if any: it ends with the new login.
///
/// The attempt is counted before the password is checked, so a burst of attempts sent at
/// once is throttled like the same attempts sent one by one.
pub async fn login(
    db: &Db,
    clock: &dyn Clock,
    email: &str,
    password: &str,
    client: &str,
    previous: Option<&str>,
) -> Result<(String, UserId), LoginError> {
    let now = clock.now();
    let key = email.trim().to_lowercase();
    let stamp = now.to_rfc3339();
    let Some(attempt) = db
        .reserve_login_attempt(
            &key,
            client,
            &throttle_window_start(now).to_rfc3339(),
            &stamp,
        )
        .await?
    else {
        return Err(LoginError::Throttled);
    };
    let record = match Email::parse(email) {
        Ok(e) => db.login_record(&e).await?.map(|r| (e, r)),
        Err(_) => None,
    };
    let hash = record
        .as_ref()
        .filter(|(_, r)| !r.disabled)
        .and_then(|(_, r)| r.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    // Always verify (against a dummy hash when there is no account): equal timing.
    let matches = super::passwords::verify(password, &hash).await?;
    match record {
        Some((_, r)) if matches && !r.disabled && !r.confirmed => Err(LoginError::Unconfirmed),
        Some((email, r)) if matches && !r.disabled && r.password_hash.is_some() => {
            let (token, token_hash) = new_session_secret();
            let previous = previous.map(self::token_hash);
            db.start_session(
                r.id,
                &email,
                attempt,
                &token_hash,
                previous.as_deref(),
                &stamp,
            )
            .await?;
            Ok((token, r.id))
        }
        // The attempt already counts as a failure.
        _ => Err(LoginError::Invalid),
    }
}

/// The user behind a session cookie, if the session is still valid.
pub async fn authenticate(
    db: &Db,
    clock: &dyn Clock,
    token: &str,
) -> Result<Option<Actor>, DbError> {
    let hash = token_hash(token);
    let Some(session) = db.session(&hash).await? else {
        return Ok(None);
    };
    let parse = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .ok()
    };
    let now = clock.now();
    let (Some(created), Some(seen)) = (parse(&session.created_at), parse(&session.last_seen_at))
    else {
        db.end_session(&hash).await?;
        return Ok(None);
    };
    match check_session(now, created, seen) {
        SessionCheck::Expired => {
            db.end_session(&hash).await?;
            Ok(None)
        }
        SessionCheck::Valid { touch } => {
            if touch {
                db.touch_session(&hash, &now.to_rfc3339()).await?;
            }
            Ok(Some(db.actor(session.user).await?))
        }
    }
}

pub async fn logout(db: &Db, token: &str) -> Result<(), DbError> {
    db.end_session(&token_hash(token)).await
}

/// The password of every demo account (demo data only; printed at start).
pub const DEMO_PASSWORD: &str = "leenpunt-demo";

/// Demo accounts, one per role: (e-mail, name, role, school number or partner slug).
pub const DEMO_USERS: &[(&str, &str, Role, &str)] = &[
    (
        "leerkracht@demo.leenpunt.be",
        "Lotte Vermeulen",
        Role::Teacher,
        "012345",
    ),
    (
        "ambassadeur@demo.leenpunt.be",
        "Pieter Desmet",
        Role::Ambassador,
        "stem-rtc",
    ),
    (
        "trainer@demo.leenpunt.be",
        "Sofie Claeys",
        Role::Trainer,
        "stem-rtc",
    ),
    (
        "partnerbeheer@demo.leenpunt.be",
        "Jonas Maes",
        Role::PartnerAdmin,
        "mos",
    ),
    (
        "beheerder@demo.leenpunt.be",
        "Ann Vandenberghe",
        Role::Admin,
        "",
    ),
];

/// Creates the demo accounts (all with `DEMO_PASSWORD`, hashed once).
pub async fn create_demo_users(db: &Db, now: &str) -> anyhow::Result<()> {
    let hash = tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD)).await?;
    for (email, name, role, scope) in DEMO_USERS {
        let grant = match role.scope() {
            leenpunt_shared::accounts::Scope::School => RoleGrant {
                role: *role,
                school: db.school_id(scope).await?,
                partner: None,
            },
            leenpunt_shared::accounts::Scope::Partner => RoleGrant {
                role: *role,
                school: None,
                partner: db.partner_id(scope).await?,
            },
            leenpunt_shared::accounts::Scope::Everything => RoleGrant {
                role: *role,
                school: None,
                partner: None,
            },
        };
        let user = NewUser {
            email: Email::parse(email)?,
            name: (*name).to_owned(),
            password_hash: Some(hash.clone()),
            confirmed: true,
            grants: vec![grant],
        };
        db.create_user(&user, None, now).await?;
    }
    Ok(())
}
