//! "In cijfers": the service's figures for a period, as tables (each also a chart and a CSV).

use serde::{Deserialize, Serialize};

/// The brochure's target groups, a school counted in exactly one of them (decided from the
/// levels it teaches).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetGroup {
    /// Basisonderwijs (kleuter, lager).
    Bao,
    /// A school with both basis- and secundair onderwijs.
    BaoSo,
    /// Secundair onderwijs.
    So,
    /// Buitengewoon basis- en secundair onderwijs (BuBaO, BuSO).
    Buo,
    /// Volwassenenonderwijs.
    Vwo,
    /// No level known.
    Other,
}

impl TargetGroup {
    pub const ALL: [TargetGroup; 6] = [
        TargetGroup::Bao,
        TargetGroup::BaoSo,
        TargetGroup::So,
        TargetGroup::Buo,
        TargetGroup::Vwo,
        TargetGroup::Other,
    ];

    /// The wire code (`bao`, `bao-so`, …), also the CSV key.
    pub fn code(self) -> &'static str {
        match self {
            TargetGroup::Bao => "bao",
            TargetGroup::BaoSo => "bao-so",
            TargetGroup::So => "so",
            TargetGroup::Buo => "buo",
            TargetGroup::Vwo => "vwo",
            TargetGroup::Other => "andere",
        }
    }

    /// The brochure's abbreviation and its meaning.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        let nl = lang == crate::Lang::Nl;
        match self {
            TargetGroup::Bao if nl => "BaO (basisonderwijs)",
            TargetGroup::Bao => "BaO (primary education)",
            TargetGroup::BaoSo if nl => "BaO en SO (basis- en secundair onderwijs)",
            TargetGroup::BaoSo => "BaO and SO (primary and secondary)",
            TargetGroup::So if nl => "SO (secundair onderwijs)",
            TargetGroup::So => "SO (secondary education)",
            TargetGroup::Buo if nl => "BuBaO en BuSO (buitengewoon onderwijs)",
            TargetGroup::Buo => "BuBaO and BuSO (special needs education)",
            TargetGroup::Vwo if nl => "VWO (volwassenenonderwijs)",
            TargetGroup::Vwo => "VWO (adult education)",
            TargetGroup::Other if nl => "Niveau onbekend",
            TargetGroup::Other => "Level unknown",
        }
    }
}

/// Which table of the report (also the CSV's name and the chart's).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatsTableId {
    /// Per kit type: loans, unit-days, schools reached.
    Kits,
    /// Per partner service.
    Partners,
    /// Per target group (BaO, SO, …).
    Groups,
    /// Per municipality of the school.
    Municipalities,
    /// Per kit type: unit-days out against unit-days in service.
    Utilisation,
    /// Per week: loans picked up that week (the busiest first).
    Weeks,
    /// Per kit type: requests refused for lack of units, waiting-list offers, accepted.
    Demand,
    /// Measures of quality: no-shows, late returns, missing parts, maintenance and repair.
    Quality,
    /// Measures of the trainings: sessions, seats, attendance, qualifications, and the
    /// share of trained teachers whose school borrowed within 90 days.
    Trainings,
}

impl StatsTableId {
    pub const ALL: [StatsTableId; 9] = [
        StatsTableId::Kits,
        StatsTableId::Partners,
        StatsTableId::Groups,
        StatsTableId::Municipalities,
        StatsTableId::Utilisation,
        StatsTableId::Weeks,
        StatsTableId::Demand,
        StatsTableId::Quality,
        StatsTableId::Trainings,
    ];

    /// The code in URLs and file names (`kits`, `partners`, …).
    pub fn code(self) -> &'static str {
        match self {
            StatsTableId::Kits => "kits",
            StatsTableId::Partners => "partners",
            StatsTableId::Groups => "groups",
            StatsTableId::Municipalities => "municipalities",
            StatsTableId::Utilisation => "utilisation",
            StatsTableId::Weeks => "weeks",
            StatsTableId::Demand => "demand",
            StatsTableId::Quality => "quality",
            StatsTableId::Trainings => "trainings",
        }
    }

    pub fn parse(code: &str) -> Option<StatsTableId> {
        StatsTableId::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// One line of a table: a thing (kit type, group, week …) and its figures, in the order of
/// the table's `columns`, for the period and for the previous one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsRow {
    /// A stable key (a slug, a group code, a week `2026-W05`).
    pub key: String,
    /// What people read.
    pub label: String,
    pub values: Vec<i64>,
    pub previous: Vec<i64>,
}

/// A table of the report.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsTable {
    pub id: StatsTableId,
    /// Column codes (`loans`, `unit_days`, `schools`, …), as in the CSV header.
    pub columns: Vec<String>,
    pub rows: Vec<StatsRow>,
}

/// The report for a period (`/beheer/cijfers`, `GET /api/v1/stats`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsReport {
    /// First and last day of the period (`YYYY-MM-DD`, both included).
    pub from: String,
    pub to: String,
    /// The previous period of equal length (the previous school year for a school year).
    pub previous_from: String,
    pub previous_to: String,
    /// The partner services the figures cover; empty: all of them.
    pub partners: Vec<String>,
    /// Totals over everything in scope: loans, unit-days, schools reached.
    pub totals: StatsRow,
    pub tables: Vec<StatsTable>,
}

impl StatsReport {
    pub fn table(&self, id: StatsTableId) -> Option<&StatsTable> {
        self.tables.iter().find(|t| t.id == id)
    }
}

/// The public page (`/in-cijfers`): anonymous figures of the last completed school year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicStats {
    pub from: String,
    pub to: String,
    /// Loans, unit-days, schools reached.
    pub totals: StatsRow,
    /// Per target group and per partner service (no school or person names).
    pub tables: Vec<StatsTable>,
}
