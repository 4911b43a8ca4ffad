//! "In cijfers": the report for managers, its CSV tables, and the cached public page.

mod months;

use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::stats::{self, loans, Period, PeriodError, PeriodFigures};
use crate::error::{AppError, Result};
use leenpunt_shared::stats::{PublicStats, StatsReport, StatsTableId};
use leenpunt_shared::{FieldError, Lang, PartnerId, Role};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Whose figures the asker may see: `None` for all partner services (admins), else the
/// partner services they manage. Refuses everyone else.
pub fn scope(actor: &Actor) -> Result<Option<Vec<PartnerId>>> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    if allows(actor, Action::ViewFiguresOf(None)) {
        return Ok(None);
    }
    let mut partners: Vec<PartnerId> = actor
        .grants
        .iter()
        .filter(|g| g.role == Role::PartnerAdmin)
        .filter_map(|g| g.partner)
        .filter(|p| allows(actor, Action::ViewFiguresOf(Some(*p))))
        .collect();
    partners.sort_by_key(|p| p.0);
    partners.dedup();
    if partners.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Some(partners))
}

fn period_errors(errors: Vec<PeriodError>, lang: Lang) -> AppError {
    AppError::Validation(
        errors
            .into_iter()
            .map(|e| FieldError::new(e.field(), e.message(lang)))
            .collect(),
    )
}

/// What the figures keep between requests: each month's loan rows, and the public page.
#[derive(Clone, Default)]
pub struct StatsCache {
    months: months::MonthRows,
    public: Arc<Mutex<HashMap<(Period, Lang), Versioned>>>,
}

/// The figures of `periods` for some partner services (`None`: all), in order.
pub async fn figures(
    db: &Db,
    cache: &StatsCache,
    periods: &[Period],
    partners: Option<&[PartnerId]>,
) -> Result<Vec<PeriodFigures>> {
    let rows = cache.months.rows(db, periods).await?;
    let names = db.stats_names().await?;
    let mut out = Vec::with_capacity(periods.len());
    for period in periods {
        let mine = loans::months(*period);
        let loans = loans::fold(
            mine.iter()
                .filter_map(|m| rows.get(m))
                .flat_map(|r| r.iter()),
            *period,
            &names,
            partners,
        );
        let measures = db.period_measures(*period, partners).await?;
        out.push(PeriodFigures::new(loans, measures));
    }
    Ok(out)
}

/// The figures of a period and of the one before it.
async fn now_and_before(
    db: &Db,
    cache: &StatsCache,
    period: Period,
    partners: Option<&[PartnerId]>,
) -> Result<(PeriodFigures, PeriodFigures)> {
    let mut both = figures(db, cache, &[period, period.previous()], partners).await?;
    let before = both.pop().unwrap_or_default();
    let now = both.pop().unwrap_or_default();
    Ok((now, before))
}

/// The report of a period (`from`/`to` as typed; none: this school year) with the previous
/// period beside it.
pub async fn report(
    db: &Db,
    clock: &dyn Clock,
    cache: &StatsCache,
    actor: &Actor,
    lang: Lang,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<StatsReport> {
    let partners = scope(actor)?;
    let period = Period::parse(from, to, today(clock)).map_err(|e| period_errors(e, lang))?;
    let previous = period.previous();
    let (now, before) = now_and_before(db, cache, period, partners.as_deref()).await?;
    let names = match &partners {
        None => Vec::new(),
        Some(ids) => db.partner_names(ids).await?,
    };
    Ok(StatsReport {
        from: period.from().to_string(),
        to: period.to().to_string(),
        previous_from: previous.from().to_string(),
        previous_to: previous.to().to_string(),
        partners: names,
        totals: stats::totals(&now, &before, lang),
        tables: stats::tables(&now, &before, lang),
    })
}

/// One table of the report as CSV, with its file name (`cijfers-kits-2025-09-01-2026-08-31.csv`);
/// `(from, to)` as typed.
pub async fn table_csv(
    db: &Db,
    clock: &dyn Clock,
    cache: &StatsCache,
    actor: &Actor,
    lang: Lang,
    table: &str,
    (from, to): (Option<&str>, Option<&str>),
) -> Result<(String, String)> {
    let Some(id) = StatsTableId::parse(table) else {
        // Before any work, but after the asker was checked.
        scope(actor)?;
        let known: Vec<&str> = StatsTableId::ALL.iter().map(|t| t.code()).collect();
        return Err(AppError::Validation(vec![FieldError::new(
            "table",
            if lang == Lang::Nl {
                format!("Kies een van deze tabellen: {}.", known.join(", "))
            } else {
                format!("Choose one of these tables: {}.", known.join(", "))
            },
        )]));
    };
    let report = report(db, clock, cache, actor, lang, from, to).await?;
    let table = report
        .table(id)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("table {} missing", id.code())))?;
    Ok((
        format!("cijfers-{}-{}-{}.csv", id.code(), report.from, report.to),
        stats::csv(table),
    ))
}

/// Figures with the data version they were made from.
type Versioned = (i64, PublicStats);

/// The anonymous figures of the last completed school year (`/in-cijfers`): totals, per
/// target group and per partner service; no school or person is named. Kept per (period,
/// language) with the data version they were made from: a change to any reservation,
/// school or partner service makes them stale.
pub async fn public(
    db: &Db,
    clock: &dyn Clock,
    cache: &StatsCache,
    lang: Lang,
) -> Result<PublicStats> {
    let period = Period::last_school_year(today(clock));
    let version = db.stats_version().await?;
    if let Some((v, figures)) = cache.public.lock().map_err(poisoned)?.get(&(period, lang)) {
        if *v == version {
            return Ok(figures.clone());
        }
    }
    let (now, before) = now_and_before(db, cache, period, None).await?;
    let tables = stats::tables(&now, &before, lang)
        .into_iter()
        .filter(|t| matches!(t.id, StatsTableId::Groups | StatsTableId::Partners))
        .collect();
    let figures = PublicStats {
        from: period.from().to_string(),
        to: period.to().to_string(),
        totals: stats::totals(&now, &before, lang),
        tables,
    };
    cache
        .public
        .lock()
        .map_err(poisoned)?
        .insert((period, lang), (version, figures.clone()));
    Ok(figures)
}

fn poisoned<T>(_: T) -> AppError {
    AppError::Internal(anyhow::anyhow!("the figures cache lock was poisoned"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::policy::RoleGrant;
    use leenpunt_shared::{SchoolId, UserId};

    fn actor(grants: &[(Role, Option<SchoolId>, Option<PartnerId>)]) -> Actor {
        Actor {
            user: Some(UserId(1)),
            grants: grants
                .iter()
                .map(|(role, school, partner)| RoleGrant {
                    role: *role,
                    school: *school,
                    partner: *partner,
                })
                .collect(),
        }
    }

    #[test]
    fn admins_see_all_partner_admins_their_own_and_nobody_else_anything() {
        assert!(matches!(
            scope(&Actor::anonymous()),
            Err(AppError::Unauthorized)
        ));
        for refused in [
            actor(&[(Role::Teacher, Some(SchoolId(1)), None)]),
            actor(&[(Role::Ambassador, None, Some(PartnerId(1)))]),
            actor(&[(Role::Trainer, None, Some(PartnerId(1)))]),
        ] {
            assert!(matches!(scope(&refused), Err(AppError::Forbidden)));
        }
        let own = actor(&[
            (Role::PartnerAdmin, None, Some(PartnerId(2))),
            (Role::Ambassador, None, Some(PartnerId(1))),
        ]);
        assert_eq!(scope(&own).unwrap(), Some(vec![PartnerId(2)]));
        assert_eq!(scope(&actor(&[(Role::Admin, None, None)])).unwrap(), None);
    }
}
