//! All SQL lives below this module. Functions take the pool (or a transaction) and return
//! domain or contract types; nothing above this layer knows the database engine.
//!
//! The seam (docs/database-seam.md): the rest of the server names only what this file
//! defines — [`Db`], [`Conn`], [`Tx`], [`ReadConn`], [`DbError`] — and never an engine type.
//! Engine errors are mapped to the application's cases here, once ([`DbError`]'s `From`
//! and [`classify`]).

pub mod accounts;
pub mod audit;
pub mod backup;
mod builder;
pub mod cart;
pub mod catalogue;
pub mod csv_uploads;
pub mod drafts;
pub mod engine;
pub mod erasure;
pub mod feeds;
pub mod handover;
pub mod import;
pub mod jobs;
pub mod kit_editor;
pub mod mail;
pub mod migrate_to;
pub mod overview;
pub mod privacy;
pub mod reminders;
pub mod request_feeds;
pub mod reservations;
pub mod stats;
pub mod sync;
pub mod sync_people_kits;
pub mod tokens;
pub mod trainings;

pub(crate) use builder::SqlBuilder;
pub use engine::Engine;

/// The number of rows in `lock_slots` (migration `20261201000210_lock_slots`).
const LOCK_SLOTS: u64 = 4096;

/// The `lock_slots` row a name is locked through: FNV-1a, so every instance and every
/// release agrees (std's hashers promise neither).
fn lock_slot(name: &str) -> i64 {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % LOCK_SLOTS) as i64
}

/// The clause that makes a `SELECT` lock the rows it reads until the transaction ends,
/// when a lock is needed: inside a transaction on PostgreSQL. `None` on SQLite, where
/// `BEGIN IMMEDIATE` already makes writers take turns, and outside a transaction (a read).
pub fn row_lock(conn: &sqlx::AnyConnection) -> Option<&'static str> {
    let engine = Engine::of(conn);
    (engine != Engine::Sqlite && conn.is_in_transaction()).then(|| engine.for_update())
}

/// Inside a transaction on PostgreSQL, waits for and holds (until the transaction ends) the
/// rows of `table` whose `column` is `key`, so transactions deciding about the same thing
/// take turns, as SQLite's single writer makes them. Row locks, not advisory locks, so
/// PostgreSQL-compatible distributed engines run it too. A no-op on SQLite and outside a
/// transaction ([`row_lock`]). `table` and `column` are names from the code, never input.
pub async fn lock_rows<'k>(
    conn: &mut sqlx::AnyConnection,
    table: &'static str,
    column: &'static str,
    key: impl Into<RowKey<'k>>,
) -> DbResult<()> {
    let Some(lock) = row_lock(conn) else {
        return Ok(());
    };
    let sql = format!("SELECT {column} FROM {table} WHERE {column} = $1{lock}");
    let query = sqlx::query(&sql);
    let query = match key.into() {
        RowKey::Id(id) => query.bind(id),
        RowKey::Text(text) => query.bind(text),
    };
    query.fetch_all(&mut *conn).await?;
    Ok(())
}

/// The key of the rows [`lock_rows`] locks.
#[derive(Debug, Clone, Copy)]
pub enum RowKey<'k> {
    Id(i64),
    Text(&'k str),
}

impl From<i64> for RowKey<'_> {
    fn from(id: i64) -> Self {
        RowKey::Id(id)
    }
}

impl<'k> From<&'k str> for RowKey<'k> {
    fn from(text: &'k str) -> Self {
        RowKey::Text(text)
    }
}

/// Like [`lock_rows`], for names that need not have a row: each of `names` is hashed to a
/// row of `lock_slots`, locked in slot order in one query (so two callers never wait for
/// each other in a circle; two names may share a slot, and then simply take turns).
pub async fn lock_names(conn: &mut sqlx::AnyConnection, names: &[&str]) -> DbResult<()> {
    let Some(lock) = row_lock(conn) else {
        return Ok(());
    };
    let mut slots: Vec<i64> = names.iter().map(|n| lock_slot(n)).collect();
    slots.sort_unstable();
    slots.dedup();
    let list = slots
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    // Numbers from `lock_slot`, never input. PostgreSQL locks the rows in the order the
    // sort returns them (the lock sits above the sort in the plan).
    sqlx::query(&format!(
        "SELECT slot FROM lock_slots WHERE slot IN ({list}) ORDER BY slot{lock}"
    ))
    .fetch_all(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod lock_slot_tests {
    use super::*;

    #[test]
    fn a_name_always_has_the_same_slot_within_range() {
        // Fixed values: instances of different releases must agree on them.
        assert_eq!(
            lock_slot(""),
            (0xcbf2_9ce4_8422_2325_u64 % LOCK_SLOTS) as i64
        );
        assert_eq!(
            lock_slot("a"),
            (0xaf63_dc4c_8601_ec8c_u64 % LOCK_SLOTS) as i64
        );
        for name in ["login_failures:email:x@y.be", "desk_idempotency:3:k"] {
            let slot = lock_slot(name);
            assert_eq!(slot, lock_slot(name));
            assert!((0..LOCK_SLOTS as i64).contains(&slot));
        }
    }
}

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, AnyPool, Connection, Transaction};
use std::borrow::Cow;
use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A connection (read-only or the writer's, inside a transaction) that db functions take.
/// Services pass `&mut tx` (a [`Tx`]) or `&mut conn` (a [`ReadConn`]); both dereference
/// to it.
pub type Conn = sqlx::AnyConnection;

/// A read-only connection borrowed from the pool (given back when dropped).
pub type ReadConn = PoolConnection<Any>;

/// A write transaction on the one writer connection (`BEGIN IMMEDIATE`), from
/// [`Db::begin`]. Dropped without [`Tx::commit`], it rolls back.
pub struct Tx(Transaction<'static, Any>);

impl Tx {
    /// Makes the transaction's writes permanent.
    pub async fn commit(self) -> DbResult<()> {
        self.0.commit().await.map_err(DbError::from)
    }

    /// Undoes the transaction's writes (dropping it does the same, later).
    pub async fn rollback(self) -> DbResult<()> {
        self.0.rollback().await.map_err(DbError::from)
    }
}

impl Deref for Tx {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tx")
    }
}

/// The storage handle shared by all requests.
///
/// SQLite allows one writer at a time. Instead of letting several connections race for
/// the write lock (and sleep in SQLite's busy handler), every write goes through **one
/// writer connection** whose pool hands it out first come, first served; readers use
/// their own read-only connections and never wait for writers (WAL).
#[derive(Debug, Clone)]
pub struct Db {
    engine: Engine,
    read: AnyPool,
    write: AnyPool,
    queue: Arc<WriteQueue>,
}

/// How many writers may wait for the writer connection before new ones are turned away,
/// and how long one may wait. Past either, the request is answered 503 + Retry-After
/// instead of timing out later inside a transaction.
#[derive(Debug)]
struct WriteQueue {
    waiting: AtomicUsize,
    limit: usize,
}

/// Writers allowed to wait at once.
const WRITE_QUEUE_LIMIT: usize = 1024;
/// Connections per instance on PostgreSQL (reads and writes share them).
const PG_CONNECTIONS: u32 = 16;
/// The longest a writer waits for the writer connection.
const WRITE_WAIT: Duration = Duration::from_secs(10);
/// The longest SQLite waits for a lock held by another process (an outside `sqlite3`,
/// a backup, another instance).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A place in the writer queue; leaving the queue (by any path) frees it.
struct QueueTicket<'a>(&'a WriteQueue);

impl WriteQueue {
    fn enter(&self) -> DbResult<QueueTicket<'_>> {
        let before = self.waiting.fetch_add(1, Ordering::AcqRel);
        let ticket = QueueTicket(self);
        if before >= self.limit {
            return Err(DbError::Busy("write queue full"));
        }
        Ok(ticket)
    }
}

impl Drop for QueueTicket<'_> {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Storage failures. Constraint violations are told apart so callers can answer 409/422.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unique constraint violated: {0}")]
    Conflict(String),
    /// A bounded resource (the writer queue, a connection pool, the password hasher) is
    /// full right now: the request may be repeated shortly (503 + Retry-After).
    #[error("busy: {0}")]
    Busy(&'static str),
    /// Anything else the engine reports (answered 500, logged with detail).
    #[error(transparent)]
    Sqlx(sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A helper task of the storage or password layer failed (a panic, a lost task).
    #[error("task failed: {0}")]
    Task(String),
}

impl From<sqlx::Error> for DbError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::PoolTimedOut => DbError::Busy("no database connection free in time"),
            // SQLITE_BUSY: another process held the write lock past the busy timeout.
            sqlx::Error::Database(db) if db.code().as_deref() == Some("5") => {
                DbError::Busy("database locked by another process")
            }
            // PostgreSQL: a serialization failure, a deadlock, a lock not available.
            sqlx::Error::Database(db)
                if matches!(db.code().as_deref(), Some("40001" | "40P01" | "55P03")) =>
            {
                DbError::Busy("the transaction lost a race with another; try again")
            }
            other => DbError::Sqlx(other),
        }
    }
}

/// Maps engine errors to the cases the application distinguishes, for statements where a
/// uniqueness rule is the expected refusal (a duplicate becomes [`DbError::Conflict`],
/// answered 409 or worded by the caller). `sqlx`'s error kinds are engine-neutral.
pub(crate) fn classify(err: sqlx::Error) -> DbError {
    if let sqlx::Error::Database(db) = &err {
        if db.is_unique_violation() {
            return DbError::Conflict(db.message().to_owned());
        }
    }
    DbError::from(err)
}

pub type DbResult<T> = Result<T, DbError>;

/// Binds Rust's unsigned numbers and flags the way both engines store them: as `BIGINT`
/// integers (`sqlx::Any` binds no `u32`, and a `bool` would reach PostgreSQL as a
/// `boolean`, which a `BIGINT` flag column refuses).
pub(crate) trait AsInt {
    type Out;
    fn int(self) -> Self::Out;
}

impl AsInt for u32 {
    type Out = i64;
    fn int(self) -> i64 {
        i64::from(self)
    }
}

impl AsInt for bool {
    type Out = i64;
    fn int(self) -> i64 {
        i64::from(self)
    }
}

impl<T: AsInt> AsInt for Option<T> {
    type Out = Option<T::Out>;
    fn int(self) -> Option<T::Out> {
        self.map(AsInt::int)
    }
}

/// A yes/no read from SQL. SQLite answers a comparison or `EXISTS` with an integer (0/1)
/// and PostgreSQL with a `boolean`; `sqlx::Any` decodes a `bool` only from the latter and
/// an `i64` only from the former. `Flag` takes either (any non-zero integer is yes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flag(pub bool);

impl sqlx::Type<Any> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <i64 as sqlx::Type<Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <i64 as sqlx::Type<Any>>::compatible(ty) || <bool as sqlx::Type<Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Any> for Flag {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        match <i64 as sqlx::Decode<Any>>::decode(value.clone()) {
            Ok(n) => Ok(Flag(n != 0)),
            Err(_) => Ok(Flag(<bool as sqlx::Decode<Any>>::decode(value)?)),
        }
    }
}

/// Appends ` AND <column> IN (…)` with the ids bound (a 0 first, so an empty list is valid
/// SQL and matches nothing).
pub(crate) fn push_in(q: &mut SqlBuilder<'_>, column: &str, ids: impl IntoIterator<Item = i64>) {
    q.push(" AND ").push(column).push(" IN (");
    let mut list = q.separated(", ");
    list.push_bind(0i64);
    for id in ids {
        list.push_bind(id);
    }
    q.push(")");
}

/// Held while a process migrates and seeds the database. Instances started at the same
/// moment on one new SQLite file would otherwise both apply the same migration (the loser
/// fails to start) or both load the demo data; with it they take turns, and the later one
/// finds the work done. An advisory lock on `<database>-startup.lock` beside the database
/// file (instances on one SQLite file share a host); nothing for an in-memory database.
#[derive(Debug)]
pub struct StartupLock {
    _held: Option<std::fs::File>,
    /// On PostgreSQL: the connection holding `pg_advisory_lock(STARTUP_KEY)`; closing it
    /// (dropping the lock) releases the lock.
    _pg: Option<Conn>,
}

/// The advisory lock key instances take while they migrate and seed a PostgreSQL database.
const STARTUP_KEY: i64 = 0x4c65_656e_7075_6e74; // "Leenpunt"

impl StartupLock {
    /// Waits for the lock of the database at `url`.
    pub async fn acquire(url: &str) -> DbResult<StartupLock> {
        if Engine::from_url(url) == Some(Engine::Postgres) {
            sqlx::any::install_default_drivers();
            let mut conn = <Conn as Connection>::connect(url).await?;
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(STARTUP_KEY)
                .execute(&mut conn)
                .await?;
            return Ok(StartupLock {
                _held: None,
                _pg: Some(conn),
            });
        }
        if is_memory(url) {
            return Ok(StartupLock {
                _held: None,
                _pg: None,
            });
        }
        let mut path = SqliteConnectOptions::from_str(url)?
            .get_filename()
            .as_os_str()
            .to_owned();
        path.push("-startup.lock");
        let held = tokio::task::spawn_blocking(move || -> std::io::Result<std::fs::File> {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)?;
            file.lock()?;
            Ok(file)
        })
        .await
        .map_err(|e| DbError::Task(format!("startup lock task: {e}")))?
        .map_err(|e| DbError::Sqlx(sqlx::Error::Io(e)))?;
        Ok(StartupLock {
            _held: Some(held),
            _pg: None,
        })
    }
}

impl Db {
    /// Opens (creating if missing) an SQLite database in WAL mode and applies migrations:
    /// one writer connection, and read-only connections for everything else.
    ///
    /// The pools are `sqlx::Any` pools (the engine is chosen from the URL at run time).
    /// Any's connect options carry only the URL, so what `SqliteConnectOptions` used to set
    /// is set here instead: the open mode through the URL's `mode` parameter (`rwc` for the
    /// writer, `ro` for readers), the rest as PRAGMAs on every new connection
    /// ([`sqlite_pragmas`]). sqlx's SQLite driver already turns foreign keys on and sets a
    /// 5 s busy timeout; they are set again so the settings do not hang on its defaults.
    pub async fn open(url: &str) -> DbResult<Db> {
        // Registers sqlx's drivers with `sqlx::Any`; later calls do nothing.
        sqlx::any::install_default_drivers();
        if Engine::from_url(url) == Some(Engine::Postgres) {
            return Db::open_postgres(url).await;
        }
        let memory = is_memory(url);
        let write_options = AnyConnectOptions::from_str(&sqlite_url_with_mode(url, "rwc"))?;
        let write = AnyPoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(WRITE_WAIT)
            .after_connect(|conn, _| Box::pin(async move { sqlite_pragmas(conn, true).await }))
            .after_release(|conn, _| Box::pin(async move { released_cleanly(conn).await }))
            .connect_with(write_options)
            .await?;
        sqlx::migrate!("../migrations").run(&write).await?;
        // An in-memory database exists once per connection: readers must share the writer.
        let read = if memory {
            write.clone()
        } else {
            AnyPoolOptions::new()
                .max_connections(8)
                .min_connections(1)
                .acquire_timeout(WRITE_WAIT)
                .after_connect(|conn, _| Box::pin(async move { sqlite_pragmas(conn, false).await }))
                .after_release(|conn, _| Box::pin(async move { released_cleanly(conn).await }))
                .connect_with(AnyConnectOptions::from_str(&sqlite_url_with_mode(
                    url, "ro",
                ))?)
                .await?
        };
        Ok(Db {
            engine: Engine::Sqlite,
            read,
            write,
            queue: Arc::new(WriteQueue {
                waiting: AtomicUsize::new(0),
                limit: WRITE_QUEUE_LIMIT,
            }),
        })
    }

    /// Opens a PostgreSQL database and applies its migrations (`migrations/postgres`).
    /// PostgreSQL has many writers: one pool serves reads and writes, `BEGIN` is plain,
    /// and transactions that check and then write take row locks on what they decide on
    /// ([`Engine::for_update`]); the writer queue only counts waiting writers.
    async fn open_postgres(url: &str) -> DbResult<Db> {
        let pool = AnyPoolOptions::new()
            .max_connections(PG_CONNECTIONS)
            .min_connections(1)
            .acquire_timeout(WRITE_WAIT)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    // A lock held longer than this is answered 503 + Retry-After (55P03).
                    sqlx::query("SET lock_timeout = '5s'")
                        .execute(&mut *conn)
                        .await?;
                    // Days and instants are UTC text; SQL date arithmetic
                    // (`Engine::julian`) reads a bare day as midnight UTC, as SQLite does.
                    sqlx::query("SET TimeZone = 'UTC'")
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            })
            .after_release(|conn, _| Box::pin(async move { released_cleanly(conn).await }))
            .connect(url)
            .await?;
        sqlx::migrate!("../migrations/postgres").run(&pool).await?;
        Ok(Db {
            engine: Engine::Postgres,
            read: pool.clone(),
            write: pool,
            queue: Arc::new(WriteQueue {
                waiting: AtomicUsize::new(0),
                limit: WRITE_QUEUE_LIMIT,
            }),
        })
    }

    /// The engine behind this handle.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The read-only connections, for this module's functions and for tests that look
    /// at the stored rows. Code above `db` uses [`Db::read`].
    pub fn pool(&self) -> &AnyPool {
        &self.read
    }

    /// The writer connection's pool, for single-statement writes (auto-committed) in this
    /// module and in tests. Code above `db` uses [`Db::begin`].
    pub fn writer(&self) -> &AnyPool {
        &self.write
    }

    /// A read-only connection.
    pub async fn read(&self) -> DbResult<ReadConn> {
        Ok(self.read.acquire().await?)
    }

    /// Starts a write transaction on the writer connection, waiting in line (fairly, first
    /// come first served) behind other writers.
    ///
    /// Cancellation-safe: the caller may be dropped at any `.await` (a timeout, a client
    /// that hangs up). Waiting is safe to abandon; the `BEGIN` itself runs in a task of its
    /// own so it always completes and is either handed over as a transaction (which rolls
    /// back when dropped) or rolled back; and a connection that still reports an open
    /// transaction when it comes back is closed rather than reused (`released_cleanly`).
    pub async fn begin(&self) -> DbResult<Tx> {
        let ticket = self.queue.enter()?;
        let conn = self.write.acquire().await?;
        drop(ticket);
        let begin = tokio::spawn(Transaction::begin(
            conn,
            Some(Cow::Borrowed(self.engine.begin())),
        ));
        match begin.await {
            Ok(tx) => Ok(Tx(tx?)),
            Err(e) => Err(DbError::Task(format!("BEGIN task failed: {e}"))),
        }
    }

    /// Whether the writer can write right now: takes the write lock and lets it go.
    pub async fn can_write(&self, within: Duration) -> DbResult<()> {
        let tx = tokio::time::timeout(within, self.begin())
            .await
            .map_err(|_| DbError::Busy("writer did not answer in time"))??;
        tx.rollback().await?;
        Ok(())
    }

    /// Writers waiting for the writer connection now.
    pub fn write_queue_len(&self) -> usize {
        self.queue.waiting.load(Ordering::Acquire)
    }

    /// A trivial round trip, for readiness checks.
    pub async fn ping(&self) -> DbResult<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    /// True when the catalogue has no partner services yet (a fresh install).
    pub async fn is_empty(&self) -> DbResult<bool> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM partners")
            .fetch_one(&self.read)
            .await?;
        Ok(n == 0)
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// Whether an SQLite URL names an in-memory database.
fn is_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// The SQLite URL with its `mode` parameter set to `mode` (`rwc`: read-write, created if
/// missing; `ro`: read-only). An in-memory URL is returned as it is.
fn sqlite_url_with_mode(url: &str, mode: &str) -> String {
    if is_memory(url) {
        return url.to_owned();
    }
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("mode="))
        .collect();
    let mode = format!("mode={mode}");
    params.push(&mode);
    format!("{base}?{}", params.join("&"))
}

/// The settings every SQLite connection gets when it is opened (Any's connect options
/// cannot carry them). `journal_mode` is a property of the file and needs a writable
/// connection, so only the writer sets it; readers find the file in WAL mode.
async fn sqlite_pragmas(conn: &mut Conn, writer: bool) -> Result<(), sqlx::Error> {
    let busy = format!("PRAGMA busy_timeout = {}", BUSY_TIMEOUT.as_millis());
    let mut pragmas = vec![
        busy.as_str(),
        "PRAGMA foreign_keys = ON",
        "PRAGMA temp_store = MEMORY",
    ];
    if writer {
        pragmas.extend(["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"]);
    }
    for pragma in pragmas {
        sqlx::query(pragma).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Whether a connection coming back to its pool may be reused: queued work (a rollback
/// started by a dropped transaction) is flushed first, and a connection still inside a
/// transaction is closed (which rolls it back) instead of wedging every later writer.
async fn released_cleanly(conn: &mut Conn) -> Result<bool, sqlx::Error> {
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    // Usually a rollback queued by a dropped transaction: let it run, then look again.
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::warn!("a connection came back inside a transaction; closing it");
        return Ok(false);
    }
    Ok(true)
}

/// Plain SQL for unit tests above this module, so they need not name the engine.
#[cfg(test)]
impl Db {
    /// Runs one statement on the writer connection.
    pub(crate) async fn exec_for_test(&self, sql: &str) {
        sqlx::query(sql).execute(&self.write).await.unwrap();
    }

    /// The one integer a query returns (e.g. a `count(*)`).
    pub(crate) async fn scalar_for_test(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.read).await.unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pragma_int(conn: &mut Conn, name: &str) -> i64 {
        sqlx::query_scalar(&format!("PRAGMA {name}"))
            .fetch_one(&mut *conn)
            .await
            .unwrap()
    }

    /// What `SqliteConnectOptions` used to set is in effect on the `Any` pools' connections.
    #[tokio::test]
    async fn sqlite_connections_get_their_settings() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("new.db").display());
        // Created when missing.
        let db = Db::open(&url).await.unwrap();
        let mut writer = db.writer().acquire().await.unwrap();
        let mut reader = db.read().await.unwrap();
        for conn in [&mut *writer, &mut *reader] {
            assert_eq!(pragma_int(conn, "foreign_keys").await, 1);
            assert_eq!(pragma_int(conn, "busy_timeout").await, 5000);
            assert_eq!(pragma_int(conn, "temp_store").await, 2, "MEMORY");
            let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!(mode, "wal");
        }
        assert_eq!(pragma_int(&mut writer, "synchronous").await, 1, "NORMAL");
        // Readers cannot write; the writer can.
        let refused = sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(&mut *reader)
            .await
            .unwrap_err();
        assert!(refused.to_string().contains("readonly"), "{refused}");
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(&mut *writer)
            .await
            .unwrap();
        drop((writer, reader));
        db.close().await;
    }

    #[test]
    fn the_open_mode_replaces_one_in_the_url() {
        assert_eq!(
            sqlite_url_with_mode("sqlite://data/l.db", "ro"),
            "sqlite://data/l.db?mode=ro"
        );
        assert_eq!(
            sqlite_url_with_mode("sqlite://data/l.db?mode=rw&cache=private", "rwc"),
            "sqlite://data/l.db?cache=private&mode=rwc"
        );
        assert_eq!(
            sqlite_url_with_mode("sqlite::memory:", "ro"),
            "sqlite::memory:"
        );
    }
}
