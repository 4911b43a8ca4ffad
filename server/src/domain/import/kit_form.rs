//! The kit editor's form: one catalogue row whose lists come as rows of their own (contents
//! with a position and a "remove" tick, units with a status, photos), plus "add N units".
//! It is parsed by the catalogue import's own row parser ([`super::parse_kit`]), so the form
//! and a CSV file are held to the same rules and messages; only the row-level messages get
//! a field name of their own (`parts.2.count`, `units.0.code`, …) so the form can show them
//! next to the field.

use super::{
    part_count, photo, unit_code, unit_status, KitInput, References, CATALOGUE_COLUMNS,
    PART_NAME_MAX,
};
use crate::domain::csv_table::{read_table, write_table, CsvIssue, Row, RowError};
use leenpunt_shared::{InventoryCode, Part, Photo, Slug, UnitStatus};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One contents row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartRow {
    pub name: String,
    pub count: String,
    /// The wanted position (1-based); empty keeps the row where it is.
    pub pos: String,
    pub remove: bool,
}

/// One unit row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitRow {
    pub code: String,
    pub status: String,
}

/// One photo row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhotoRow {
    pub url: String,
    pub alt: String,
    pub remove: bool,
}

/// The most units "add N units" makes at once.
pub const MAX_NEW_UNITS: u32 = 100;

/// Catalogue columns that hold a `;`-separated list of codes or slugs; the form posts them
/// as repeated check boxes.
const LIST_COLUMNS: &[&str] = &["themes", "levels", "pickup_points", "trainings"];

/// A kit type's form as posted: the catalogue columns, and its lists as rows when the form
/// sent rows (`None`: the column's CSV cell is used, as the JSON API may send it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KitForm {
    pub cells: HashMap<String, String>,
    pub parts: Option<Vec<PartRow>>,
    pub units: Option<Vec<UnitRow>>,
    pub photos: Option<Vec<PhotoRow>>,
    /// "Add N units": how many (empty: none) …
    pub add_units: String,
    /// … with codes `<prefix>01`, `<prefix>02`, … continuing the prefix's highest number.
    pub unit_prefix: String,
}

/// `"3.name"` → `(3, "name")`; indexes are bounded so a crafted form cannot ask for a huge
/// table.
fn indexed(rest: &str) -> Option<(usize, &str)> {
    let (i, field) = rest.split_once('.')?;
    let i: usize = i.parse().ok()?;
    (i < 10_000).then_some((i, field))
}

fn ticked(v: &str) -> bool {
    !v.is_empty() && v != "0"
}

impl KitForm {
    /// Reads posted pairs: catalogue columns by name (check boxes repeat a list column's
    /// name), `parts.<i>.{name,count,pos,remove}`, `units.<i>.{code,status}`,
    /// `photos.<i>.{url,alt,remove}`, `add_units` and `unit_prefix`. Unknown names are
    /// ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> KitForm {
        let mut form = KitForm::default();
        let mut parts: BTreeMap<usize, PartRow> = BTreeMap::new();
        let mut units: BTreeMap<usize, UnitRow> = BTreeMap::new();
        let mut photos: BTreeMap<usize, PhotoRow> = BTreeMap::new();
        let (mut has_parts, mut has_units, mut has_photos) = (false, false, false);
        for (key, value) in pairs {
            let value = value.replace("\r\n", "\n");
            if let Some(rest) = key.strip_prefix("parts.") {
                has_parts = true;
                if let Some((i, field)) = indexed(rest) {
                    let row = parts.entry(i).or_default();
                    match field {
                        "name" => row.name = value,
                        "count" => row.count = value,
                        "pos" => row.pos = value,
                        "remove" => row.remove = ticked(&value),
                        _ => {}
                    }
                }
            } else if let Some(rest) = key.strip_prefix("units.") {
                has_units = true;
                if let Some((i, field)) = indexed(rest) {
                    let row = units.entry(i).or_default();
                    match field {
                        "code" => row.code = value,
                        "status" => row.status = value,
                        _ => {}
                    }
                }
            } else if let Some(rest) = key.strip_prefix("photos.") {
                has_photos = true;
                if let Some((i, field)) = indexed(rest) {
                    let row = photos.entry(i).or_default();
                    match field {
                        "url" => row.url = value,
                        "alt" => row.alt = value,
                        "remove" => row.remove = ticked(&value),
                        _ => {}
                    }
                }
            } else if key == "add_units" {
                form.add_units = value;
            } else if key == "unit_prefix" {
                form.unit_prefix = value;
            } else if LIST_COLUMNS.contains(&key.as_str()) {
                let cell = form.cells.entry(key.clone()).or_default();
                if !cell.is_empty() && !value.trim().is_empty() {
                    cell.push(';');
                }
                cell.push_str(&value);
            } else if CATALOGUE_COLUMNS.contains(&key.as_str()) {
                form.cells.insert(key.clone(), value);
            }
        }
        // Rows keep the numbers the form gave them (a gap, only in a crafted form, becomes
        // an empty row), so every message names the row that was typed.
        form.parts = has_parts.then(|| dense(parts));
        form.units = has_units.then(|| dense(units));
        form.photos = has_photos.then(|| dense(photos));
        form
    }
}

fn dense<T: Default>(rows: BTreeMap<usize, T>) -> Vec<T> {
    let len = rows.keys().next_back().map_or(0, |i| i + 1);
    let mut out: Vec<T> = (0..len).map(|_| T::default()).collect();
    for (i, row) in rows {
        out[i] = row;
    }
    out
}

/// Parses a kit type's form with the catalogue import's rules. `Err` lists every problem,
/// each at its field (`title`, `parts.1.count`, `units.0.code`, `add_units`, …).
pub fn parse_kit_form(form: &KitForm, refs: &References) -> Result<KitInput, Vec<RowError>> {
    let cells: Vec<String> = CATALOGUE_COLUMNS
        .iter()
        .map(|c| form.cells.get(*c).cloned().unwrap_or_default())
        .collect();
    // Through the CSV reader itself, so every cell is read exactly as in a file
    // (formula guards, control characters, trimming).
    let csv = write_table(CATALOGUE_COLUMNS, [cells]);
    let mut kits = read_table(&csv, CATALOGUE_COLUMNS, |row| {
        super::parse_kit(row, refs, Some(form))
    })?;
    kits.pop().ok_or_else(|| {
        vec![RowError {
            line: 2,
            column: String::new(),
            issue: CsvIssue::Required,
        }]
    })
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// The contents rows: blank and removed rows are left out, the rest ordered by their
/// position (a row moved to a position goes before the row that was there).
pub(super) fn parts(row: &mut Row, rows: &[PartRow]) -> Vec<Part> {
    let mut kept: Vec<(u32, bool, usize, Part)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let (name, count, pos) = (r.name.trim(), r.count.trim(), r.pos.trim());
        if r.remove || (name.is_empty() && count.is_empty()) {
            continue;
        }
        let field = |f: &str| format!("parts.{i}.{f}");
        let name_issue = if name.is_empty() {
            Some(CsvIssue::Required)
        } else if name.chars().count() > PART_NAME_MAX {
            Some(CsvIssue::TooLong(PART_NAME_MAX))
        } else if name.contains(';') {
            Some(CsvIssue::Semicolon)
        } else if has_control(name) {
            Some(CsvIssue::ControlCharacter)
        } else {
            None
        };
        if let Some(issue) = name_issue.clone() {
            row.error(&field("name"), issue);
        }
        let expected = if count.is_empty() {
            row.error(&field("count"), CsvIssue::Required);
            None
        } else {
            let c = part_count(count);
            if c.is_none() {
                row.error(&field("count"), CsvIssue::NotACount(count.to_owned()));
            }
            c
        };
        let at = i as u32 + 1;
        let wanted = if pos.is_empty() {
            Some(at)
        } else {
            let p = pos.parse::<u32>().ok();
            if p.is_none() {
                row.error(&field("pos"), CsvIssue::NotANumber(pos.to_owned()));
            }
            p
        };
        if let (None, Some(expected_count), Some(wanted)) = (name_issue, expected, wanted) {
            let part = Part {
                name: name.to_owned(),
                expected_count,
            };
            kept.push((wanted, wanted == at, i, part));
        }
    }
    kept.sort_by_key(|(wanted, stayed, i, _)| (*wanted, *stayed, *i));
    kept.into_iter().map(|(.., p)| p).collect()
}

/// The photo rows: blank and removed rows are left out.
pub(super) fn photos(row: &mut Row, rows: &[PhotoRow]) -> Vec<Photo> {
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if r.remove || (r.url.trim().is_empty() && r.alt.trim().is_empty()) {
            continue;
        }
        if r.alt.contains(';') || r.url.contains(';') {
            row.error(&format!("photos.{i}.alt"), CsvIssue::Semicolon);
            continue;
        }
        match photo(&r.url, &r.alt) {
            Ok(p) => out.push(p),
            Err((at, issue)) => row.error(&format!("photos.{i}.{at}"), issue),
        }
    }
    out
}

/// The unit rows (a blank code is a blank row).
pub(super) fn units(
    row: &mut Row,
    rows: &[UnitRow],
    refs: &References,
    kit: Option<&Slug>,
) -> Vec<(InventoryCode, UnitStatus)> {
    let mut out: Vec<(InventoryCode, UnitStatus)> = Vec::new();
    let mut seen = HashSet::new();
    for (i, r) in rows.iter().enumerate() {
        if r.code.trim().is_empty() {
            continue;
        }
        let status = if r.status.trim().is_empty() {
            Ok(UnitStatus::InService)
        } else {
            unit_status(&r.status)
        };
        let code = unit_code(&r.code, refs, kit);
        match &code {
            Ok(c) if !seen.insert(c.clone()) => {
                row.error(
                    &format!("units.{i}.code"),
                    CsvIssue::Duplicate(c.to_string()),
                );
            }
            Ok(_) => {}
            Err(issue) => row.error(&format!("units.{i}.code"), issue.clone()),
        }
        if let Err(issue) = &status {
            row.error(&format!("units.{i}.status"), issue.clone());
        }
        if let (Ok(c), Ok(s)) = (code, status) {
            out.push((c, s));
        }
    }
    out
}

/// "Add N units": N whole, at most [`MAX_NEW_UNITS`], with a prefix that makes valid codes
/// not taken by any unit, nor by the units listed with them.
pub(super) fn new_units(
    row: &mut Row,
    form: &KitForm,
    refs: &References,
    listed: &[(InventoryCode, UnitStatus)],
) -> Vec<InventoryCode> {
    let n = form.add_units.trim();
    if n.is_empty() {
        return Vec::new();
    }
    let n = match n.parse::<u32>() {
        Ok(0) => return Vec::new(),
        Ok(n) if n <= MAX_NEW_UNITS => n,
        Ok(n) => {
            row.error(
                "add_units",
                CsvIssue::Invalid(format!("{n} > {MAX_NEW_UNITS}")),
            );
            return Vec::new();
        }
        Err(_) => {
            row.error("add_units", CsvIssue::NotANumber(n.to_owned()));
            return Vec::new();
        }
    };
    let prefix = form.unit_prefix.trim().to_ascii_uppercase();
    if prefix.is_empty() {
        row.error("unit_prefix", CsvIssue::Required);
        return Vec::new();
    }
    let taken = |c: &str| refs.units.contains_key(c) || listed.iter().any(|(t, _)| t.as_str() == c);
    let existing = refs
        .units
        .keys()
        .map(String::as_str)
        .chain(listed.iter().map(|(c, _)| c.as_str()));
    let codes = next_codes(&prefix, n, existing, taken);
    let mut out = Vec::new();
    for code in codes {
        match InventoryCode::parse(&code) {
            Ok(c) => out.push(c),
            Err(e) => {
                row.error("unit_prefix", CsvIssue::Invalid(format!("{code}: {e}")));
                return Vec::new();
            }
        }
    }
    out
}

/// `n` new codes `<prefix><number>`: numbers continue after the highest one already used
/// with this prefix, at least two digits wide (`BB-K-06`, `BB-K-07`), skipping codes taken.
pub fn next_codes<'a>(
    prefix: &str,
    n: u32,
    existing: impl Iterator<Item = &'a str>,
    taken: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut highest = 0u64;
    let mut width = 2;
    for code in existing {
        if let Some(digits) = code.strip_prefix(prefix) {
            if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                if let Ok(number) = digits.parse::<u64>() {
                    if number >= highest {
                        highest = number;
                        width = width.max(digits.len());
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut next = highest + 1;
    while out.len() < n as usize {
        let code = format!("{prefix}{next:0width$}");
        if !taken(&code) {
            out.push(code);
        }
        next += 1;
    }
    out
}

/// The prefix offered for "add N units": the kit's own series (`BB-K-` from `BB-K-05`), or
/// for a kit without units the initials of its slug (`MA-` for `mos-afvalsorteerkoffer`).
pub fn suggested_prefix(slug: &str, codes: &[&str]) -> String {
    if let Some(last) = codes.iter().max() {
        let stem = last.trim_end_matches(|c: char| c.is_ascii_digit());
        if !stem.is_empty() && stem.len() < last.len() {
            return stem.to_owned();
        }
    }
    let initials: String = slug
        .split('-')
        .filter_map(|w| w.chars().next())
        .take(4)
        .collect::<String>()
        .to_ascii_uppercase();
    if initials.is_empty() {
        String::new()
    } else {
        format!("{initials}-")
    }
}

#[cfg(test)]
mod tests;
