//! Personal access tokens: storage, and the token a request acts with (for the audit log).

use super::{accounts::audit, Db, DbResult};
use leenpunt_shared::tokens::{AccessToken, TokenScope};
use leenpunt_shared::UserId;
use std::future::Future;

tokio::task_local! {
    /// The access token the current request acts with (set by `http::tokens::bearer`
    /// around the whole request), so every audit row it writes names the token.
    static ACTING_TOKEN: i64;
}

/// The access token the current request acts with, if any.
pub fn acting_token() -> Option<i64> {
    ACTING_TOKEN.try_with(|id| *id).ok()
}

/// Runs a request's future as acting with a token. Writes run in the request's own task
/// (only `BEGIN` is spawned, and it writes no audit row), so they all see it.
pub async fn acting_with<F: Future>(token: i64, f: F) -> F::Output {
    ACTING_TOKEN.scope(token, f).await
}

/// A token found by its hash, with what the rules need.
#[derive(Debug, Clone)]
pub struct TokenAuth {
    pub id: i64,
    pub user: UserId,
    pub scope: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
    pub owner_disabled: bool,
}

/// A new token's row.
pub struct NewTokenRow<'a> {
    pub user: UserId,
    pub name: &'a str,
    pub hash: &'a str,
    pub scope: TokenScope,
    pub created_at: &'a str,
    pub expires_at: &'a str,
}

/// A token as listed, with its owner; `active` is left for the service to decide.
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub id: i64,
    pub user: UserId,
    pub name: String,
    pub scope: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    pub owner_name: String,
    pub owner_email: String,
}

impl TokenRow {
    pub fn into_dto(self, active: bool, with_owner: bool) -> AccessToken {
        AccessToken {
            id: self.id,
            name: self.name,
            scope: TokenScope::parse(&self.scope).unwrap_or(TokenScope::Read),
            created_at: self.created_at,
            expires_at: self.expires_at,
            last_used_at: self.last_used_at,
            revoked_at: self.revoked_at,
            active,
            owner_name: with_owner.then_some(self.owner_name),
            owner_email: with_owner.then_some(self.owner_email),
        }
    }
}

const SELECT_ROWS: &str = "SELECT t.id, t.user_id, t.name, t.scope, t.created_at, t.expires_at, \
     t.last_used_at, t.revoked_at, u.name, u.email \
     FROM access_tokens t JOIN users u ON u.id = t.user_id";

type Row = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
);

fn row(
    (
        id,
        user,
        name,
        scope,
        created_at,
        expires_at,
        last_used_at,
        revoked_at,
        owner_name,
        owner_email,
    ): Row,
) -> TokenRow {
    TokenRow {
        id,
        user: UserId(user),
        name,
        scope,
        created_at,
        expires_at,
        last_used_at,
        revoked_at,
        owner_name,
        owner_email,
    }
}

impl Db {
    /// The token with this secret's hash, if any.
    #[tracing::instrument(skip_all)]
    pub async fn token_by_hash(&self, hash: &str) -> DbResult<Option<TokenAuth>> {
        let found = sqlx::query_as::<
            _,
            (
                i64,
                i64,
                String,
                String,
                Option<String>,
                Option<String>,
                super::Flag,
            ),
        >(
            "SELECT t.id, t.user_id, t.scope, t.expires_at, t.revoked_at, t.last_used_at, \
               u.disabled_at IS NOT NULL \
             FROM access_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1",
        )
        .bind(hash)
        .fetch_optional(&mut *self.read().await?)
        .await?;
        Ok(found.map(
            |(id, user, scope, expires_at, revoked_at, last_used_at, owner_disabled)| TokenAuth {
                id,
                user: UserId(user),
                scope,
                expires_at,
                revoked_at,
                last_used_at,
                owner_disabled: owner_disabled.0,
            },
        ))
    }

    /// Notes a token's use, unless another request did so since `not_after`.
    #[tracing::instrument(skip(self))]
    pub async fn touch_token(&self, id: i64, now: &str, not_after: &str) -> DbResult<()> {
        sqlx::query(
            "UPDATE access_tokens SET last_used_at = $1 \
             WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)",
        )
        .bind(now)
        .bind(id)
        .bind(not_after)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Stores a new token and audits it, in one transaction; returns its id.
    #[tracing::instrument(skip_all, fields(user = new.user.0))]
    pub async fn insert_token(&self, new: &NewTokenRow<'_>) -> DbResult<i64> {
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO access_tokens (user_id, name, hash, scope, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.user.0)
        .bind(new.name)
        .bind(new.hash)
        .bind(new.scope.code())
        .bind(new.created_at)
        .bind(new.expires_at)
        .fetch_one(&mut *tx)
        .await?;
        let detail = format!(
            "{} ({}), tot {}",
            new.name,
            new.scope.code(),
            new.expires_at
        );
        audit(
            &mut tx,
            Some(new.user),
            "token.create",
            &format!("token:{id}"),
            &detail,
            new.created_at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One token, with its owner.
    pub async fn token(&self, id: i64) -> DbResult<Option<TokenRow>> {
        let found: Option<Row> = sqlx::query_as(&format!("{SELECT_ROWS} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(&mut *self.read().await?)
            .await?;
        Ok(found.map(row))
    }

    /// A person's tokens (`Some`) or everyone's, newest first.
    pub async fn tokens(&self, owner: Option<UserId>) -> DbResult<Vec<TokenRow>> {
        let rows: Vec<Row> = match owner {
            Some(user) => {
                sqlx::query_as(&format!(
                    "{SELECT_ROWS} WHERE t.user_id = $1 ORDER BY t.id DESC"
                ))
                .bind(user.0)
                .fetch_all(&mut *self.read().await?)
                .await?
            }
            None => {
                sqlx::query_as(&format!("{SELECT_ROWS} ORDER BY t.id DESC"))
                    .fetch_all(&mut *self.read().await?)
                    .await?
            }
        };
        Ok(rows.into_iter().map(row).collect())
    }

    /// Revokes a token (of `owner` when given) and audits it, in one transaction. Returns
    /// false when there is no such token; revoking a revoked token changes nothing.
    #[tracing::instrument(skip(self))]
    pub async fn revoke_token(
        &self,
        id: i64,
        owner: Option<UserId>,
        by: UserId,
        now: &str,
    ) -> DbResult<bool> {
        let mut tx = self.begin().await?;
        let found: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT name, revoked_at FROM access_tokens WHERE id = $1 AND ($2 IS NULL OR user_id = $3)",
        )
        .bind(id)
        .bind(owner.map(|o| o.0))
        .bind(owner.map(|o| o.0))
        .fetch_optional(&mut *tx)
        .await?;
        let Some((name, revoked_at)) = found else {
            return Ok(false);
        };
        if revoked_at.is_none() {
            sqlx::query("UPDATE access_tokens SET revoked_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            audit(
                &mut tx,
                Some(by),
                "token.revoke",
                &format!("token:{id}"),
                &name,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
