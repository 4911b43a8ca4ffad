//! `leenpunt migrate-to postgres://…`: moves an SQLite installation (the configured
//! database) into a PostgreSQL database while the server is stopped. See docs/postgres.md,
//! "Moving from SQLite".
//!
//! In order: the source must be a Leenpunt database at this release's version; the target
//! must not hold an installation already (unless `force`) and never one from a newer
//! release; the PostgreSQL migrations run; then, in one PostgreSQL transaction, every
//! table is emptied and copied parents first with the tables' triggers off, the identity
//! sequences are moved past the copied ids, and every table's row count and checksum are
//! compared with the source's. Any difference rolls the whole copy back.

use crate::db::backup::known_schema_version;
use crate::db::migrate_to::{known_postgres_version, Source, Table, TableSum, Target};
use crate::db::{DbError, Engine, StartupLock};
use std::path::Path;
use std::time::{Duration, Instant};

/// Why nothing was moved. The target is left as it was, except that its migrations may
/// have been applied (an empty, migrated database is accepted by the next attempt).
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The operator asked for something unsafe or impossible; nothing was written.
    #[error("{0}")]
    Refused(String),
    /// A table did not arrive as it left; the copy was rolled back.
    #[error(
        "table {table}: the copy does not match the source ({} rows, {} in PostgreSQL; \
         checksum {} vs {}); nothing was kept",
        .source_sum.rows, .target_sum.rows, short(&.source_sum.checksum), short(&.target_sum.checksum)
    )]
    Mismatch {
        table: String,
        source_sum: TableSum,
        target_sum: TableSum,
    },
    /// Copying a table failed (e.g. a row the target's constraints refuse); rolled back.
    #[error("table {table}: {source}; nothing was kept")]
    Table { table: String, source: DbError },
    #[error(transparent)]
    Db(#[from] DbError),
}

/// One table of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableReport {
    pub table: String,
    pub rows: i64,
    pub checksum: String,
}

/// What a finished move did.
#[derive(Debug, Clone)]
pub struct MigrateSummary {
    /// Every table, in the order copied; source and target agreed on each.
    pub tables: Vec<TableReport>,
    /// The migration version both databases are at.
    pub version: i64,
    /// Photo files in the data folder (they stay there).
    pub photos: usize,
    pub elapsed: Duration,
}

/// The first 16 hex digits of a checksum (what the report shows).
pub fn short(checksum: &str) -> &str {
    &checksum[..checksum.len().min(16)]
}

/// Moves the SQLite database at `source_url` into the PostgreSQL database at `target_url`.
/// `photos_dir` is only counted: photos stay where they are.
pub async fn migrate_to(
    source_url: &str,
    target_url: &str,
    photos_dir: &Path,
    force: bool,
) -> Result<MigrateSummary, MigrateError> {
    let started = Instant::now();
    if Engine::from_url(target_url) != Some(Engine::Postgres) {
        return Err(MigrateError::Refused(format!(
            "the target must be a PostgreSQL URL (postgres://user:password@host/database), \
             not {}",
            without_password(target_url)
        )));
    }
    if Engine::from_url(source_url) != Some(Engine::Sqlite) {
        return Err(MigrateError::Refused(
            "the configured database is not SQLite: there is nothing to move".into(),
        ));
    }
    let file = crate::db::backup::database_file(source_url)?;
    if !file.is_file() {
        return Err(MigrateError::Refused(format!(
            "there is no database at {}",
            file.display()
        )));
    }
    let mut source = Source::open(source_url).await?;
    let version = match source.version().await? {
        Some(v) => v,
        None => {
            return Err(MigrateError::Refused(format!(
                "{} is not a Leenpunt database (it has no migration history)",
                file.display()
            )))
        }
    };
    if version != known_schema_version() {
        return Err(MigrateError::Refused(format!(
            "the SQLite database is at migration {version} and this program at {}: start this \
             release on the SQLite database once (it brings it up to date), stop it, then move",
            known_schema_version()
        )));
    }
    // Instances starting on the target wait while this runs (they migrate and seed under
    // the same lock).
    let _lock = StartupLock::acquire(target_url).await?;
    let mut target = Target::connect(target_url).await?;
    let result = copy(&mut source, &mut target, version, force).await;
    // Rolls back whatever is still open; the result says what happened.
    let closed = target.close().await;
    source.close().await?;
    let tables = result?;
    closed?;
    Ok(MigrateSummary {
        tables,
        version,
        photos: count_photos(photos_dir),
        elapsed: started.elapsed(),
    })
}

async fn copy(
    source: &mut Source,
    target: &mut Target,
    version: i64,
    force: bool,
) -> Result<Vec<TableReport>, MigrateError> {
    check_target(target, force).await?;
    let newest = known_postgres_version();
    if newest != version {
        return Err(MigrateError::Refused(format!(
            "this program's PostgreSQL migrations end at {newest}, its SQLite ones at \
             {version}: this build cannot move its own data"
        )));
    }
    target.migrate().await?;
    let tables = target.schema().await?.map_err(MigrateError::Refused)?;
    check_same_tables(source, &tables).await?;
    target.begin(&tables).await?;
    let mut sums = Vec::with_capacity(tables.len());
    for table in &tables {
        let in_table = |source: DbError| MigrateError::Table {
            table: table.name.clone(),
            source,
        };
        let rows = source.rows(table).await.map_err(in_table)?;
        let source_sum = crate::db::migrate_to::sum(&rows);
        target.insert(table, &rows).await.map_err(in_table)?;
        target.reset_identities(table).await.map_err(in_table)?;
        sums.push(source_sum);
    }
    let mut report = Vec::with_capacity(tables.len());
    for (table, source_sum) in tables.iter().zip(sums) {
        let target_sum = target
            .sum(table)
            .await
            .map_err(|source| MigrateError::Table {
                table: table.name.clone(),
                source,
            })?;
        if target_sum != source_sum {
            return Err(MigrateError::Mismatch {
                table: table.name.clone(),
                source_sum,
                target_sum,
            });
        }
        report.push(TableReport {
            table: table.name.clone(),
            rows: source_sum.rows,
            checksum: source_sum.checksum,
        });
    }
    let at = target.version().await?;
    if at != version {
        return Err(MigrateError::Refused(format!(
            "the target's migration history ends at {at}, the source's at {version}"
        )));
    }
    target.commit(&tables).await?;
    Ok(report)
}

/// Refuses a target holding an installation (unless `force`), one from a newer release, or
/// one with tables Leenpunt did not make.
async fn check_target(target: &mut Target, force: bool) -> Result<(), MigrateError> {
    let state = target.state().await?;
    let newest = known_postgres_version();
    match state.version {
        Some(v) if v > newest => {
            return Err(MigrateError::Refused(format!(
                "the target was written by a newer Leenpunt (migration {v}, this program knows \
                 up to {newest}); nothing was written"
            )))
        }
        None if !state.tables.is_empty() => {
            return Err(MigrateError::Refused(format!(
                "the target holds tables Leenpunt did not make ({}): give an empty database",
                list(&state.tables)
            )))
        }
        _ => {}
    }
    if !state.with_rows.is_empty() && !force {
        return Err(MigrateError::Refused(format!(
            "the target already holds Leenpunt data (rows in {}); nothing was written. \
             Use --force to replace it",
            list(&state.with_rows)
        )));
    }
    Ok(())
}

/// The source must have exactly the target's tables, and every column the target has.
async fn check_same_tables(source: &mut Source, tables: &[Table]) -> Result<(), MigrateError> {
    let have = source.tables().await?;
    let want: std::collections::BTreeSet<String> = tables.iter().map(|t| t.name.clone()).collect();
    let missing: Vec<String> = want.difference(&have).cloned().collect();
    let extra: Vec<String> = have.difference(&want).cloned().collect();
    if !missing.is_empty() || !extra.is_empty() {
        return Err(MigrateError::Refused(format!(
            "the two schemas differ: only in PostgreSQL: [{}]; only in SQLite: [{}]",
            missing.join(", "),
            extra.join(", ")
        )));
    }
    for table in tables {
        let columns = source.columns(&table.name).await?;
        let missing: Vec<&str> = table
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .filter(|c| !columns.contains(*c))
            .collect();
        if !missing.is_empty() {
            return Err(MigrateError::Refused(format!(
                "table {}: columns only in PostgreSQL: {}",
                table.name,
                missing.join(", ")
            )));
        }
        if columns.len() != table.columns.len() {
            return Err(MigrateError::Refused(format!(
                "table {}: SQLite has columns PostgreSQL does not",
                table.name
            )));
        }
    }
    Ok(())
}

fn list(names: &[String]) -> String {
    const SHOWN: usize = 6;
    let mut s = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        s.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    s
}

/// The URL without its password, for messages.
fn without_password(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let authority_end = url[start..].find('/').map_or(url.len(), |i| start + i);
    let Some(at) = url[start..authority_end].rfind('@').map(|i| start + i) else {
        return url.to_owned();
    };
    match url[start..at].find(':').map(|i| start + i) {
        Some(colon) => format!("{}:***{}", &url[..colon], &url[at..]),
        None => url.to_owned(),
    }
}

fn count_photos(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| {
                    e.file_type().map(|t| t.is_file()).unwrap_or(false)
                        && !e.file_name().to_string_lossy().starts_with('.')
                })
                .count()
        })
        .unwrap_or(0)
}

/// The report as a table: table, rows, checksum (first 16 hex digits), ok.
pub fn report_table(tables: &[TableReport]) -> String {
    let width = tables
        .iter()
        .map(|t| t.table.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut out = format!(
        "{:<width$}  {:>9}  {:<16}  ok\n",
        "table", "rows", "checksum"
    );
    for t in tables {
        out.push_str(&format!(
            "{:<width$}  {:>9}  {:<16}  ok\n",
            t.table,
            t.rows,
            short(&t.checksum)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_what_it_cannot_move_before_touching_anything() {
        let dir = tempfile::tempdir().unwrap();
        let sqlite = format!("sqlite://{}", dir.path().join("none.db").display());
        let err = migrate_to(&sqlite, "mysql://x/y", dir.path(), false)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("PostgreSQL URL"), "{err}");
        let err = migrate_to(
            &sqlite,
            "postgres://u:secret@127.0.0.1:1/x",
            dir.path(),
            false,
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("no database at"), "{err}");
        assert!(!dir.path().join("none.db").exists(), "no database was made");
        let err = migrate_to(
            "postgres://a/b",
            "postgres://u:secret@127.0.0.1:1/x",
            dir.path(),
            false,
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("not SQLite"), "{err}");
    }

    #[test]
    fn messages_hide_the_password_and_the_table_lines_up() {
        assert_eq!(
            without_password("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        let table = report_table(&[
            TableReport {
                table: "users".into(),
                rows: 12,
                checksum: "0123456789abcdef0123".into(),
            },
            TableReport {
                table: "reservations".into(),
                rows: 3,
                checksum: "fedcba9876543210ffff".into(),
            },
        ]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].starts_with("users         "), "{table}");
        assert!(lines[1].ends_with("12  0123456789abcdef  ok"), "{table}");
        assert_eq!(lines[0].len(), lines[2].len());
    }
}
