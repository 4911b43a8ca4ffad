//! The command line: serve (default), catalogue/school import and export, accounts, and
//! backup/restore.

use crate::config::Config;
use crate::db::accounts::NewUser;
use crate::db::Db;
use crate::domain::auth::{check_password, hash_password};
use crate::domain::csv_table::{report, write_table};
use crate::domain::import::CATALOGUE_COLUMNS;
use crate::domain::policy::RoleGrant;
use crate::service::import::{import_catalogue, import_schools, ImportError};
use anyhow::Context;
use clap::{Parser, Subcommand};
use leenpunt_shared::{Email, Lang, Role, SchoolNumber};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "leenpunt",
    version,
    about = "Leenpunt: lending and reservations for education services"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Import or export the catalogue as CSV.
    Catalogue {
        #[command(subcommand)]
        action: CsvAction,
    },
    /// Import schools from CSV.
    Schools {
        #[command(subcommand)]
        action: SchoolsAction,
    },
    /// Import closed days (school holidays, pickup point closures) from CSV:
    /// `pickup_point,first_day,last_day,reason`; an empty pickup point closes them all.
    ClosedDays {
        #[command(subcommand)]
        action: SchoolsAction,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Copy the database and the uploaded photos into a new directory, consistently, while
    /// the server runs (README: Backups).
    Backup {
        /// A new or empty directory; it receives `leenpunt.db` and `photos/`.
        target: PathBuf,
    },
    /// Put a backup made by `leenpunt backup` back in place. Stop the server first.
    Restore {
        /// The directory `leenpunt backup` wrote.
        source: PathBuf,
        /// Replace an existing database.
        #[arg(long)]
        force: bool,
    },
    /// Move this installation's SQLite database into an empty PostgreSQL database, checked
    /// table by table. Stop the server first (docs/postgres.md: Moving from SQLite).
    MigrateTo {
        /// `postgres://user:password@host/database` (made with collation C).
        target: String,
        /// Replace the Leenpunt data the target already holds (never a newer release's).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SchoolsAction {
    /// Create or update rows; a file with any bad row writes nothing.
    Import {
        file: PathBuf,
        #[arg(long, default_value = "nl")]
        lang: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create an account (e.g. the first admin of a fresh install). The password is read
    /// from standard input with `--password-stdin`, otherwise generated and printed once.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Global administrator.
        #[arg(long)]
        admin: bool,
        /// Teacher at a school (instellingsnummer); repeatable.
        #[arg(long, value_name = "INSTELLINGSNUMMER")]
        teacher: Vec<String>,
        /// Desk staff of a partner service (slug); repeatable.
        #[arg(long, value_name = "PARTNER")]
        ambassador: Vec<String>,
        /// Trainer of a partner service (slug); repeatable.
        #[arg(long, value_name = "PARTNER")]
        trainer: Vec<String>,
        /// Administrator of a partner service (slug); repeatable.
        #[arg(long, value_name = "PARTNER")]
        partner_admin: Vec<String>,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CsvAction {
    /// Create or update rows from a CSV file; a file with any bad row writes nothing.
    Import {
        file: PathBuf,
        /// Language of the error report (nl or en).
        #[arg(long, default_value = "nl")]
        lang: String,
    },
    /// Write all rows as CSV to a file, or to standard output with `-`.
    Export { file: PathBuf },
}

/// Runs a non-serve command. Returns the process exit code.
pub async fn run_csv(command: Command, config: Config) -> anyhow::Result<i32> {
    // These work on the database files and must not create or migrate one.
    match &command {
        Command::Backup { target } => return Ok(backup_command(&config, target).await),
        Command::Restore { source, force } => {
            return Ok(restore_command(&config, source, *force).await)
        }
        Command::MigrateTo { target, force } => {
            return Ok(migrate_to_command(&config, target, *force).await)
        }
        _ => {}
    }
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir)?;
    }
    let db = Db::open(&config.database_url())
        .await
        .context("opening the database")?;
    // The command line's one clock (the server's is injected; this process has no other).
    let now = crate::domain::clock::Clock::now(&crate::domain::clock::SystemClock).to_rfc3339();
    let code = match command {
        Command::Serve => unreachable!("serve is handled by main"),
        Command::Backup { .. } | Command::Restore { .. } | Command::MigrateTo { .. } => {
            unreachable!("handled above")
        }
        Command::Catalogue {
            action: CsvAction::Import { file, lang },
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            report_import(import_catalogue(&db, &text, &now).await, &lang)?
        }
        Command::Schools {
            action: SchoolsAction::Import { file, lang },
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            report_import(import_schools(&db, &text).await, &lang)?
        }
        Command::ClosedDays {
            action: SchoolsAction::Import { file, lang },
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            report_import(
                crate::service::import::import_closed_days(&db, &text).await,
                &lang,
            )?
        }
        Command::Catalogue {
            action: CsvAction::Export { file },
        } => {
            let csv = write_table(CATALOGUE_COLUMNS, db.export_catalogue().await?);
            if file.as_os_str() == "-" {
                print!("{csv}");
            } else {
                std::fs::write(&file, csv)
                    .with_context(|| format!("writing {}", file.display()))?;
            }
            0
        }
        Command::User {
            action:
                UserAction::Create {
                    email,
                    name,
                    admin,
                    teacher,
                    ambassador,
                    trainer,
                    partner_admin,
                    password_stdin,
                },
        } => {
            let mut scoped = Vec::new();
            scoped.extend(teacher.into_iter().map(|s| (Role::Teacher, s)));
            scoped.extend(ambassador.into_iter().map(|s| (Role::Ambassador, s)));
            scoped.extend(trainer.into_iter().map(|s| (Role::Trainer, s)));
            scoped.extend(partner_admin.into_iter().map(|s| (Role::PartnerAdmin, s)));
            create_user(&db, &email, &name, admin, scoped, password_stdin, &now).await?
        }
    };
    db.close().await;
    Ok(code)
}

/// `leenpunt backup <target>`. Returns the exit code.
async fn backup_command(config: &Config, target: &std::path::Path) -> i32 {
    let photos = config.data_dir.join(crate::service::backup::PHOTOS_DIR);
    match crate::service::backup::backup(&config.database_url(), &photos, target).await {
        Ok(s) => {
            s.warnings.iter().for_each(|w| eprintln!("warning: {w}"));
            println!(
                "backup written to {}: {} bytes, {} reservations, {} photos; integrity check ok",
                s.database.display(),
                s.database_bytes,
                s.reservations,
                s.photos
            );
            0
        }
        Err(e) => {
            eprintln!("backup failed: {e}");
            1
        }
    }
}

/// `leenpunt restore <source> [--force]`. Returns the exit code.
async fn restore_command(config: &Config, source: &std::path::Path, force: bool) -> i32 {
    let photos = config.data_dir.join(crate::service::backup::PHOTOS_DIR);
    match crate::service::restore::restore(source, &config.database_url(), &photos, force).await {
        Ok(s) => {
            s.warnings.iter().for_each(|w| eprintln!("warning: {w}"));
            println!(
                "restored {} ({} reservations) and {} photos; integrity check ok",
                s.database.display(),
                s.reservations,
                s.photos
            );
            0
        }
        Err(e) => {
            eprintln!("restore failed: {e}");
            1
        }
    }
}

/// `leenpunt migrate-to <postgres-url> [--force]`. Returns the exit code.
async fn migrate_to_command(config: &Config, target: &str, force: bool) -> i32 {
    use crate::service::migrate_to::{migrate_to, report_table};
    let photos = config.data_dir.join(crate::service::backup::PHOTOS_DIR);
    match migrate_to(&config.database_url(), target, &photos, force).await {
        Ok(s) => {
            print!("{}", report_table(&s.tables));
            println!(
                "moved {} tables ({} rows) to PostgreSQL in {:.1} s; row counts and checksums \
                 match; both databases are at migration {}",
                s.tables.len(),
                s.tables.iter().map(|t| t.rows).sum::<i64>(),
                s.elapsed.as_secs_f64(),
                s.version
            );
            println!(
                "the {} photos stay in {}: keep this data folder for the PostgreSQL \
                 installation; now set database_url to the PostgreSQL URL and start leenpunt",
                s.photos,
                photos.display()
            );
            0
        }
        Err(e) => {
            eprintln!("migrate-to failed: {e}");
            1
        }
    }
}

fn report_import(
    result: Result<crate::db::import::ImportCounts, ImportError>,
    lang: &str,
) -> anyhow::Result<i32> {
    let lang = Lang::parse(lang).unwrap_or_default();
    match result {
        Ok(counts) => {
            println!("{} created, {} updated", counts.created, counts.updated);
            Ok(0)
        }
        Err(ImportError::Invalid { errors, .. }) => {
            eprint!("{}", report(&errors, lang));
            eprintln!(
                "{}",
                match lang {
                    Lang::Nl => format!("{} fout(en); er is niets weggeschreven.", errors.len()),
                    Lang::En => format!("{} error(s); nothing was written.", errors.len()),
                }
            );
            Ok(1)
        }
        Err(ImportError::Db(e)) => Err(e.into()),
    }
}

/// Creates an account from the command line. Returns the exit code.
async fn create_user(
    db: &Db,
    email: &str,
    name: &str,
    admin: bool,
    scoped: Vec<(Role, String)>,
    password_stdin: bool,
    now: &str,
) -> anyhow::Result<i32> {
    let email = match Email::parse(email) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("invalid e-mail address: {e}");
            return Ok(1);
        }
    };
    let mut grants = Vec::new();
    if admin {
        grants.push(RoleGrant {
            role: Role::Admin,
            school: None,
            partner: None,
        });
    }
    for (role, scope) in scoped {
        let grant = if role == Role::Teacher {
            let number = SchoolNumber::parse(&scope)
                .map(|n| n.to_string())
                .unwrap_or(scope.clone());
            db.school_id(&number).await?.map(|s| RoleGrant {
                role,
                school: Some(s),
                partner: None,
            })
        } else {
            db.partner_id(&scope).await?.map(|p| RoleGrant {
                role,
                school: None,
                partner: Some(p),
            })
        };
        match grant {
            Some(g) => grants.push(g),
            None => {
                eprintln!(
                    "unknown school or partner service for {}: {scope}",
                    role.code()
                );
                return Ok(1);
            }
        }
    }
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (generate_password(), true)
    };
    if let Err(problem) = check_password(&password, &email) {
        eprintln!("{}", problem.message(Lang::En));
        return Ok(1);
    }
    let user = NewUser {
        email: email.clone(),
        name: name.to_owned(),
        password_hash: Some(hash_password(&password)),
        confirmed: true,
        grants,
    };
    match db.create_user(&user, None, now).await {
        Ok(id) => {
            println!("created user {} ({email})", id.0);
            if generated {
                println!("password (shown once): {password}");
            }
            Ok(0)
        }
        Err(crate::db::DbError::Conflict(_)) => {
            eprintln!("an account with this e-mail address already exists");
            Ok(1)
        }
        Err(e) => Err(e.into()),
    }
}

/// 20 characters from an alphabet without look-alikes.
fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[rand::Rng::random_range(&mut rng, 0..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_and_restore_are_spelled_as_documented() {
        let cli = Cli::try_parse_from(["leenpunt", "backup", "/srv/backup/x"]).unwrap();
        assert!(
            matches!(cli.command, Some(Command::Backup { target }) if target.as_os_str() == "/srv/backup/x")
        );
        let cli = Cli::try_parse_from(["leenpunt", "restore", "x"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Restore { force: false, .. })
        ));
        let cli = Cli::try_parse_from(["leenpunt", "restore", "x", "--force"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Restore { force: true, .. })
        ));
        assert!(Cli::try_parse_from(["leenpunt", "backup"]).is_err());
        let cli =
            Cli::try_parse_from(["leenpunt", "migrate-to", "postgres://h/db", "--force"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::MigrateTo { target, force: true }) if target == "postgres://h/db"
        ));
        assert!(Cli::try_parse_from(["leenpunt", "migrate-to"]).is_err());
    }
}
