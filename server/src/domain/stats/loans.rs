//! Loans folded into the report's tallies. The database hands over one narrow row per loan
//! (kept per calendar month by `service::stats`, so a year's report does not read a year of
//! reservations again); this decides what they add up to for a period and a partner scope.

use super::{Period, SchoolTally, Tally};
use chrono::NaiveDate;
use leenpunt_shared::PartnerId;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One loan (a reservation picked up): its pickup day, kit type, school and unit-days
/// (quantity × days from pickup through return day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoanRow {
    pub day: NaiveDate,
    pub kit: i64,
    pub school: i64,
    pub unit_days: i64,
}

/// A kit type as the tallies name it, with the partner service that owns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitRef {
    pub slug: String,
    pub title: String,
    pub partner: i64,
}

/// A partner service as the tallies name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerRef {
    pub slug: String,
    pub name: String,
}

/// What groups a school: its levels and municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolRef {
    pub levels: String,
    pub municipality: String,
}

/// The names the tallies need, by id.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub kits: HashMap<i64, KitRef>,
    pub partners: HashMap<i64, PartnerRef>,
    pub schools: HashMap<i64, SchoolRef>,
}

/// The loan tallies of a period: per kit type, per partner service, per school and per day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoanFigures {
    pub kits: Vec<Tally>,
    pub partners: Vec<Tally>,
    pub schools: Vec<SchoolTally>,
    pub days: Vec<(NaiveDate, i64)>,
}

#[derive(Default)]
struct Sum {
    loans: i64,
    unit_days: i64,
    schools: i64,
}

/// Folds the loans of `rows` whose pickup day lies in `period` and whose kit type belongs
/// to one of `scope`'s partner services (`None`: all). Rows of kit types or schools that
/// `names` does not know are left out, as the database's joins would. Every list comes
/// sorted by id (days by date).
pub fn fold<'a>(
    rows: impl IntoIterator<Item = &'a LoanRow>,
    period: Period,
    names: &Names,
    scope: Option<&[PartnerId]>,
) -> LoanFigures {
    let mut kits: HashMap<i64, Sum> = HashMap::new();
    let mut partners: HashMap<i64, Sum> = HashMap::new();
    let mut schools: HashMap<i64, Sum> = HashMap::new();
    let mut days: HashMap<NaiveDate, i64> = HashMap::new();
    let mut kit_schools: HashSet<(i64, i64)> = HashSet::new();
    let mut partner_schools: HashSet<(i64, i64)> = HashSet::new();
    for row in rows {
        if !period.contains(row.day) {
            continue;
        }
        let Some(kit) = names.kits.get(&row.kit) else {
            continue;
        };
        if scope.is_some_and(|s| !s.iter().any(|p| p.0 == kit.partner))
            || !names.schools.contains_key(&row.school)
        {
            continue;
        }
        let add = |sum: &mut Sum, first: bool| {
            sum.loans += 1;
            sum.unit_days += row.unit_days;
            sum.schools += i64::from(first);
        };
        add(
            kits.entry(row.kit).or_default(),
            kit_schools.insert((row.kit, row.school)),
        );
        add(
            partners.entry(kit.partner).or_default(),
            partner_schools.insert((kit.partner, row.school)),
        );
        add(schools.entry(row.school).or_default(), false);
        *days.entry(row.day).or_default() += 1;
    }
    let tally = |key: &str, label: &str, s: Sum| Tally {
        key: key.to_owned(),
        label: label.to_owned(),
        loans: s.loans,
        unit_days: s.unit_days,
        schools: s.schools,
    };
    let kits: BTreeMap<i64, Sum> = kits.into_iter().collect();
    let partners: BTreeMap<i64, Sum> = partners.into_iter().collect();
    let schools: BTreeMap<i64, Sum> = schools.into_iter().collect();
    let days: BTreeMap<NaiveDate, i64> = days.into_iter().collect();
    LoanFigures {
        kits: kits
            .into_iter()
            .filter_map(|(id, s)| names.kits.get(&id).map(|k| tally(&k.slug, &k.title, s)))
            .collect(),
        partners: partners
            .into_iter()
            .filter_map(|(id, s)| names.partners.get(&id).map(|p| tally(&p.slug, &p.name, s)))
            .collect(),
        schools: schools
            .into_iter()
            .filter_map(|(id, s)| {
                names.schools.get(&id).map(|r| SchoolTally {
                    school: id,
                    levels: r.levels.clone(),
                    municipality: r.municipality.clone(),
                    loans: s.loans,
                    unit_days: s.unit_days,
                })
            })
            .collect(),
        days: days.into_iter().collect(),
    }
}

/// The calendar months (`YYYY-MM`) a period touches, in order.
pub fn months(period: Period) -> Vec<String> {
    use chrono::Datelike;
    let (mut y, mut m) = (period.from().year(), period.from().month());
    let (ty, tm) = (period.to().year(), period.to().month());
    let mut out = Vec::new();
    while (y, m) <= (ty, tm) {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// The first and last day of a month key (`YYYY-MM`), if it is one.
pub fn month_days(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((first, next.pred_opt()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn names() -> Names {
        let mut n = Names::default();
        for (id, partner) in [(1, 1), (2, 1), (3, 2)] {
            n.kits.insert(
                id,
                KitRef {
                    slug: format!("k{id}"),
                    title: format!("Kit {id}"),
                    partner,
                },
            );
        }
        for id in 1..=2 {
            n.partners.insert(
                id,
                PartnerRef {
                    slug: format!("p{id}"),
                    name: format!("P{id}"),
                },
            );
        }
        for id in 1..=3 {
            n.schools.insert(
                id,
                SchoolRef {
                    levels: "lager".into(),
                    municipality: "Brugge".into(),
                },
            );
        }
        n
    }

    fn row(day: &str, kit: i64, school: i64, unit_days: i64) -> LoanRow {
        LoanRow {
            day: d(day),
            kit,
            school,
            unit_days,
        }
    }

    #[test]
    fn schools_are_counted_once_per_kit_type_and_per_partner_service() {
        let rows = [
            row("2026-01-05", 1, 1, 3),
            row("2026-01-06", 2, 1, 2),
            row("2026-01-07", 1, 1, 1),
            row("2026-01-07", 3, 2, 4),
            // Outside the period, of an unknown kit type, of an unknown school.
            row("2026-02-01", 1, 3, 9),
            row("2026-01-08", 9, 3, 9),
            row("2026-01-08", 1, 9, 9),
        ];
        let period = Period::new(d("2026-01-01"), d("2026-01-31")).unwrap();
        let f = fold(&rows, period, &names(), None);
        let kits: Vec<_> = f
            .kits
            .iter()
            .map(|t| (t.key.as_str(), t.loans, t.unit_days, t.schools))
            .collect();
        assert_eq!(kits, [("k1", 2, 4, 1), ("k2", 1, 2, 1), ("k3", 1, 4, 1)]);
        let partners: Vec<_> = f
            .partners
            .iter()
            .map(|t| (t.key.as_str(), t.loans, t.unit_days, t.schools))
            .collect();
        assert_eq!(partners, [("p1", 3, 6, 1), ("p2", 1, 4, 1)]);
        let schools: Vec<_> = f
            .schools
            .iter()
            .map(|s| (s.school, s.loans, s.unit_days))
            .collect();
        assert_eq!(schools, [(1, 3, 6), (2, 1, 4)]);
        assert_eq!(
            f.days,
            [
                (d("2026-01-05"), 1),
                (d("2026-01-06"), 1),
                (d("2026-01-07"), 2)
            ]
        );

        let own = fold(&rows, period, &names(), Some(&[PartnerId(2)]));
        assert_eq!(own.kits.len(), 1);
        assert_eq!(own.partners[0].key, "p2");
        assert_eq!(own.schools.len(), 1);
        assert_eq!(own.schools[0].school, 2);
    }

    #[test]
    fn a_period_touches_whole_calendar_months() {
        let p = Period::new(d("2025-11-30"), d("2026-02-01")).unwrap();
        assert_eq!(months(p), ["2025-11", "2025-12", "2026-01", "2026-02"]);
        let one = Period::new(d("2026-03-04"), d("2026-03-04")).unwrap();
        assert_eq!(months(one), ["2026-03"]);
        assert_eq!(
            month_days("2024-02"),
            Some((d("2024-02-01"), d("2024-02-29")))
        );
        assert_eq!(
            month_days("2025-12"),
            Some((d("2025-12-01"), d("2025-12-31")))
        );
        assert_eq!(month_days("2025-13"), None);
        assert_eq!(month_days("x"), None);
    }
}
