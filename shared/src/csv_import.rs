//! Catalogue and closed-days CSV files in the browser: the preview of an upload (every
//! problem per line and column, or what the import would change) and the outcome of
//! confirming it.

use serde::{Deserialize, Serialize};

/// Which CSV a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    /// The catalogue CSV (one row per kit type, by slug).
    Catalogue,
    /// The closed-days CSV (`pickup_point,first_day,last_day,reason`).
    ClosedDays,
}

impl ImportKind {
    pub const ALL: [ImportKind; 2] = [ImportKind::Catalogue, ImportKind::ClosedDays];

    /// The wire code.
    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Catalogue => "catalogue",
            ImportKind::ClosedDays => "closed-days",
        }
    }

    pub fn parse(code: &str) -> Option<ImportKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The name a downloaded file gets.
    pub fn file_name(self) -> &'static str {
        match self {
            ImportKind::Catalogue => "catalogus.csv",
            ImportKind::ClosedDays => "sluitingsdagen.csv",
        }
    }
}

/// One problem in an uploaded file: a line (the header is line 1; 0 for the file as a
/// whole), the column (empty for the whole line or file) and the importer's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    pub line: u64,
    pub column: String,
    pub message: String,
}

/// What importing a row would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ItemChange {
    New,
    Changed,
    Unchanged,
}

/// One row of a valid file and what it would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportItem {
    /// The row's line in the file.
    pub line: u64,
    /// The slug (catalogue) or `pickup_point first_day last_day` (closed days).
    pub key: String,
    /// For people: the kit's title, or the period and its reason.
    pub title: String,
    pub change: ItemChange,
    /// Units this row adds (catalogue).
    pub units_added: u32,
    /// Units whose status this row changes (catalogue).
    pub units_changed: u32,
}

/// What a valid file would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSummary {
    pub new: u32,
    pub changed: u32,
    pub unchanged: u32,
    pub units_added: u32,
    pub units_changed: u32,
    /// Every row, in file order.
    pub items: Vec<ImportItem>,
}

/// The outcome of a confirmed import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportOutcome {
    pub created: u32,
    pub updated: u32,
    /// When it was written (RFC 3339, UTC).
    pub applied_at: String,
    /// True when this upload had been imported before: nothing was written this time.
    pub already_applied: bool,
}

/// An uploaded file as checked against the data of now. Nothing has been written; confirm
/// it with its token (only when `can_confirm`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportPreview {
    /// Names this upload for viewing and confirming it (only by whoever uploaded it).
    pub token: String,
    pub kind: ImportKind,
    pub file_name: String,
    /// SHA-256 of the file, hex: the confirmed import is exactly this file.
    pub sha256: String,
    /// Every problem; nothing can be imported while there is one.
    pub problems: Vec<ImportProblem>,
    /// What the import would change (when there is no problem).
    pub summary: Option<ImportSummary>,
    pub can_confirm: bool,
    /// After this (RFC 3339, UTC) the upload can no longer be confirmed.
    pub expires_at: String,
    /// Set once the upload has been imported.
    pub applied: Option<ImportOutcome>,
}

/// The import screen for whoever asks: the upload being looked at, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportScreen {
    pub upload: Option<ImportPreview>,
    /// The token named in the address led nowhere (expired, or someone else's).
    pub upload_missing: bool,
}
