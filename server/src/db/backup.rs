//! The SQL side of backups: a consistent snapshot of the live database taken on a connection
//! of its own (never the application's pools), and the checks a copy must pass before it is
//! trusted, whether it was just written by a backup or is about to be restored.

use super::DbResult;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// The file a database URL names (it may not exist).
pub fn database_file(url: &str) -> DbResult<PathBuf> {
    Ok(SqliteConnectOptions::from_str(url)?
        .get_filename()
        .to_path_buf())
}

/// Writes a consistent snapshot of the database at `url` into `into`, which must not exist.
///
/// `VACUUM INTO` reads inside one read transaction, so the copy holds exactly the transactions
/// committed before it began (including those still in the `-wal` file) and nothing of those
/// committed while it runs; in WAL mode writers go on meanwhile. The copy is not fsynced here.
#[tracing::instrument(skip_all, fields(into = %into.display()))]
pub async fn snapshot(url: &str, into: &Path) -> DbResult<()> {
    let mut conn = SqliteConnectOptions::from_str(url)?
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(30))
        .connect()
        .await?;
    sqlx::query("VACUUM INTO ?")
        .bind(into.to_string_lossy().into_owned())
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

/// What a database copy holds, as far as a backup or a restore needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// The lines of `PRAGMA integrity_check` other than `ok`: empty when the copy is sound.
    pub problems: Vec<String>,
    /// The file names of the uploaded photos the catalogue refers to (`/fotos/<name>`).
    pub photos: Vec<String>,
    pub reservations: i64,
    /// The newest migration applied to the copy.
    pub schema_version: i64,
}

/// The newest migration this program knows: a copy with a newer one came from a newer
/// Leenpunt and cannot be served by this one.
pub fn known_schema_version() -> i64 {
    sqlx::migrate!("../migrations")
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// Checks a database copy that no one else has open and makes it one self-contained file
/// (rollback journal mode, so no `-wal` file belongs to it); the server turns WAL back on
/// when it opens the file.
#[tracing::instrument(skip_all, fields(file = %file.display()))]
pub async fn check_copy(file: &Path) -> DbResult<CopyReport> {
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(false)
        .journal_mode(SqliteJournalMode::Delete)
        .connect()
        .await?;
    let report = inspect(&mut conn).await;
    conn.close().await?;
    report
}

async fn inspect(conn: &mut SqliteConnection) -> DbResult<CopyReport> {
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .filter(|line: &String| line != "ok")
        .collect();
    let schema_version: i64 =
        sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM _sqlx_migrations")
            .fetch_one(&mut *conn)
            .await?;
    let photos = sqlx::query_scalar(
        "SELECT DISTINCT substr(url, length('/fotos/') + 1) FROM kit_photos \
         WHERE url LIKE '/fotos/%' ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    let reservations = sqlx::query_scalar("SELECT count(*) FROM reservations")
        .fetch_one(&mut *conn)
        .await?;
    Ok(CopyReport {
        problems,
        photos,
        reservations,
        schema_version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_snapshot_holds_what_is_still_in_the_wal_and_checks_clean() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("live.db").display());
        let options = SqliteConnectOptions::from_str(&url)
            .unwrap()
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal);
        // Keep the pool open so the committed row stays in the -wal file.
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        sqlx::migrate!("../migrations").run(&pool).await.unwrap();
        sqlx::query(
            "INSERT INTO schools (instellingsnummer, name, network) VALUES ('999999', 'X', 'go')",
        )
        .execute(&pool)
        .await
        .unwrap();
        assert!(dir.path().join("live.db-wal").exists());
        let copy = dir.path().join("copy.db");
        snapshot(&url, &copy).await.unwrap();
        let report = check_copy(&copy).await.unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(report.schema_version, known_schema_version());
        assert!(!dir.path().join("copy.db-wal").exists());
        let mut conn = SqliteConnectOptions::new()
            .filename(&copy)
            .connect()
            .await
            .unwrap();
        let n: i64 =
            sqlx::query_scalar("SELECT count(*) FROM schools WHERE instellingsnummer = '999999'")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        assert_eq!(n, 1);
        // VACUUM INTO refuses to write over an existing file.
        assert!(snapshot(&url, &copy).await.is_err());
        pool.close().await;
    }

    #[test]
    fn the_file_comes_from_the_url() {
        assert_eq!(
            database_file("sqlite://data/leenpunt.db").unwrap(),
            PathBuf::from("data/leenpunt.db")
        );
    }
}
