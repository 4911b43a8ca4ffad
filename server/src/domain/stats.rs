//! "In cijfers": the period rules and how the records become the report's tables. Pure:
//! the loans are folded per kit type, partner service, school and day (`loans`), the SQL
//! sums the other measures; the grouping into target groups and municipalities, the
//! comparison with the previous period and the CSV are decided here.

use chrono::{Datelike, Duration, NaiveDate};
use leenpunt_shared::stats::{StatsRow, StatsTable, StatsTableId, TargetGroup};
use leenpunt_shared::Lang;
use std::collections::BTreeMap;

pub mod loans;

/// The longest period a report covers (ten school years).
pub const MAX_DAYS: i64 = 3653;

/// A period of whole days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

/// Why a period asked for cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodError {
    /// `from` is not a date.
    BadFrom,
    /// `to` is not a date.
    BadTo,
    /// The last day is before the first.
    Reversed,
    /// Longer than [`MAX_DAYS`].
    TooLong,
}

impl PeriodError {
    /// The query field the problem is about.
    pub fn field(self) -> &'static str {
        match self {
            PeriodError::BadFrom => "from",
            PeriodError::BadTo | PeriodError::Reversed | PeriodError::TooLong => "to",
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        let nl = lang == Lang::Nl;
        match self {
            PeriodError::BadFrom | PeriodError::BadTo if nl => {
                "Kies een geldige datum (jjjj-mm-dd)."
            }
            PeriodError::BadFrom | PeriodError::BadTo => "Choose a valid date (yyyy-mm-dd).",
            PeriodError::Reversed if nl => "De laatste dag valt voor de eerste.",
            PeriodError::Reversed => "The last day is before the first.",
            PeriodError::TooLong if nl => "Kies een periode van hoogstens tien jaar.",
            PeriodError::TooLong => "Choose a period of ten years at most.",
        }
    }
}

impl Period {
    /// The period from `from` to `to`, both included.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, PeriodError> {
        if to < from {
            return Err(PeriodError::Reversed);
        }
        if (to - from).num_days() + 1 > MAX_DAYS {
            return Err(PeriodError::TooLong);
        }
        Ok(Period { from, to })
    }

    /// The school year (1 September – 31 August) that holds `day`.
    pub fn school_year_of(day: NaiveDate) -> Period {
        let start_year = if day.month() >= 9 {
            day.year()
        } else {
            day.year() - 1
        };
        Period {
            from: ymd(start_year, 9, 1),
            to: ymd(start_year + 1, 8, 31),
        }
    }

    /// The last school year that ended before `today`.
    pub fn last_school_year(today: NaiveDate) -> Period {
        let current = Period::school_year_of(today);
        Period::school_year_of(current.from - Duration::days(1))
    }

    /// The period a report asks for: both days given, or one of them (the other end of
    /// that day's school year), or none (the school year of `today`). Blank means absent.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
    ) -> Result<Period, Vec<PeriodError>> {
        let day = |s: Option<&str>, bad: PeriodError| match s.map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| bad),
        };
        let from = day(from, PeriodError::BadFrom);
        let to = day(to, PeriodError::BadTo);
        let (from, to) = match (from, to) {
            (Ok(f), Ok(t)) => (f, t),
            (f, t) => return Err([f.err(), t.err()].into_iter().flatten().collect()),
        };
        let period = match (from, to) {
            (None, None) => return Ok(Period::school_year_of(today)),
            (Some(f), None) => Period::new(f, Period::school_year_of(f).to),
            (None, Some(t)) => Period::new(Period::school_year_of(t).from, t),
            (Some(f), Some(t)) => Period::new(f, t),
        };
        period.map_err(|e| vec![e])
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// How many days, both ends included.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// Whether this is exactly one school year.
    pub fn is_school_year(&self) -> bool {
        *self == Period::school_year_of(self.from)
    }

    /// The period to compare with: the previous school year for a school year, else the
    /// days of equal number just before.
    pub fn previous(&self) -> Period {
        if self.is_school_year() {
            return Period::school_year_of(self.from - Duration::days(1));
        }
        let to = self.from - Duration::days(1);
        Period {
            from: to - Duration::days(self.days() - 1),
            to,
        }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid calendar day")
}

/// The target group of a school, from its `;`-separated levels: special needs education
/// first (a BuBaO/BuSO school), then basis- and/or secundair, then adult education.
pub fn group_of(levels: &str) -> TargetGroup {
    let has = |code: &str| levels.split(';').any(|l| l.trim() == code);
    let bao = has("kleuter") || has("lager");
    let so = has("so-1") || has("so-2") || has("so-3");
    if has("buitengewoon") {
        TargetGroup::Buo
    } else if bao && so {
        TargetGroup::BaoSo
    } else if bao {
        TargetGroup::Bao
    } else if so {
        TargetGroup::So
    } else if has("volwassenen") {
        TargetGroup::Vwo
    } else {
        TargetGroup::Other
    }
}

/// Loans (reservations picked up, by pickup day in the period) of one thing: a kit type or
/// a partner service, with how many distinct schools borrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub key: String,
    pub label: String,
    pub loans: i64,
    pub unit_days: i64,
    pub schools: i64,
}

/// One school's loans in the period, with what groups it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolTally {
    pub school: i64,
    pub levels: String,
    pub municipality: String,
    pub loans: i64,
    pub unit_days: i64,
}

/// A kit type's use: unit-days out (loans) and unit-days its units were in service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseTally {
    pub key: String,
    pub label: String,
    pub unit_days_out: i64,
    pub unit_days_in_service: i64,
}

/// Each kit type's use: unit-days out from its loans beside the unit-days its units were in
/// service (kit types with loans but no unit in service any more included).
pub fn uses_of(kits: &[Tally], in_service: Vec<(String, String, i64)>) -> Vec<UseTally> {
    let mut out: BTreeMap<String, UseTally> = in_service
        .into_iter()
        .map(|(key, label, days)| {
            let tally = UseTally {
                key: key.clone(),
                label,
                unit_days_out: 0,
                unit_days_in_service: days,
            };
            (key, tally)
        })
        .collect();
    for k in kits {
        out.entry(k.key.clone())
            .or_insert_with(|| UseTally {
                key: k.key.clone(),
                label: k.label.clone(),
                unit_days_out: 0,
                unit_days_in_service: 0,
            })
            .unit_days_out += k.unit_days;
    }
    out.into_values().collect()
}

/// Demand for a kit type: waiting-list entries (requests that did not fit), offers made
/// from the waiting list, offers accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemandTally {
    pub key: String,
    pub label: String,
    pub waiting: i64,
    pub offers: i64,
    pub accepted: i64,
}

/// Quality in a period (by pickup day for loans, by opening day for maintenance tickets).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QualityTally {
    /// Reservations never picked up (`niet-afgehaald`).
    pub no_shows: i64,
    /// Units returned after their return day, and the days late added up.
    pub late_returns: i64,
    pub late_days: i64,
    /// Maintenance tickets opened at a return with parts missing.
    pub missing_parts: i64,
    /// Maintenance tickets opened, closed, and the hours from opening to closing of the
    /// closed ones added up.
    pub tickets: i64,
    pub repaired: i64,
    pub repair_hours: i64,
}

/// Trainings in a period (by the session's day).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrainingTally {
    /// Sessions held (not called off) and their seats.
    pub sessions: i64,
    pub seats: i64,
    /// Registrations with a seat, and of those, present.
    pub registered: i64,
    pub attended: i64,
    /// Distinct people granted a qualification (not revoked).
    pub qualified: i64,
    /// (teacher, training) pairs attended, and of those, the ones whose school picked up a
    /// kit type needing that training within 90 days after the session.
    pub trained: i64,
    pub borrowed_within_90: i64,
}

/// Everything the database sums for one period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodFigures {
    pub kits: Vec<Tally>,
    pub partners: Vec<Tally>,
    pub schools: Vec<SchoolTally>,
    /// Loans picked up per day.
    pub days: Vec<(NaiveDate, i64)>,
    pub uses: Vec<UseTally>,
    pub demand: Vec<DemandTally>,
    pub quality: QualityTally,
    pub trainings: TrainingTally,
}

/// What the database counts for a period besides the loans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Measures {
    /// Per kit type (slug, title): the unit-days its units were in service.
    pub in_service: Vec<(String, String, i64)>,
    pub demand: Vec<DemandTally>,
    pub quality: QualityTally,
    pub trainings: TrainingTally,
}

impl PeriodFigures {
    /// A period's figures from its folded loans and the other measures.
    pub fn new(loans: loans::LoanFigures, measures: Measures) -> PeriodFigures {
        PeriodFigures {
            uses: uses_of(&loans.kits, measures.in_service),
            kits: loans.kits,
            partners: loans.partners,
            schools: loans.schools,
            days: loans.days,
            demand: measures.demand,
            quality: measures.quality,
            trainings: measures.trainings,
        }
    }
}

const LOAN_COLUMNS: [&str; 3] = ["loans", "unit_days", "schools"];

impl PeriodFigures {
    /// Loans, unit-days and distinct schools over everything.
    pub fn totals(&self) -> [i64; 3] {
        [
            self.schools.iter().map(|s| s.loans).sum(),
            self.schools.iter().map(|s| s.unit_days).sum(),
            self.schools.iter().filter(|s| s.loans > 0).count() as i64,
        ]
    }

    /// Per target group: loans, unit-days, schools reached.
    pub fn by_group(&self, lang: Lang) -> BTreeMap<String, (String, [i64; 3])> {
        let mut out = BTreeMap::new();
        for s in &self.schools {
            let g = group_of(&s.levels);
            let e = out
                .entry(format!("{}-{}", position(g), g.code()))
                .or_insert_with(|| (g.label(lang).to_owned(), [0; 3]));
            add_school(&mut e.1, s);
        }
        out.into_iter()
            .map(|(k, v)| (k.split_once('-').map(|(_, c)| c.to_owned()).unwrap_or(k), v))
            .collect()
    }

    /// Per municipality of the school: loans, unit-days, schools reached.
    pub fn by_municipality(&self, lang: Lang) -> BTreeMap<String, (String, [i64; 3])> {
        let mut out = BTreeMap::new();
        for s in &self.schools {
            let name = s.municipality.trim();
            let label = if name.is_empty() {
                if lang == Lang::Nl {
                    "Gemeente onbekend"
                } else {
                    "Municipality unknown"
                }
            } else {
                name
            };
            let e = out
                .entry(label.to_lowercase())
                .or_insert_with(|| (label.to_owned(), [0; 3]));
            add_school(&mut e.1, s);
        }
        out
    }

    /// Loans picked up per ISO week (`2026-W05`).
    pub fn by_week(&self) -> BTreeMap<String, (String, [i64; 1])> {
        let mut out: BTreeMap<String, (String, [i64; 1])> = BTreeMap::new();
        for (day, loans) in &self.days {
            let w = day.iso_week();
            let monday = *day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
            let key = format!("{}-W{:02}", w.year(), w.week());
            let e = out
                .entry(key.clone())
                .or_insert_with(|| (format!("{key} ({monday})"), [0]));
            e.1[0] += loans;
        }
        out
    }
}

fn position(g: TargetGroup) -> usize {
    TargetGroup::ALL.iter().position(|x| *x == g).unwrap_or(9)
}

fn add_school(acc: &mut [i64; 3], s: &SchoolTally) {
    acc[0] += s.loans;
    acc[1] += s.unit_days;
    if s.loans > 0 {
        acc[2] += 1;
    }
}

/// Puts a period and its previous one side by side: every key of either, in the order
/// `order` gives (biggest first by the first column of the period, then by label).
fn side_by_side<const N: usize>(
    id: StatsTableId,
    columns: [&str; N],
    now: BTreeMap<String, (String, [i64; N])>,
    before: BTreeMap<String, (String, [i64; N])>,
    keep_order: bool,
) -> StatsTable {
    let mut keys: Vec<&String> = now.keys().chain(before.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut rows: Vec<StatsRow> = keys
        .into_iter()
        .map(|k| {
            let a = now.get(k);
            let b = before.get(k);
            StatsRow {
                key: k.clone(),
                label: a.or(b).map(|(l, _)| l.clone()).unwrap_or_default(),
                values: a.map(|(_, v)| v.to_vec()).unwrap_or_else(|| vec![0; N]),
                previous: b.map(|(_, v)| v.to_vec()).unwrap_or_else(|| vec![0; N]),
            }
        })
        .collect();
    if !keep_order {
        rows.sort_by(|a, b| {
            b.values[0]
                .cmp(&a.values[0])
                .then_with(|| a.label.cmp(&b.label))
        });
    }
    StatsTable {
        id,
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        rows,
    }
}

fn tallies(list: &[Tally]) -> BTreeMap<String, (String, [i64; 3])> {
    list.iter()
        .map(|t| {
            (
                t.key.clone(),
                (t.label.clone(), [t.loans, t.unit_days, t.schools]),
            )
        })
        .collect()
}

/// Utilisation in per cent (rounded down), 0 when nothing was in service.
pub fn utilisation_percent(out: i64, in_service: i64) -> i64 {
    if in_service <= 0 {
        0
    } else {
        out * 100 / in_service
    }
}

fn uses(list: &[UseTally]) -> BTreeMap<String, (String, [i64; 3])> {
    list.iter()
        .map(|u| {
            (
                u.key.clone(),
                (
                    u.label.clone(),
                    [
                        utilisation_percent(u.unit_days_out, u.unit_days_in_service),
                        u.unit_days_out,
                        u.unit_days_in_service,
                    ],
                ),
            )
        })
        .collect()
}

fn demand(list: &[DemandTally]) -> BTreeMap<String, (String, [i64; 3])> {
    list.iter()
        .map(|d| {
            (
                d.key.clone(),
                (d.label.clone(), [d.waiting, d.offers, d.accepted]),
            )
        })
        .collect()
}

/// The busiest weeks first (at most `limit`). The previous period has other weeks, so its
/// column holds the loans of the previous period's week of the same rank.
fn busiest_weeks(now: &PeriodFigures, before: &PeriodFigures, limit: usize) -> StatsTable {
    let rank = |f: &PeriodFigures| {
        let mut weeks: Vec<(String, String, i64)> = f
            .by_week()
            .into_iter()
            .map(|(k, (l, v))| (k, l, v[0]))
            .collect();
        weeks.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        weeks.truncate(limit);
        weeks
    };
    let before = rank(before);
    let rows = rank(now)
        .into_iter()
        .enumerate()
        .map(|(i, (key, label, loans))| StatsRow {
            key,
            label,
            values: vec![loans],
            previous: vec![before.get(i).map(|w| w.2).unwrap_or(0)],
        })
        .collect();
    StatsTable {
        id: StatsTableId::Weeks,
        columns: vec!["loans".into()],
        rows,
    }
}

/// Average in whole units, rounded to the nearest (0 when nothing to divide by).
pub fn average(total: i64, count: i64) -> i64 {
    if count <= 0 {
        0
    } else {
        (total + count / 2) / count
    }
}

/// A table of measures: one row per measure, one `value` column.
fn measures(
    id: StatsTableId,
    now: Vec<(&str, &str, &str, i64)>,
    before: Vec<i64>,
    lang: Lang,
) -> StatsTable {
    StatsTable {
        id,
        columns: vec!["value".into()],
        rows: now
            .into_iter()
            .zip(before)
            .map(|((key, nl, en, value), previous)| StatsRow {
                key: key.into(),
                label: if lang == Lang::Nl { nl } else { en }.into(),
                values: vec![value],
                previous: vec![previous],
            })
            .collect(),
    }
}

fn quality_rows(q: &QualityTally) -> Vec<(&'static str, &'static str, &'static str, i64)> {
    vec![
        ("no_shows", "Niet afgehaald", "No-shows", q.no_shows),
        (
            "late_returns",
            "Exemplaren te laat terug",
            "Units returned late",
            q.late_returns,
        ),
        (
            "late_days",
            "Dagen te laat (samen)",
            "Days late (added up)",
            q.late_days,
        ),
        (
            "missing_parts",
            "Teruggebracht met ontbrekende onderdelen",
            "Returned with parts missing",
            q.missing_parts,
        ),
        (
            "tickets",
            "Onderhoudstickets geopend",
            "Maintenance tickets opened",
            q.tickets,
        ),
        (
            "repaired",
            "Onderhoudstickets afgesloten",
            "Maintenance tickets closed",
            q.repaired,
        ),
        (
            "repair_hours_average",
            "Gemiddelde hersteltijd (uren)",
            "Average time to repair (hours)",
            average(q.repair_hours, q.repaired),
        ),
    ]
}

fn training_rows(t: &TrainingTally) -> Vec<(&'static str, &'static str, &'static str, i64)> {
    vec![
        ("sessions", "Sessies", "Sessions", t.sessions),
        ("seats", "Plaatsen", "Seats", t.seats),
        (
            "registered",
            "Inschrijvingen",
            "Registrations",
            t.registered,
        ),
        ("attended", "Aanwezig", "Attended", t.attended),
        (
            "qualified",
            "Leerkrachten gekwalificeerd",
            "Teachers qualified",
            t.qualified,
        ),
        (
            "trained",
            "Gevolgde opleidingen (leerkracht × opleiding)",
            "Trainings followed (teacher × training)",
            t.trained,
        ),
        (
            "borrowed_within_90",
            "Daarvan: school leende binnen 90 dagen",
            "Of those: school borrowed within 90 days",
            t.borrowed_within_90,
        ),
        (
            "borrowed_within_90_percent",
            "Aandeel dat binnen 90 dagen leende (%)",
            "Share that borrowed within 90 days (%)",
            utilisation_percent(t.borrowed_within_90, t.trained),
        ),
    ]
}

/// How many of the busiest weeks the report lists.
pub const BUSIEST_WEEKS: usize = 10;

/// Every table of the report, the period beside the previous one.
pub fn tables(now: &PeriodFigures, before: &PeriodFigures, lang: Lang) -> Vec<StatsTable> {
    vec![
        side_by_side(
            StatsTableId::Kits,
            LOAN_COLUMNS,
            tallies(&now.kits),
            tallies(&before.kits),
            false,
        ),
        side_by_side(
            StatsTableId::Partners,
            LOAN_COLUMNS,
            tallies(&now.partners),
            tallies(&before.partners),
            false,
        ),
        side_by_side(
            StatsTableId::Groups,
            LOAN_COLUMNS,
            now.by_group(lang),
            before.by_group(lang),
            true,
        ),
        side_by_side(
            StatsTableId::Municipalities,
            LOAN_COLUMNS,
            now.by_municipality(lang),
            before.by_municipality(lang),
            false,
        ),
        side_by_side(
            StatsTableId::Utilisation,
            [
                "utilisation_percent",
                "unit_days_out",
                "unit_days_in_service",
            ],
            uses(&now.uses),
            uses(&before.uses),
            false,
        ),
        busiest_weeks(now, before, BUSIEST_WEEKS),
        side_by_side(
            StatsTableId::Demand,
            ["waiting_list", "offers", "accepted"],
            demand(&now.demand),
            demand(&before.demand),
            false,
        ),
        measures(
            StatsTableId::Quality,
            quality_rows(&now.quality),
            quality_rows(&before.quality)
                .into_iter()
                .map(|r| r.3)
                .collect(),
            lang,
        ),
        measures(
            StatsTableId::Trainings,
            training_rows(&now.trainings),
            training_rows(&before.trainings)
                .into_iter()
                .map(|r| r.3)
                .collect(),
            lang,
        ),
    ]
}

/// The totals row: loans, unit-days, schools reached, against the previous period.
pub fn totals(now: &PeriodFigures, before: &PeriodFigures, lang: Lang) -> StatsRow {
    StatsRow {
        key: "total".into(),
        label: if lang == Lang::Nl { "Totaal" } else { "Total" }.into(),
        values: now.totals().to_vec(),
        previous: before.totals().to_vec(),
    }
}

/// A table as CSV: `key,label,<columns>,previous_<columns>`, one line per row; text cells
/// guarded against spreadsheet formulas.
pub fn csv(table: &StatsTable) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["key".to_owned(), "label".to_owned()];
    header.extend(table.columns.iter().cloned());
    header.extend(table.columns.iter().map(|c| format!("previous_{c}")));
    // Writing to a Vec cannot fail.
    let _ = w.write_record(&header);
    for row in &table.rows {
        let mut cells = vec![
            super::csv_table::guard(&row.key).into_owned(),
            super::csv_table::guard(&row.label).into_owned(),
        ];
        cells.extend(row.values.iter().map(i64::to_string));
        cells.extend(row.previous.iter().map(i64::to_string));
        let _ = w.write_record(&cells);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_school_year_runs_from_september_to_august() {
        let y = Period::school_year_of(d("2026-11-27"));
        assert_eq!((y.from(), y.to()), (d("2026-09-01"), d("2027-08-31")));
        let y = Period::school_year_of(d("2026-08-31"));
        assert_eq!((y.from(), y.to()), (d("2025-09-01"), d("2026-08-31")));
        let last = Period::last_school_year(d("2026-11-27"));
        assert_eq!((last.from(), last.to()), (d("2025-09-01"), d("2026-08-31")));
        let last = Period::last_school_year(d("2026-09-01"));
        assert_eq!(last.to(), d("2026-08-31"));
    }

    #[test]
    fn the_previous_period_has_the_same_length() {
        let y = Period::school_year_of(d("2024-01-10"));
        assert_eq!(y.days(), 366);
        let p = y.previous();
        assert_eq!((p.from(), p.to()), (d("2022-09-01"), d("2023-08-31")));
        let q = Period::new(d("2026-03-01"), d("2026-03-31")).unwrap();
        let p = q.previous();
        assert_eq!((p.from(), p.to()), (d("2026-01-29"), d("2026-02-28")));
        assert_eq!(p.days(), q.days());
    }

    #[test]
    fn a_period_is_parsed_with_every_mistake_named() {
        let today = d("2026-11-27");
        assert_eq!(
            Period::parse(None, Some(" "), today).unwrap(),
            Period::school_year_of(today)
        );
        let p = Period::parse(Some("2026-01-01"), None, today).unwrap();
        assert_eq!(p.to(), d("2026-08-31"));
        assert_eq!(
            Period::parse(Some("gisteren"), Some("2026-13-01"), today).unwrap_err(),
            vec![PeriodError::BadFrom, PeriodError::BadTo]
        );
        assert_eq!(
            Period::parse(Some("2026-02-01"), Some("2026-01-01"), today).unwrap_err(),
            vec![PeriodError::Reversed]
        );
        assert_eq!(
            Period::parse(Some("2000-01-01"), Some("2026-01-01"), today).unwrap_err(),
            vec![PeriodError::TooLong]
        );
    }

    #[test]
    fn schools_are_grouped_like_the_brochure() {
        assert_eq!(group_of("kleuter;lager"), TargetGroup::Bao);
        assert_eq!(group_of("so-1;so-2;so-3"), TargetGroup::So);
        assert_eq!(group_of("lager;so-1"), TargetGroup::BaoSo);
        assert_eq!(group_of("lager;buitengewoon"), TargetGroup::Buo);
        assert_eq!(group_of("volwassenen"), TargetGroup::Vwo);
        assert_eq!(group_of(""), TargetGroup::Other);
    }

    fn school(id: i64, levels: &str, town: &str, loans: i64) -> SchoolTally {
        SchoolTally {
            school: id,
            levels: levels.into(),
            municipality: town.into(),
            loans,
            unit_days: loans * 5,
        }
    }

    #[test]
    fn groups_and_municipalities_count_each_school_once() {
        let now = PeriodFigures {
            schools: vec![
                school(1, "lager", "Brugge", 3),
                school(2, "kleuter", "brugge", 1),
                school(3, "so-1", "Kortrijk", 2),
            ],
            ..Default::default()
        };
        let before = PeriodFigures {
            schools: vec![school(4, "volwassenen", "Ieper", 1)],
            ..Default::default()
        };
        let t = tables(&now, &before, Lang::Nl);
        let groups = &t[2];
        assert_eq!(
            groups
                .rows
                .iter()
                .map(|r| r.key.as_str())
                .collect::<Vec<_>>(),
            ["bao", "so", "vwo"]
        );
        assert_eq!(groups.rows[0].values, [4, 20, 2]);
        assert_eq!(groups.rows[2].values, [0, 0, 0]);
        assert_eq!(groups.rows[2].previous, [1, 5, 1]);
        let towns = &t[3];
        assert_eq!(towns.rows[0].label, "Brugge");
        assert_eq!(towns.rows[0].values, [4, 20, 2]);
        assert_eq!(totals(&now, &before, Lang::Nl).values, [6, 30, 3]);
    }

    #[test]
    fn weeks_are_iso_weeks_busiest_first() {
        let now = PeriodFigures {
            days: vec![
                (d("2026-01-05"), 2),
                (d("2026-01-09"), 3),
                (d("2026-01-12"), 4),
            ],
            ..Default::default()
        };
        let t = busiest_weeks(&now, &PeriodFigures::default(), 10);
        assert_eq!(t.rows[0].key, "2026-W02");
        assert_eq!(t.rows[0].values, [5]);
        assert_eq!(t.rows[1].values, [4]);
        assert_eq!(t.rows[0].label, "2026-W02 (2026-01-05)");
    }

    #[test]
    fn csv_has_a_header_and_guarded_cells() {
        let table = StatsTable {
            id: StatsTableId::Kits,
            columns: vec!["loans".into()],
            rows: vec![StatsRow {
                key: "k".into(),
                label: "=SUM(A1)".into(),
                values: vec![3],
                previous: vec![1],
            }],
        };
        assert_eq!(
            csv(&table),
            "key,label,loans,previous_loans\nk,'=SUM(A1),3,1\n"
        );
        assert_eq!(utilisation_percent(5, 0), 0);
        assert_eq!(average(5, 2), 3);
        assert_eq!(average(4, 0), 0);
        assert_eq!(utilisation_percent(1, 3), 33);
    }
}
