//! All SQL lives below this module. Functions take the pool (or a transaction) and return
//! domain or contract types; nothing above this layer knows the database engine.

pub mod accounts;
pub mod backup;
pub mod catalogue;
pub mod feeds;
pub mod handover;
pub mod import;
pub mod mail;
pub mod reservations;
pub mod trainings;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

/// The storage handle shared by all requests.
#[derive(Debug, Clone)]
pub struct Db {
    pool: SqlitePool,
}

/// Storage failures. Constraint violations are told apart so callers can answer 409/422.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unique constraint violated: {0}")]
    Conflict(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Maps engine errors to the cases the application distinguishes.
pub(crate) fn classify(err: sqlx::Error) -> DbError {
    if let sqlx::Error::Database(db) = &err {
        if db.is_unique_violation() {
            return DbError::Conflict(db.message().to_owned());
        }
    }
    DbError::Sqlx(err)
}

pub type DbResult<T> = Result<T, DbError>;

/// Appends ` AND <column> IN (…)` with the ids bound (a 0 first, so an empty list is valid
/// SQL and matches nothing).
pub(crate) fn push_in(
    q: &mut sqlx::QueryBuilder<'_, sqlx::Sqlite>,
    column: &str,
    ids: impl IntoIterator<Item = i64>,
) {
    q.push(" AND ").push(column).push(" IN (");
    let mut list = q.separated(", ");
    list.push_bind(0i64);
    for id in ids {
        list.push_bind(id);
    }
    q.push(")");
}

impl Db {
    /// Opens (creating if missing) an SQLite database in WAL mode and applies migrations.
    pub async fn open(url: &str) -> DbResult<Db> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .connect_with(options)
            .await?;
        sqlx::migrate!("../migrations").run(&pool).await?;
        Ok(Db { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A trivial round trip, for readiness checks.
    pub async fn ping(&self) -> DbResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// True when the catalogue has no partner services yet (a fresh install).
    pub async fn is_empty(&self) -> DbResult<bool> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM partners")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
