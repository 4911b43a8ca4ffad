//! The loan rows of each calendar month, kept in memory with the month's version from
//! `stats_months`. A report reads the versions of the months it covers (one small query),
//! takes the months whose version it already holds from memory and reads only the others
//! from the reservations. A booking, hand-over or return raises the version of the month
//! it touches in its own transaction, so a kept month is never stale; several server
//! instances each keep their own months and all check the same versions.

use crate::db::Db;
use crate::domain::stats::loans::{month_days, months, LoanRow};
use crate::domain::stats::Period;
use crate::error::{AppError, Result};
use chrono::Datelike;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// At most this many loan rows are kept (about 32 bytes each); the months used longest
/// ago go first.
const MAX_ROWS: usize = 2_000_000;

/// Loan rows per month (`YYYY-MM`).
#[derive(Clone, Default)]
pub struct MonthRows(Arc<Mutex<Kept>>);

#[derive(Default)]
struct Kept {
    months: HashMap<String, Month>,
    rows: usize,
    tick: u64,
}

struct Month {
    version: i64,
    rows: Arc<Vec<LoanRow>>,
    used: u64,
}

impl MonthRows {
    /// The loan rows of every month the periods touch, by month (rows outside the periods
    /// included: folding filters by day).
    pub async fn rows(
        &self,
        db: &Db,
        periods: &[Period],
    ) -> Result<HashMap<String, Arc<Vec<LoanRow>>>> {
        let mut wanted: Vec<String> = periods.iter().flat_map(|p| months(*p)).collect();
        wanted.sort();
        wanted.dedup();
        let (Some(first), Some(last)) = (wanted.first(), wanted.last()) else {
            return Ok(HashMap::new());
        };
        let versions: HashMap<String, i64> = db
            .loan_month_versions(first, last)
            .await?
            .into_iter()
            .collect();
        let version = |m: &str| versions.get(m).copied().unwrap_or(0);

        let mut out: HashMap<String, Arc<Vec<LoanRow>>> = HashMap::new();
        let mut stale = Vec::new();
        {
            let mut kept = self.0.lock().map_err(poisoned)?;
            kept.tick += 1;
            let tick = kept.tick;
            for m in &wanted {
                match kept.months.get_mut(m) {
                    Some(k) if k.version == version(m) => {
                        k.used = tick;
                        out.insert(m.clone(), k.rows.clone());
                    }
                    _ if version(m) == 0 => {
                        // No reservation was ever made for this month.
                        out.insert(m.clone(), Arc::new(Vec::new()));
                    }
                    _ => stale.push(m.clone()),
                }
            }
        }

        // Read the stale months, neighbours in one query.
        for run in runs(&stale) {
            let (Some((from, _)), Some((_, to))) = (
                run.first().and_then(|m| month_days(m)),
                run.last().and_then(|m| month_days(m)),
            ) else {
                continue;
            };
            let mut by_month: HashMap<String, Vec<LoanRow>> =
                run.iter().map(|m| (m.clone(), Vec::new())).collect();
            for row in db.loan_rows(from, to).await? {
                let key = format!("{:04}-{:02}", row.day.year(), row.day.month());
                by_month.entry(key).or_default().push(row);
            }
            let mut kept = self.0.lock().map_err(poisoned)?;
            let tick = kept.tick;
            for (m, rows) in by_month {
                let rows = Arc::new(rows);
                kept.put(m.clone(), version(&m), rows.clone(), tick);
                out.insert(m, rows);
            }
        }
        Ok(out)
    }
}

impl Kept {
    /// Keeps a month's rows unless a newer version is already kept, then drops the months
    /// used longest ago while over the bound.
    fn put(&mut self, month: String, version: i64, rows: Arc<Vec<LoanRow>>, tick: u64) {
        if self.months.get(&month).is_some_and(|k| k.version > version) {
            return;
        }
        self.rows += rows.len();
        if let Some(old) = self.months.insert(
            month,
            Month {
                version,
                rows,
                used: tick,
            },
        ) {
            self.rows -= old.rows.len();
        }
        while self.rows > MAX_ROWS && self.months.len() > 1 {
            let Some(oldest) = self
                .months
                .iter()
                .min_by_key(|(_, k)| k.used)
                .map(|(m, _)| m.clone())
            else {
                break;
            };
            if let Some(old) = self.months.remove(&oldest) {
                self.rows -= old.rows.len();
            }
        }
    }
}

/// Consecutive months grouped (`2025-12`, `2026-01` are neighbours).
fn runs(months: &[String]) -> Vec<Vec<String>> {
    let next = |m: &str| {
        month_days(m)
            .and_then(|(_, last)| last.succ_opt())
            .map(|d| format!("{:04}-{:02}", d.year(), d.month()))
    };
    let mut out: Vec<Vec<String>> = Vec::new();
    for m in months {
        match out.last_mut() {
            Some(run) if run.last().and_then(|l| next(l)).as_deref() == Some(m) => {
                run.push(m.clone())
            }
            _ => out.push(vec![m.clone()]),
        }
    }
    out
}

fn poisoned<T>(_: T) -> AppError {
    AppError::Internal(anyhow::anyhow!("the loan months lock was poisoned"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_months_are_read_together() {
        let m = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            runs(&m(&["2025-11", "2025-12", "2026-01", "2026-03"])),
            vec![m(&["2025-11", "2025-12", "2026-01"]), m(&["2026-03"])]
        );
        assert!(runs(&[]).is_empty());
    }

    #[test]
    fn the_rows_kept_stay_under_the_bound_and_newer_versions_win() {
        let row = LoanRow {
            day: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            kit: 1,
            school: 1,
            unit_days: 1,
        };
        let mut kept = Kept::default();
        kept.put("2026-01".into(), 2, Arc::new(vec![row; 3]), 1);
        kept.put("2026-01".into(), 1, Arc::new(vec![row; 5]), 2);
        assert_eq!(kept.months["2026-01"].version, 2);
        assert_eq!(kept.rows, 3);
        kept.put("2026-02".into(), 1, Arc::new(vec![row; MAX_ROWS]), 3);
        // Over the bound: the month used longest ago went.
        assert!(!kept.months.contains_key("2026-01"));
        assert_eq!(kept.rows, MAX_ROWS);
    }
}
