//! CSV files uploaded in the browser, before the importer sees them: is it a text file we
//! can read, where does each row start, who may import which rows, and what would the
//! import change. Pure: the importer's own parsers (`domain::import`) check the rows.

use super::csv_table::RowError;
use super::import::{ClosedDayInput, KitInput};
use crate::texts::Text;
use chrono::NaiveDate;
use leenpunt_shared::csv_import::{ImportItem, ImportProblem, ImportSummary, ItemChange};
use leenpunt_shared::{InventoryCode, Lang, UnitStatus};
use std::collections::HashMap;

/// The largest file accepted: 2 MiB holds a catalogue of thousands of kit types.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

/// Why a file cannot be read as a CSV at all (before its rows are looked at).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    TooLarge,
    /// An Excel or OpenDocument workbook, not a CSV.
    Spreadsheet,
    /// Bytes that are not text (a picture, a PDF…).
    Binary,
    /// Text, but not UTF-8 (e.g. Windows-1252 from an old "CSV" save); the line of the
    /// first bad byte.
    NotUtf8 {
        line: u64,
    },
}

impl FileProblem {
    pub fn message(&self, lang: Lang) -> String {
        use FileProblem::*;
        let mib = MAX_BYTES / (1024 * 1024);
        match self {
            Empty => Text::UploadEmpty,
            TooLarge => Text::UploadTooLarge { mib: &mib },
            Spreadsheet => Text::UploadSpreadsheet,
            Binary => Text::UploadBinary,
            NotUtf8 { line } => Text::UploadNotUtf8 { line },
        }
        .get(lang)
    }
}

/// Reads an uploaded file as text: UTF-8 (a byte order mark is dropped), no NUL bytes,
/// not a workbook, at most [`MAX_BYTES`].
pub fn decode(bytes: &[u8]) -> Result<String, FileProblem> {
    if bytes.len() > MAX_BYTES {
        return Err(FileProblem::TooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FileProblem::Empty);
    }
    // Zip (xlsx, ods) and the old compound file format (xls).
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(FileProblem::Spreadsheet);
    }
    if bytes.contains(&0) {
        return Err(FileProblem::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = 1 + before.iter().filter(|b| **b == b'\n').count() as u64;
            Err(FileProblem::NotUtf8 { line })
        }
    }
}

/// A header that holds none of the expected columns but does hold them separated by `;`
/// or tabs: the file was saved with another separator (a Dutch-language spreadsheet's
/// default). Said once, in addition to the importer's "column missing" problems.
pub fn separator_hint(text: &str, columns: &[&str], lang: Lang) -> Option<ImportProblem> {
    let header = text.lines().next().unwrap_or_default();
    let first = columns.first()?;
    let with_commas = header.split(',').any(|h| h.trim() == *first);
    let other = [';', '\t']
        .into_iter()
        .find(|sep| header.split(*sep).any(|h| h.trim() == *first))?;
    if with_commas {
        return None;
    }
    let name = if other == ';' { "';'" } else { "tab" };
    Some(ImportProblem {
        line: 1,
        column: String::new(),
        message: Text::UploadSeparator { name: &name }.get(lang),
    })
}

/// The line on which each record of a CSV starts, in order, read as the importer reads it
/// (so a valid file's parsed rows and these lines pair up one to one).
pub fn record_lines(text: &str) -> Vec<u64> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| match r {
            Ok(r) => r.position().map(|p| p.line()).unwrap_or(0),
            Err(e) => e.position().map(|p| p.line()).unwrap_or(0),
        })
        .collect()
}

/// The importer's problems, worded for people.
pub fn problems(errors: &[RowError], lang: Lang) -> Vec<ImportProblem> {
    errors
        .iter()
        .map(|e| ImportProblem {
            line: e.line,
            column: e.column.clone(),
            message: e.issue.message(lang),
        })
        .collect()
}

/// Why a row is not this person's to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeIssue {
    /// A partner service the person does not manage.
    NotYourPartner(String),
    /// The slug names a kit type of another partner service.
    OthersKit { slug: String, partner: String },
    /// A pickup point of another partner service.
    NotYourPickupPoint(String),
    /// An empty pickup point closes every pickup point: admins only.
    AllPickupPoints,
}

impl ScopeIssue {
    pub fn message(&self, lang: Lang) -> String {
        use ScopeIssue::*;
        match self {
            NotYourPartner(p) => Text::ScopeNotYourPartner { partner: p },
            OthersKit { slug, partner } => Text::ScopeOthersKit { slug, partner },
            NotYourPickupPoint(p) => Text::ScopeNotYourPickupPoint { point: p },
            AllPickupPoints => Text::ScopeAllPickupPoints,
        }
        .get(lang)
    }
}

fn scoped(line: u64, column: &str, issue: ScopeIssue, lang: Lang) -> ImportProblem {
    ImportProblem {
        line,
        column: column.to_owned(),
        message: issue.message(lang),
    }
}

/// Rows of a valid catalogue file that are not this person's: `manages` says whether they
/// manage a partner service (by slug); `owners` gives each existing kit type's partner.
pub fn catalogue_scope(
    kits: &[KitInput],
    lines: &[u64],
    owners: &HashMap<String, String>,
    manages: impl Fn(&str) -> bool,
    lang: Lang,
) -> Vec<ImportProblem> {
    let mut out = Vec::new();
    for (i, kit) in kits.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(0);
        if !manages(&kit.partner) {
            out.push(scoped(
                line,
                "partner",
                ScopeIssue::NotYourPartner(kit.partner.clone()),
                lang,
            ));
        }
        if let Some(owner) = owners.get(kit.slug.as_str()) {
            if !manages(owner) {
                out.push(scoped(
                    line,
                    "slug",
                    ScopeIssue::OthersKit {
                        slug: kit.slug.to_string(),
                        partner: owner.clone(),
                    },
                    lang,
                ));
            }
        }
    }
    out
}

/// Rows of a valid closed-days file that are not this person's: `manages` says whether
/// they may close a pickup point (`None`: every pickup point).
pub fn closed_days_scope(
    rows: &[ClosedDayInput],
    lines: &[u64],
    manages: impl Fn(Option<&str>) -> bool,
    lang: Lang,
) -> Vec<ImportProblem> {
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if manages(row.pickup_point.as_deref()) {
            continue;
        }
        let issue = match &row.pickup_point {
            Some(p) => ScopeIssue::NotYourPickupPoint(p.clone()),
            None => ScopeIssue::AllPickupPoints,
        };
        let line = lines.get(i).copied().unwrap_or(0);
        out.push(scoped(line, "pickup_point", issue, lang));
    }
    out
}

/// A kit type as the import would leave it, for comparing: the lists the import replaces
/// as sets, and units apart (the import adds units and sets their status, never removes).
fn comparable(kit: &KitInput) -> KitInput {
    let mut k = kit.clone();
    k.themes.sort_by_key(|t| t.code());
    k.themes.dedup();
    k.levels.sort_by_key(|l| l.code());
    k.levels.dedup();
    k.pickup_points.sort();
    k.pickup_points.dedup();
    k.trainings.sort();
    k.trainings.dedup();
    k.units.clear();
    k
}

/// (added, status changed) units of `kit` against the units that exist now.
fn unit_changes(kit: &KitInput, existing: &HashMap<String, UnitStatus>) -> (u32, u32) {
    let mut added = 0;
    let mut changed = 0;
    for (code, status) in &kit.units {
        match existing.get(InventoryCode::as_str(code)) {
            None => added += 1,
            Some(now) if now != status => changed += 1,
            Some(_) => {}
        }
    }
    (added, changed)
}

/// What importing `kits` would change. `existing` holds every kit type that exists now by
/// slug, parsed from the export (`None` when its stored row no longer parses: then any
/// upload of it counts as a change); `units` the status of every unit now.
pub fn catalogue_summary(
    kits: &[KitInput],
    lines: &[u64],
    existing: &HashMap<String, Option<KitInput>>,
    units: &HashMap<String, UnitStatus>,
) -> ImportSummary {
    let items = kits
        .iter()
        .enumerate()
        .map(|(i, kit)| {
            let (units_added, units_changed) = unit_changes(kit, units);
            let change = match existing.get(kit.slug.as_str()) {
                None => ItemChange::New,
                Some(Some(now))
                    if comparable(now) == comparable(kit)
                        && units_added == 0
                        && units_changed == 0 =>
                {
                    ItemChange::Unchanged
                }
                Some(_) => ItemChange::Changed,
            };
            ImportItem {
                line: lines.get(i).copied().unwrap_or(0),
                key: kit.slug.to_string(),
                title: kit.title.clone(),
                change,
                units_added,
                units_changed,
            }
        })
        .collect();
    summarise(items)
}

/// A closed period's identity: the importer updates the reason of a period with the same
/// pickup point and days, and adds any other.
pub type PeriodKey = (Option<String>, NaiveDate, NaiveDate);

/// What importing closed-days rows would change, against the periods that exist now (by
/// key, with their reason).
pub fn closed_days_summary(
    rows: &[ClosedDayInput],
    lines: &[u64],
    existing: &HashMap<PeriodKey, String>,
    lang: Lang,
) -> ImportSummary {
    let items = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let p = &row.period;
            let key = (row.pickup_point.clone(), p.first, p.last);
            let change = match existing.get(&key) {
                None => ItemChange::New,
                Some(reason) if *reason == p.reason => ItemChange::Unchanged,
                Some(_) => ItemChange::Changed,
            };
            let point = row
                .pickup_point
                .clone()
                .unwrap_or_else(|| Text::EveryPickupPoint.get(lang));
            let days = if p.first == p.last {
                p.first.to_string()
            } else {
                format!("{} – {}", p.first, p.last)
            };
            ImportItem {
                line: lines.get(i).copied().unwrap_or(0),
                key: format!(
                    "{} {} {}",
                    row.pickup_point.as_deref().unwrap_or("*"),
                    p.first,
                    p.last
                ),
                title: format!("{days} ({point}): {}", p.reason),
                change,
                units_added: 0,
                units_changed: 0,
            }
        })
        .collect();
    summarise(items)
}

fn summarise(items: Vec<ImportItem>) -> ImportSummary {
    let count = |c: ItemChange| items.iter().filter(|i| i.change == c).count() as u32;
    ImportSummary {
        new: count(ItemChange::New),
        changed: count(ItemChange::Changed),
        unchanged: count(ItemChange::Unchanged),
        units_added: items.iter().map(|i| i.units_added).sum(),
        units_changed: items.iter().map(|i| i.units_changed).sum(),
        items,
    }
}

/// A problem for the whole file (line 0, no column).
pub fn file_problem(problem: &FileProblem, lang: Lang) -> ImportProblem {
    ImportProblem {
        line: 0,
        column: String::new(),
        message: problem.message(lang),
    }
}

#[cfg(test)]
mod tests;
