//! Personal access tokens: making, listing and revoking them, and recognising one on a
//! request. A token acts as its owner (the same `Actor`, so the same rule book), and a
//! `read` token only for safe requests.

use crate::db::tokens::{NewTokenRow, TokenRow};
use crate::db::{Db, DbError};
use crate::domain::clock::Clock;
use crate::domain::policy::{Action, Actor};
use crate::domain::tokens::{self as rules, NameProblem, Refusal, Secret, TokenName};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::{DateTime, Duration, Utc};
use leenpunt_shared::tokens::{
    AccessToken, CreatedToken, NewToken, TokenScope, MAX_TOKEN_DAYS, MAX_TOKEN_NAME,
};
use leenpunt_shared::{FieldError, Lang, UserId};
use rand::RngCore;

/// A request made with a valid token: who it acts as, and with which token.
#[derive(Debug, Clone)]
pub struct Bearer {
    pub actor: Actor,
    pub token: i64,
    pub scope: TokenScope,
}

/// How long after making a token its secret can still be revealed on the account page
/// (the browser comes straight back there; later the address shows nothing).
const REVEAL_FOR: Duration = Duration::minutes(10);

fn instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Recognises the token of an `Authorization` header. The last use is written down at
/// most once a minute (and a busy writer never fails the request for it).
pub async fn authenticate(
    db: &Db,
    clock: &dyn Clock,
    header: &str,
) -> std::result::Result<std::result::Result<Bearer, Refusal>, DbError> {
    let secret = match rules::parse_bearer(header) {
        Ok(s) => s,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let Some(found) = db.token_by_hash(&secret.hash()).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    let now = clock.now();
    let stored = rules::Stored {
        // An unreadable stored instant counts as long past: the token does not work.
        expires_at: instant(&found.expires_at).unwrap_or(DateTime::<Utc>::MIN_UTC),
        revoked_at: found
            .revoked_at
            .as_deref()
            .map(|r| instant(r).unwrap_or(now)),
        last_used_at: found.last_used_at.as_deref().and_then(instant),
        owner_disabled: found.owner_disabled,
    };
    if let Err(refusal) = rules::check(&stored, now) {
        return Ok(Err(refusal));
    }
    let Some(scope) = TokenScope::parse(&found.scope) else {
        return Ok(Err(Refusal::Unknown));
    };
    if rules::touch_due(stored.last_used_at, now) {
        let not_after = (now - Duration::seconds(rules::TOUCH_EVERY_SECS)).to_rfc3339();
        if let Err(e) = db
            .touch_token(found.id, &now.to_rfc3339(), &not_after)
            .await
        {
            tracing::warn!(error = %e, token = found.id, "could not note the token's use");
        }
    }
    Ok(Ok(Bearer {
        actor: db.actor(found.user).await?,
        token: found.id,
        scope,
    }))
}

/// The message for a refused token, in the requester's language.
pub fn refusal_text(refusal: Refusal, lang: Lang) -> String {
    match refusal {
        Refusal::Malformed => Text::TokenMalformed,
        Refusal::Unknown => Text::TokenUnknown,
        Refusal::Expired => Text::TokenExpired,
        Refusal::Revoked => Text::TokenRevoked,
        Refusal::OwnerDisabled => Text::TokenOwnerDisabled,
    }
    .get(lang)
}

/// Reads a request for a token into its parts, with a message at every wrong field.
fn parse(body: &NewToken, now: DateTime<Utc>, lang: Lang) -> Result<(TokenName, DateTime<Utc>)> {
    let mut errors = Vec::new();
    let name = TokenName::parse(&body.name).map_err(|p| {
        let text = match p {
            NameProblem::Empty => Text::TokenNameEmpty.get(lang),
            NameProblem::TooLong => Text::TokenNameTooLong {
                max: &MAX_TOKEN_NAME,
            }
            .get(lang),
            NameProblem::ControlCharacter => Text::TokenNameControl.get(lang),
        };
        errors.push(FieldError::new("name", text));
    });
    let expires = rules::expiry(now, body.expires_in_days);
    if expires.is_none() {
        errors.push(FieldError::new(
            "expires_in_days",
            Text::TokenExpiryRange {
                max: &MAX_TOKEN_DAYS,
            }
            .get(lang),
        ));
    }
    match (name, expires) {
        (Ok(name), Some(expires)) => Ok((name, expires)),
        _ => Err(AppError::Validation(errors)),
    }
}

fn dto(row: TokenRow, now: DateTime<Utc>, with_owner: bool) -> AccessToken {
    let active =
        instant(&row.expires_at).is_some_and(|e| rules::active(e, row.revoked_at.is_some(), now));
    row.into_dto(active, with_owner)
}

/// Makes a token for the signed-in person; the answer is the only time its secret exists
/// outside their hands.
pub async fn create(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    body: &NewToken,
    lang: Lang,
) -> Result<CreatedToken> {
    super::require(actor, Action::ViewOwnAccount)?;
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let now = clock.now();
    let (name, expires) = parse(body, now, lang)?;
    let mut bytes = [0u8; rules::SECRET_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    let secret = Secret::from_bytes(bytes);
    let id = db
        .insert_token(&NewTokenRow {
            user,
            name: name.as_str(),
            hash: &secret.hash(),
            scope: body.scope,
            created_at: &now.to_rfc3339(),
            expires_at: &expires.to_rfc3339(),
        })
        .await?;
    let row = db.token(id).await?.ok_or(AppError::NotFound)?;
    Ok(CreatedToken {
        token: dto(row, now, false),
        secret: secret.as_str().to_owned(),
    })
}

/// The signed-in person's tokens, newest first.
pub async fn mine(db: &Db, clock: &dyn Clock, actor: &Actor) -> Result<Vec<AccessToken>> {
    super::require(actor, Action::ViewOwnAccount)?;
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let now = clock.now();
    Ok(db
        .tokens(Some(user))
        .await?
        .into_iter()
        .map(|r| dto(r, now, false))
        .collect())
}

/// Every token with its owner (administrators).
pub async fn all(db: &Db, clock: &dyn Clock, actor: &Actor) -> Result<Vec<AccessToken>> {
    super::require(actor, Action::ManageUsers)?;
    let now = clock.now();
    Ok(db
        .tokens(None)
        .await?
        .into_iter()
        .map(|r| dto(r, now, true))
        .collect())
}

/// Revokes one of the signed-in person's tokens (`any`: an administrator revokes anyone's).
/// Someone else's token is "not found", like a missing one.
pub async fn revoke(db: &Db, clock: &dyn Clock, actor: &Actor, id: i64, any: bool) -> Result<()> {
    let action = if any {
        Action::ManageUsers
    } else {
        Action::ViewOwnAccount
    };
    super::require(actor, action)?;
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let owner = (!any).then_some(by);
    let now = clock.now().to_rfc3339();
    if db.revoke_token(id, owner, by, &now).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The secret of a token `user` made a moment ago, from the sealed value in the account
/// page's address and the browser's session cookie: shown only to that browser, only
/// for [`REVEAL_FOR`], only while the token is not revoked, and only if it really is
/// the token's secret.
pub async fn reveal(
    db: &Db,
    clock: &dyn Clock,
    user: UserId,
    id: i64,
    sealed: &str,
    session: &str,
) -> Result<Option<CreatedToken>> {
    let Some(row) = db.token(id).await? else {
        return Ok(None);
    };
    let now = clock.now();
    let recent = instant(&row.created_at).is_some_and(|c| now - c < REVEAL_FOR && c <= now);
    if row.user != user || row.revoked_at.is_some() || !recent {
        return Ok(None);
    }
    let Some(secret) = rules::unseal(sealed, session, id) else {
        return Ok(None);
    };
    if db
        .token_by_hash(&secret.hash())
        .await?
        .is_none_or(|t| t.id != id)
    {
        return Ok(None);
    }
    Ok(Some(CreatedToken {
        token: dto(row, now, false),
        secret: secret.as_str().to_owned(),
    }))
}

/// Seals a fresh secret for the account page's address (see [`reveal`]).
pub fn seal_for_page(created: &CreatedToken, session: &str) -> Option<String> {
    let secret = Secret::parse(&created.secret)?;
    Some(rules::seal(&secret, session, created.token.id))
}
