//! Parsing the catalogue and its reference tables from CSV: every row checked, every
//! reference resolved, before anything is written.

use super::csv_table::{read_table, CsvIssue, Row, RowError};
use crate::domain::reminders::MAX_PICKUP_REMINDER_DAYS;
use leenpunt_shared::{
    InventoryCode, KitKind, Level, Part, Photo, SchoolNumber, Slug, Theme, UnitStatus,
};
use std::collections::{HashMap, HashSet};

/// The catalogue CSV columns, in export order.
pub const CATALOGUE_COLUMNS: &[&str] = &[
    "slug",
    "title",
    "kind",
    "partner",
    "themes",
    "levels",
    "summary",
    "description",
    "parts",
    "pickup_points",
    "trainings",
    "photos",
    "external_url",
    "units",
    "lead_days",
    "horizon_days",
    "min_loan_days",
    "max_loan_days",
    "buffer_days",
    "max_per_school",
    "needs_approval",
];

/// Loan rules set on one kit type; `None` falls back to the partner's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleOverrides {
    pub lead_days: Option<u32>,
    pub horizon_days: Option<u32>,
    pub min_loan_days: Option<u32>,
    pub max_loan_days: Option<u32>,
    pub buffer_days: Option<u32>,
    pub max_per_school: Option<u32>,
    pub needs_approval: Option<bool>,
}

/// A validated catalogue entry, with references still as slugs (all known to exist).
#[derive(Debug, Clone, PartialEq)]
pub struct KitInput {
    pub slug: Slug,
    pub title: String,
    pub kind: KitKind,
    pub partner: String,
    pub themes: Vec<Theme>,
    pub levels: Vec<Level>,
    pub summary: String,
    pub description: String,
    pub parts: Vec<Part>,
    pub pickup_points: Vec<String>,
    pub trainings: Vec<String>,
    pub photos: Vec<Photo>,
    pub external_url: Option<String>,
    pub units: Vec<(InventoryCode, UnitStatus)>,
    pub rules: RuleOverrides,
}

/// What already exists, for resolving references.
#[derive(Debug, Clone, Default)]
pub struct References {
    pub partners: HashSet<String>,
    /// Pickup point slug → its partner's slug.
    pub pickup_points: HashMap<String, String>,
    pub trainings: HashSet<String>,
    /// Inventory code → slug of the kit type that owns the unit.
    pub units: HashMap<String, String>,
    /// Slugs of kit types that own units (in any state).
    pub kits_with_units: HashSet<String>,
    /// Partner slug → its default (min, max) loan days.
    pub partner_loan_days: HashMap<String, (u32, u32)>,
}

/// Parses a catalogue CSV. `Err` lists every problem; nothing may be written then.
pub fn parse_catalogue(input: &str, refs: &References) -> Result<Vec<KitInput>, Vec<RowError>> {
    let mut slugs = HashSet::new();
    let mut codes = HashSet::new();
    read_table(input, CATALOGUE_COLUMNS, |row| {
        let kit = parse_kit(row, refs, None);
        if let Some(k) = &kit {
            if !slugs.insert(k.slug.clone()) {
                row.error("slug", CsvIssue::Duplicate(k.slug.to_string()));
            }
            for (code, _) in &k.units {
                if !codes.insert(code.clone()) {
                    row.error("units", CsvIssue::Duplicate(code.to_string()));
                }
            }
        }
        kit
    })
}

/// One catalogue row. `form` is the kit editor's form: its contents, units and photos come
/// as rows of their own (messages at `parts.<i>.<field>` …) instead of the CSV cells.
fn parse_kit(row: &mut Row, refs: &References, form: Option<&KitForm>) -> Option<KitInput> {
    let slug = slug(row, "slug");
    let title = row.required("title", 200);
    let kind = one_code(row, "kind", KitKind::parse, KitKind::ALL, KitKind::code);
    let partner = reference(row, "partner", |s| refs.partners.contains(s));
    let themes = row.codes("themes", Theme::parse, Theme::ALL, Theme::code);
    let levels = row.codes("levels", Level::parse, Level::ALL, Level::code);
    if themes.is_empty() && row.text("themes").is_empty() {
        row.error("themes", CsvIssue::Required);
    }
    if levels.is_empty() && row.text("levels").is_empty() {
        row.error("levels", CsvIssue::Required);
    }
    let summary = row.text("summary");
    if summary.chars().count() > 300 {
        row.error("summary", CsvIssue::TooLong(300));
    }
    let description = row.text("description");
    let parts = match form.and_then(|f| f.parts.as_deref()) {
        Some(rows) => kit_form::parts(row, rows),
        None => parts(row),
    };
    let pickup_points = pickups(row, refs, partner.as_deref());
    let trainings = row.list("trainings");
    for t in &trainings {
        if !refs.trainings.contains(t) {
            row.error("trainings", CsvIssue::UnknownRef(t.clone()));
        }
    }
    let photos = match form.and_then(|f| f.photos.as_deref()) {
        Some(rows) => kit_form::photos(row, rows),
        None => photos(row),
    };
    let external_url = row.optional("external_url");
    if let Some(url) = &external_url {
        if !web_url(url) {
            row.error("external_url", CsvIssue::Invalid(url.clone()));
        }
    }
    let mut units = match form.and_then(|f| f.units.as_deref()) {
        Some(rows) => kit_form::units(row, rows, refs, slug.as_ref()),
        None => units(row, refs, slug.as_ref()),
    };
    if let Some(f) = form {
        let new = kit_form::new_units(row, f, refs, &units);
        units.extend(new.into_iter().map(|c| (c, UnitStatus::InService)));
    }
    let rules = rules(row);
    let kind = kind?;
    let owns_units = slug
        .as_ref()
        .is_some_and(|s| refs.kits_with_units.contains(s.as_str()));
    check_kind(
        row,
        kind,
        &parts,
        &pickup_points,
        &units,
        owns_units,
        external_url.as_deref(),
    );
    if let Some((min, max)) = partner.as_ref().and_then(|p| refs.partner_loan_days.get(p)) {
        let (min, max) = (
            rules.min_loan_days.unwrap_or(*min),
            rules.max_loan_days.unwrap_or(*max),
        );
        if min > max {
            row.error(
                "min_loan_days",
                CsvIssue::Invalid(format!("{min} > max_loan_days {max}")),
            );
        }
    }
    Some(KitInput {
        slug: slug?,
        title: title?,
        kind,
        partner: partner?,
        themes,
        levels,
        summary,
        description,
        parts,
        pickup_points,
        trainings,
        photos,
        external_url,
        units,
        rules,
    })
}

/// Loan material needs somewhere to pick it up; informative entries need a link and have
/// no physical parts or units.
fn check_kind(
    row: &mut Row,
    kind: KitKind,
    parts: &[Part],
    pickups: &[String],
    units: &[(InventoryCode, UnitStatus)],
    owns_units: bool,
    url: Option<&str>,
) {
    if kind.is_reservable() {
        if pickups.is_empty() && row.text("pickup_points").is_empty() {
            row.error("pickup_points", CsvIssue::Required);
        }
    } else {
        if !parts.is_empty() {
            row.error("parts", CsvIssue::NotForKind);
        }
        // Units already owned would be orphaned by turning loan material into an
        // informative entry: retire or move them first.
        if !units.is_empty() || owns_units {
            row.error("units", CsvIssue::NotForKind);
        }
        if url.is_none() {
            row.error("external_url", CsvIssue::Required);
        }
    }
}

fn slug(row: &mut Row, column: &str) -> Option<Slug> {
    let v = row.required(column, Slug::MAX_LEN)?;
    match Slug::parse(&v) {
        Ok(s) => Some(s),
        Err(e) => {
            row.error(column, CsvIssue::Invalid(format!("{v}: {e}")));
            None
        }
    }
}

fn one_code<T: Copy>(
    row: &mut Row,
    column: &str,
    parse: fn(&str) -> Option<T>,
    all: &[T],
    code: fn(T) -> &'static str,
) -> Option<T> {
    let v = row.required(column, 40)?;
    let parsed = parse(&v);
    if parsed.is_none() {
        let allowed = all.iter().map(|c| code(*c)).collect();
        row.error(column, CsvIssue::UnknownCode { value: v, allowed });
    }
    parsed
}

fn reference(row: &mut Row, column: &str, exists: impl Fn(&str) -> bool) -> Option<String> {
    let v = row.required(column, Slug::MAX_LEN)?;
    if exists(&v) {
        Some(v)
    } else {
        row.error(column, CsvIssue::UnknownRef(v));
        None
    }
}

fn parts(row: &mut Row) -> Vec<Part> {
    let mut out = Vec::new();
    for item in row.list("parts") {
        let parsed = item.rsplit_once(':').and_then(|(name, count)| {
            let name = name.trim();
            let count = part_count(count)?;
            (!name.is_empty() && name.chars().count() <= PART_NAME_MAX).then(|| Part {
                name: name.to_owned(),
                expected_count: count,
            })
        });
        match parsed {
            Some(p) => out.push(p),
            None => row.error("parts", CsvIssue::BadPart(item)),
        }
    }
    out
}

/// A part's name is at most this long.
const PART_NAME_MAX: usize = 200;

/// A part's expected count: a whole number from 1.
fn part_count(text: &str) -> Option<u32> {
    text.trim().parse::<u32>().ok().filter(|c| *c >= 1)
}

fn pickups(row: &mut Row, refs: &References, partner: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    for p in row.list("pickup_points") {
        match refs.pickup_points.get(&p) {
            None => row.error("pickup_points", CsvIssue::UnknownRef(p)),
            Some(owner) if partner.is_some_and(|partner| partner != owner) => {
                row.error("pickup_points", CsvIssue::WrongPartner(p))
            }
            Some(_) => out.push(p),
        }
    }
    out
}

/// An absolute `http(s)` link: shown as a link on public pages, so never `javascript:`.
fn web_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && leenpunt_shared::html::safe_url(url).is_some()
}

fn photos(row: &mut Row) -> Vec<Photo> {
    let mut out = Vec::new();
    for item in row.list("photos") {
        let (url, alt) = item.split_once('|').unwrap_or((item.as_str(), ""));
        match photo(url, alt) {
            Ok(p) => out.push(p),
            Err((_, issue)) => row.error("photos", issue),
        }
    }
    out
}

/// One photo: served by Leenpunt itself (the CSP allows no other image hosts), with a text
/// alternative. The error names the part at fault (`url` or `alt`).
fn photo(url: &str, alt: &str) -> Result<Photo, (&'static str, CsvIssue)> {
    let (url, alt) = (url.trim(), alt.trim());
    if !url.starts_with('/') || leenpunt_shared::html::safe_url(url).is_none() {
        Err(("url", CsvIssue::Invalid(url.to_owned())))
    } else if alt.is_empty() {
        Err(("alt", CsvIssue::Required))
    } else {
        Ok(Photo {
            url: url.to_owned(),
            alt: alt.to_owned(),
        })
    }
}

fn units(row: &mut Row, refs: &References, kit: Option<&Slug>) -> Vec<(InventoryCode, UnitStatus)> {
    let mut out = Vec::new();
    for item in row.list("units") {
        let (code, status) = item.split_once('=').unwrap_or((item.as_str(), "in-dienst"));
        let status = match unit_status(status) {
            Ok(s) => s,
            Err(issue) => {
                row.error("units", issue);
                continue;
            }
        };
        match unit_code(code, refs, kit) {
            Ok(c) => out.push((c, status)),
            Err(issue) => row.error("units", issue),
        }
    }
    out
}

fn unit_status(text: &str) -> Result<UnitStatus, CsvIssue> {
    UnitStatus::parse(text.trim()).ok_or_else(|| CsvIssue::UnknownCode {
        value: text.trim().to_owned(),
        allowed: UnitStatus::ALL.iter().map(|s| s.code()).collect(),
    })
}

/// An inventory code this kit type may hold: well formed, and not a unit of another kit
/// type (units never move between kit types through an import).
fn unit_code(code: &str, refs: &References, kit: Option<&Slug>) -> Result<InventoryCode, CsvIssue> {
    let c = InventoryCode::parse(code).map_err(|e| CsvIssue::Invalid(format!("{code}: {e}")))?;
    match refs.units.get(c.as_str()) {
        Some(owner) if Some(owner.as_str()) != kit.map(Slug::as_str) => {
            Err(CsvIssue::UnitOfOtherKit(c.to_string(), owner.clone()))
        }
        _ => Ok(c),
    }
}

fn rules(row: &mut Row) -> RuleOverrides {
    let r = RuleOverrides {
        lead_days: row.number("lead_days"),
        horizon_days: row.number("horizon_days"),
        min_loan_days: row.number("min_loan_days"),
        max_loan_days: row.number("max_loan_days"),
        buffer_days: row.number("buffer_days"),
        max_per_school: row.number("max_per_school"),
        needs_approval: row.flag("needs_approval"),
    };
    for (col, v) in [
        ("horizon_days", r.horizon_days),
        ("min_loan_days", r.min_loan_days),
        ("max_per_school", r.max_per_school),
        ("max_loan_days", r.max_loan_days),
    ] {
        if v == Some(0) {
            row.error(col, CsvIssue::Invalid("0".into()));
        }
    }
    if let (Some(min), Some(max)) = (r.min_loan_days, r.max_loan_days) {
        if min > max {
            row.error(
                "max_loan_days",
                CsvIssue::Invalid(format!("{max} < min_loan_days {min}")),
            );
        }
    }
    r
}

/// A partner service row.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerInput {
    pub slug: Slug,
    pub name: String,
    pub description: String,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub rules: RuleOverrides,
    /// Open days before a pickup that its borrower is reminded (`None`: the default, 2).
    pub pickup_reminder_days: Option<u32>,
}

/// The partner register's columns. The last one, `pickup_reminder_days`, is optional on
/// import (files written before it existed still load); exports always have it.
pub const PARTNER_COLUMNS: &[&str] = &[
    "slug",
    "name",
    "description",
    "website",
    "email",
    "phone",
    "lead_days",
    "horizon_days",
    "min_loan_days",
    "max_loan_days",
    "buffer_days",
    "max_per_school",
    "needs_approval",
    "pickup_reminder_days",
];

pub fn parse_partners(input: &str) -> Result<Vec<PartnerInput>, Vec<RowError>> {
    let required = &PARTNER_COLUMNS[..PARTNER_COLUMNS.len() - 1];
    read_table(input, required, |row| {
        let slug = slug(row, "slug");
        let name = row.required("name", 200);
        let rules = rules(row);
        let website = row.optional("website");
        if let Some(url) = &website {
            if !web_url(url) {
                row.error("website", CsvIssue::Invalid(url.clone()));
            }
        }
        let reminder_days = row.number("pickup_reminder_days");
        if let Some(days) = reminder_days.filter(|d| *d > MAX_PICKUP_REMINDER_DAYS) {
            row.error(
                "pickup_reminder_days",
                CsvIssue::Invalid(format!("{days} > {MAX_PICKUP_REMINDER_DAYS}")),
            );
        }
        Some(PartnerInput {
            slug: slug?,
            name: name?,
            description: row.text("description"),
            website,
            email: row.optional("email"),
            phone: row.optional("phone"),
            rules,
            pickup_reminder_days: reminder_days,
        })
    })
}

/// A pickup point row.
#[derive(Debug, Clone, PartialEq)]
pub struct PickupPointInput {
    pub slug: Slug,
    pub partner: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub municipality: String,
    pub opening_hours: String,
}

pub const PICKUP_COLUMNS: &[&str] = &[
    "slug",
    "partner",
    "name",
    "street",
    "postcode",
    "municipality",
    "opening_hours",
];

pub fn parse_pickup_points(
    input: &str,
    partners: &HashSet<String>,
) -> Result<Vec<PickupPointInput>, Vec<RowError>> {
    read_table(input, PICKUP_COLUMNS, |row| {
        let slug = slug(row, "slug");
        let partner = reference(row, "partner", |s| partners.contains(s));
        let name = row.required("name", 200);
        let street = row.required("street", 200);
        let postcode = row.required("postcode", 10);
        let municipality = row.required("municipality", 100);
        Some(PickupPointInput {
            slug: slug?,
            partner: partner?,
            name: name?,
            street: street?,
            postcode: postcode?,
            municipality: municipality?,
            opening_hours: row.text("opening_hours"),
        })
    })
}

/// A training type row.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingInput {
    pub slug: Slug,
    pub partner: String,
    pub title: String,
    pub description: String,
    pub duration_minutes: u32,
    pub validity_months: Option<u32>,
}

pub const TRAINING_COLUMNS: &[&str] = &[
    "slug",
    "partner",
    "title",
    "description",
    "duration_minutes",
    "validity_months",
];

pub fn parse_trainings(
    input: &str,
    partners: &HashSet<String>,
) -> Result<Vec<TrainingInput>, Vec<RowError>> {
    read_table(input, TRAINING_COLUMNS, |row| {
        let slug = slug(row, "slug");
        let partner = reference(row, "partner", |s| partners.contains(s));
        let title = row.required("title", 200);
        let duration = row.number("duration_minutes").filter(|d| *d > 0);
        if duration.is_none() {
            row.error("duration_minutes", CsvIssue::Required);
        }
        let validity = row.number("validity_months");
        if validity == Some(0) {
            row.error("validity_months", CsvIssue::Invalid("0".into()));
        }
        Some(TrainingInput {
            slug: slug?,
            partner: partner?,
            title: title?,
            description: row.text("description"),
            duration_minutes: duration?,
            validity_months: validity,
        })
    })
}

/// The school networks (onderwijsnetten) in Flanders.
pub const NETWORKS: &[&str] = &["go", "katholiek", "gemeentelijk", "provinciaal", "privaat"];

/// A school row.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolInput {
    pub number: SchoolNumber,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub municipality: String,
    pub network: String,
    pub levels: Vec<Level>,
}

pub const SCHOOL_COLUMNS: &[&str] = &[
    "instellingsnummer",
    "name",
    "street",
    "postcode",
    "municipality",
    "network",
    "levels",
];

pub fn parse_schools(input: &str) -> Result<Vec<SchoolInput>, Vec<RowError>> {
    let mut seen = HashSet::new();
    read_table(input, SCHOOL_COLUMNS, |row| {
        let raw = row.text("instellingsnummer");
        let number = match SchoolNumber::parse(&raw) {
            Ok(n) => Some(n),
            Err(e) => {
                row.error(
                    "instellingsnummer",
                    CsvIssue::Invalid(format!("{raw}: {e}")),
                );
                None
            }
        };
        if let Some(n) = number {
            if !seen.insert(n) {
                row.error("instellingsnummer", CsvIssue::Duplicate(n.to_string()));
            }
        }
        let name = row.required("name", 200);
        let network = row.required("network", 20);
        if let Some(n) = &network {
            if !NETWORKS.contains(&n.as_str()) {
                row.error(
                    "network",
                    CsvIssue::UnknownCode {
                        value: n.clone(),
                        allowed: NETWORKS.to_vec(),
                    },
                );
            }
        }
        let levels = row.codes("levels", Level::parse, Level::ALL, Level::code);
        Some(SchoolInput {
            number: number?,
            name: name?,
            street: row.text("street"),
            postcode: row.text("postcode"),
            municipality: row.text("municipality"),
            network: network?,
            levels,
        })
    })
}

pub mod kit_form;
pub use kit_form::{parse_kit_form, KitForm};

#[cfg(test)]
mod tests;

/// Columns of the closed-days CSV (the yearly school-holiday import, and a pickup point's
/// own closures). An empty `pickup_point` closes every pickup point; an empty `last_day`
/// is the same day as `first_day`.
pub const CLOSED_DAY_COLUMNS: &[&str] = &["pickup_point", "first_day", "last_day", "reason"];

/// One closed period to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedDayInput {
    /// Pickup point slug; `None` for every pickup point.
    pub pickup_point: Option<String>,
    pub period: crate::domain::reservations::ClosedPeriod,
}

/// Parses the closed-days CSV, reporting every bad row and column.
pub fn parse_closed_days(
    input: &str,
    pickup_points: &HashSet<String>,
) -> Result<Vec<ClosedDayInput>, Vec<RowError>> {
    let date = |row: &mut crate::domain::csv_table::Row, column: &str| {
        let raw = row.text(column);
        if raw.is_empty() {
            return None;
        }
        let parsed = chrono::NaiveDate::parse_from_str(&raw, "%Y-%m-%d").ok();
        if parsed.is_none() {
            row.error(
                column,
                CsvIssue::Invalid(format!("{raw}: jjjj-mm-dd / yyyy-mm-dd")),
            );
        }
        parsed
    };
    read_table(input, CLOSED_DAY_COLUMNS, |row| {
        let point = row.optional("pickup_point");
        if let Some(p) = &point {
            if !pickup_points.contains(p) {
                row.error("pickup_point", CsvIssue::UnknownRef(p.clone()));
            }
        }
        let first = date(row, "first_day");
        if first.is_none() && row.text("first_day").is_empty() {
            row.error("first_day", CsvIssue::Required);
        }
        let last = date(row, "last_day").or(first);
        if let (Some(f), Some(l)) = (first, last) {
            if l < f {
                row.error("last_day", CsvIssue::Invalid(format!("{l} < {f}")));
            }
        }
        let reason = row.required("reason", 200);
        Some(ClosedDayInput {
            pickup_point: point,
            period: crate::domain::reservations::ClosedPeriod {
                first: first?,
                last: last?,
                reason: reason?,
            },
        })
    })
}
