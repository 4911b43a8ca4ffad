//! The command line: serve (default), and catalogue/school import and export.

use crate::config::Config;
use crate::db::Db;
use crate::domain::csv_table::{report, write_table};
use crate::domain::import::CATALOGUE_COLUMNS;
use crate::service::import::{import_catalogue, import_schools, ImportError};
use anyhow::Context;
use clap::{Parser, Subcommand};
use leenpunt_shared::Lang;
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
        action: CsvAction,
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
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir)?;
    }
    let db = Db::open(&config.database_url())
        .await
        .context("opening the database")?;
    let now = chrono::Utc::now().to_rfc3339();
    let code = match command {
        Command::Serve => unreachable!("serve is handled by main"),
        Command::Catalogue {
            action: CsvAction::Import { file, lang },
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            report_import(import_catalogue(&db, &text, &now).await, &lang)?
        }
        Command::Schools {
            action: CsvAction::Import { file, lang },
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            report_import(import_schools(&db, &text).await, &lang)?
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
        Command::Schools {
            action: CsvAction::Export { .. },
        } => {
            eprintln!("schools export is not available yet");
            2
        }
    };
    db.close().await;
    Ok(code)
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
