//! `leenpunt restore <source>`: puts a backup made by `leenpunt backup` back in place while
//! the server is stopped. The database is checked first and replaces the old one in a single
//! rename, so a crash leaves either the old database or the whole restored one.

use super::backup::{
    copy_photos_off_thread, finish_file, io, missing_photos, missing_warning, BackupError, DB_FILE,
    PHOTOS_DIR,
};
use crate::db::backup::{check_copy, database_file, known_schema_version};
use std::path::{Path, PathBuf};

/// What a finished restore put in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreSummary {
    pub database: PathBuf,
    pub photos: usize,
    pub reservations: i64,
    /// Photos the database names that the backup does not hold: restored anyway (the
    /// database matters more), but said.
    pub warnings: Vec<String>,
}

/// Restores the backup directory `source` into the database at `database_url` and the photo
/// folder `photos_dir`. An existing database is replaced only with `force`.
pub async fn restore(
    source: &Path,
    database_url: &str,
    photos_dir: &Path,
    force: bool,
) -> Result<RestoreSummary, BackupError> {
    let backup = source.join(DB_FILE);
    check_source(&backup)?;
    let database = database_file(database_url)?;
    let companions = companions(&database);
    if !force && (database.exists() || companions.iter().any(|f| f.exists())) {
        return Err(BackupError::Refused(format!(
            "a database already exists at {}: stop the server, then use --force to replace it",
            database.display()
        )));
    }
    let folder = match database.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&folder).map_err(io(format!("creating {}", folder.display())))?;
    let name = database
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| DB_FILE.to_owned());
    // Beside the database, so the final rename stays within one file system.
    let part = folder.join(format!(".{name}.restore"));
    let result = place(source, &backup, &part, &database, photos_dir).await;
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    result
}

/// A backup's database, alone: a `-wal` beside it means the file was copied from a live
/// database (the way reservations got lost) and may miss committed transactions.
fn check_source(backup: &Path) -> Result<(), BackupError> {
    if !backup.is_file() {
        return Err(BackupError::Refused(format!(
            "{} does not exist: give the directory `leenpunt backup` wrote",
            backup.display()
        )));
    }
    let wal = companions(backup).remove(0);
    if wal.exists() {
        return Err(BackupError::Refused(format!(
            "{} lies beside the database: this is a copy of a live database, not a backup",
            wal.display()
        )));
    }
    Ok(())
}

async fn place(
    source: &Path,
    backup: &Path,
    part: &Path,
    database: &Path,
    photos_dir: &Path,
) -> Result<RestoreSummary, BackupError> {
    if part.exists() {
        std::fs::remove_file(part).map_err(io(format!("removing {}", part.display())))?;
    }
    std::fs::copy(backup, part).map_err(io(format!("copying {}", backup.display())))?;
    let report = check_copy(part).await?;
    if !report.problems.is_empty() {
        return Err(BackupError::Unsound(report.problems));
    }
    let warnings = missing_photos(&source.join(PHOTOS_DIR), &report.photos)
        .iter()
        .map(|name| missing_warning(name, &source.join(PHOTOS_DIR)))
        .collect();
    if report.schema_version > known_schema_version() {
        return Err(BackupError::Refused(format!(
            "the backup comes from a newer Leenpunt (schema {}, this program knows {}): \
             restore it with that version",
            report.schema_version,
            known_schema_version()
        )));
    }
    // Photos first: the database appears only when every photo it names is in place.
    let photos = copy_photos_off_thread(&source.join(PHOTOS_DIR), photos_dir).await?;
    // A stale -wal would be replayed into the restored file and corrupt it, so it goes
    // before the rename.
    for file in companions(database) {
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io(format!("removing {}", file.display()))(e))
            }
            _ => {}
        }
    }
    finish_file(part, database)?;
    Ok(RestoreSummary {
        database: database.to_path_buf(),
        photos,
        reservations: report.reservations,
        warnings,
    })
}

/// The files SQLite keeps beside a database: write-ahead log, its index, rollback journal.
fn companions(database: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| {
            let mut name = database.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companions_sit_beside_the_database() {
        assert_eq!(
            companions(Path::new("data/leenpunt.db")),
            [
                "data/leenpunt.db-wal",
                "data/leenpunt.db-shm",
                "data/leenpunt.db-journal"
            ]
            .map(PathBuf::from)
        );
    }

    #[test]
    fn a_copied_live_database_is_not_taken_for_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(DB_FILE);
        assert!(matches!(check_source(&db), Err(BackupError::Refused(_))));
        std::fs::write(&db, b"").unwrap();
        check_source(&db).unwrap();
        std::fs::write(dir.path().join("leenpunt.db-wal"), b"").unwrap();
        assert!(matches!(check_source(&db), Err(BackupError::Refused(_))));
    }
}
