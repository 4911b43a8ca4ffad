//! `leenpunt backup <target>`: a consistent copy of a running installation (database and
//! uploaded photos) in one directory that standard tools can restore, checked before it is
//! declared good. See docs/backup.md for the layout and the reasoning.

use crate::db::backup::{check_copy, database_file, snapshot};
use crate::db::DbError;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The database's name inside a backup directory.
pub const DB_FILE: &str = "leenpunt.db";
/// The photos' folder inside a backup directory (and inside the data directory).
pub const PHOTOS_DIR: &str = "photos";

/// Why a backup or restore did not happen. Every case leaves the target as it was or without
/// a finished database file.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The operator asked for something unsafe or impossible; nothing was changed.
    #[error("{0}")]
    Refused(String),
    /// A copy failed its check; it was not put in place.
    #[error("the copy is not sound, so it was not used: {}", .0.join("; "))]
    Unsound(Vec<String>),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Wraps an I/O error with what was being done.
pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let what = what.into();
    move |source| BackupError::Io { what, source }
}

/// What a finished backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub database: PathBuf,
    pub database_bytes: u64,
    pub photos: usize,
    pub reservations: i64,
    /// Photos the catalogue names that were already missing from the data folder (e.g. a
    /// CSV import naming a file never uploaded): reported, not a reason to fail.
    pub warnings: Vec<String>,
}

/// Backs up the database at `database_url` and the photos in `photos_dir` into the new (or
/// empty) directory `target`, while the server keeps serving and writing.
///
/// Order matters: the database snapshot comes first, then the photos. A photo file is
/// written (and renamed into place) before the row naming it commits, and photo files are
/// content-addressed and never changed or removed, so every photo the snapshot names is
/// already on disk when the copying starts. `leenpunt.db` appears last, by a rename, only
/// after the copy passed `PRAGMA integrity_check` and every photo it names was copied.
pub async fn backup(
    database_url: &str,
    photos_dir: &Path,
    target: &Path,
) -> Result<BackupSummary, BackupError> {
    let source = database_file(database_url)?;
    if !source.is_file() {
        return Err(BackupError::Refused(format!(
            "there is no database at {}",
            source.display()
        )));
    }
    prepare_target(target)?;
    let part = target.join(format!(".{DB_FILE}.part"));
    let result = write(database_url, photos_dir, target, &part).await;
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    result
}

async fn write(
    database_url: &str,
    photos_dir: &Path,
    target: &Path,
    part: &Path,
) -> Result<BackupSummary, BackupError> {
    snapshot(database_url, part).await?;
    let report = check_copy(part).await?;
    let mut problems = report.problems;
    let copied = copy_photos_off_thread(photos_dir, &target.join(PHOTOS_DIR)).await?;
    let mut warnings = Vec::new();
    for name in missing_photos(&target.join(PHOTOS_DIR), &report.photos) {
        if photos_dir.join(&name).is_file() {
            problems.push(format!("photo {name} was not copied"));
        } else {
            warnings.push(missing_warning(&name, photos_dir));
        }
    }
    if !problems.is_empty() {
        return Err(BackupError::Unsound(problems));
    }
    let database = target.join(DB_FILE);
    finish_file(part, &database)?;
    let database_bytes = std::fs::metadata(&database)
        .map_err(io(format!("reading {}", database.display())))?
        .len();
    Ok(BackupSummary {
        database,
        database_bytes,
        photos: copied,
        reservations: report.reservations,
        warnings,
    })
}

/// `copy_photos` on a blocking thread, so a server sharing the runtime is not held up.
pub(crate) async fn copy_photos_off_thread(from: &Path, to: &Path) -> Result<usize, BackupError> {
    let (from, to) = (from.to_path_buf(), to.to_path_buf());
    tokio::task::spawn_blocking(move || copy_photos(&from, &to))
        .await
        .map_err(|e| io("copying photos")(std::io::Error::other(e)))?
}

/// A backup goes into a new or empty directory, so one backup never mixes with another.
fn prepare_target(target: &Path) -> Result<(), BackupError> {
    if target.exists() {
        let mut entries = std::fs::read_dir(target).map_err(|_| {
            BackupError::Refused(format!(
                "{} exists and is not a directory",
                target.display()
            ))
        })?;
        if entries.next().is_some() {
            return Err(BackupError::Refused(format!(
                "{} is not empty: choose a new directory for each backup",
                target.display()
            )));
        }
    }
    std::fs::create_dir_all(target).map_err(io(format!("creating {}", target.display())))
}

/// Copies every photo file of `from` (missing: none) into `to`, skipping names that are
/// already there (same name, same content) and half-written uploads (`.name.part`); each
/// copy is written to a temporary name, fsynced and renamed. Returns the number of photos.
pub(crate) fn copy_photos(from: &Path, to: &Path) -> Result<usize, BackupError> {
    std::fs::create_dir_all(to).map_err(io(format!("creating {}", to.display())))?;
    let entries = match std::fs::read_dir(from) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io(format!("reading {}", from.display()))(e)),
    };
    let mut count = 0;
    for entry in entries {
        let entry = entry.map_err(io(format!("reading {}", from.display())))?;
        let name = entry.file_name();
        let Some(name) = name.to_str().filter(|n| !n.starts_with('.')) else {
            continue;
        };
        if !entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
            continue;
        }
        count += 1;
        let dest = to.join(name);
        if dest.exists() {
            continue;
        }
        let part = to.join(format!(".{name}.part"));
        std::fs::copy(entry.path(), &part).map_err(io(format!("copying photo {name}")))?;
        finish_file(&part, &dest)?;
    }
    sync_dir(to)?;
    Ok(count)
}

/// The photos a database names that are not in `dir`.
pub(crate) fn missing_photos(dir: &Path, names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter(|name| !dir.join(name).is_file())
        .cloned()
        .collect()
}

pub(crate) fn missing_warning(name: &str, dir: &Path) -> String {
    format!(
        "the catalogue names photo /fotos/{name}, which is not in {}",
        dir.display()
    )
}

/// Makes a fully written file durable under its final name: fsync, rename, fsync the folder.
pub(crate) fn finish_file(part: &Path, dest: &Path) -> Result<(), BackupError> {
    File::open(part)
        .and_then(|f| f.sync_all())
        .map_err(io(format!("syncing {}", part.display())))?;
    std::fs::rename(part, dest).map_err(io(format!("renaming to {}", dest.display())))?;
    sync_dir(dest.parent().unwrap_or(Path::new(".")))
}

/// Makes renames and new names in a folder durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), BackupError> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(format!("syncing {}", dir.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_copied_once_without_half_written_files() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("from"), dir.path().join("to"));
        std::fs::create_dir_all(&from).unwrap();
        std::fs::write(from.join("abc.png"), b"png").unwrap();
        std::fs::write(from.join(".def.png.part"), b"half").unwrap();
        assert_eq!(copy_photos(&from, &to).unwrap(), 1);
        assert_eq!(std::fs::read(to.join("abc.png")).unwrap(), b"png");
        assert!(!to.join(".def.png.part").exists());
        assert_eq!(copy_photos(&from, &to).unwrap(), 1, "again: nothing breaks");
        assert_eq!(
            missing_photos(&to, &["abc.png".into(), "zzz.webp".into()]),
            vec!["zzz.webp".to_owned()]
        );
        assert_eq!(copy_photos(&dir.path().join("none"), &to).unwrap(), 0);
    }

    #[test]
    fn a_backup_never_goes_into_a_used_directory() {
        let dir = tempfile::tempdir().unwrap();
        prepare_target(&dir.path().join("new/deeper")).unwrap();
        prepare_target(&dir.path().join("new/deeper")).unwrap();
        std::fs::write(dir.path().join("new/deeper/x"), b"x").unwrap();
        assert!(matches!(
            prepare_target(&dir.path().join("new/deeper")),
            Err(BackupError::Refused(_))
        ));
        assert!(matches!(
            prepare_target(&dir.path().join("new/deeper/x")),
            Err(BackupError::Refused(_))
        ));
    }
}
