//! Closed days: who may close which pickup points, listing and changing them.

use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::reservations::ClosedPeriod;
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::{Duration, NaiveDate};
use leenpunt_shared::reservations::{ClosedDay, ClosedDaysScreen, NewClosedDay};
use leenpunt_shared::{FieldError, Lang, PartnerId, Role};

fn may_manage(actor: &Actor, partner: Option<PartnerId>) -> bool {
    allows(actor, Action::ManageClosedDays(partner))
}

/// Upcoming closures (from today, a year ahead), marked removable for who may.
pub async fn upcoming(db: &Db, clock: &dyn Clock, actor: &Actor) -> Result<Vec<ClosedDay>> {
    let from = today(clock);
    let rows = db
        .closed_periods_between(from, from + Duration::days(366))
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| ClosedDay {
            id: r.id,
            removable: may_manage(actor, r.partner),
            pickup_point: r.pickup_point,
            pickup_point_name: r.pickup_point_name,
            first_day: r.period.first.to_string(),
            last_day: r.period.last.to_string(),
            reason: r.period.reason,
        })
        .collect())
}

/// The screen: the list, and the pickup points this person may close.
pub async fn screen(db: &Db, clock: &dyn Clock, actor: &Actor) -> Result<ClosedDaysScreen> {
    let manages = actor.is_admin() || actor.grants.iter().any(|g| g.role == Role::PartnerAdmin);
    if !manages {
        return Err(if actor.user.is_none() {
            AppError::Unauthorized
        } else {
            AppError::Forbidden
        });
    }
    let points = db.pickup_points_brief().await?;
    Ok(ClosedDaysScreen {
        days: upcoming(db, clock, actor).await?,
        points: points
            .into_iter()
            .filter(|p| may_manage(actor, Some(p.partner)))
            .map(|p| (p.slug, p.name))
            .collect(),
        can_close_all: may_manage(actor, None),
    })
}

/// Closes a pickup point (or all of them) for a day or a period.
pub async fn add(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    body: &NewClosedDay,
) -> Result<ClosedDay> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let mut errors = Vec::new();
    let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let first = day(&body.first_day);
    if first.is_none() {
        errors.push(FieldError::new(
            "first_day",
            Text::ChooseValidDate.get(lang).as_str(),
        ));
    }
    let last = match body
        .last_day
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => first,
        Some(s) => {
            let d = day(s);
            if d.is_none() {
                errors.push(FieldError::new(
                    "last_day",
                    Text::ChooseValidDate.get(lang).as_str(),
                ));
            }
            d
        }
    };
    if let (Some(f), Some(l)) = (first, last) {
        if l < f {
            errors.push(FieldError::new(
                "last_day",
                Text::LastDayBeforeFirst.get(lang).as_str(),
            ));
        }
    }
    let reason = body.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        errors.push(FieldError::new(
            "reason",
            Text::ClosedReasonNeeded.get(lang).as_str(),
        ));
    }
    let point = match body
        .pickup_point
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(slug) => match db.pickup_point_by_slug(slug).await? {
            Some(found) => Some(found),
            None => {
                errors.push(FieldError::new(
                    "pickup_point",
                    Text::UnknownPickupPoint.get(lang).as_str(),
                ));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let partner = point.map(|(_, partner)| partner);
    if !may_manage(actor, partner) {
        return Err(AppError::Forbidden);
    }
    let (Some(first), Some(last)) = (first, last) else {
        return Err(AppError::Validation(Vec::new()));
    };
    let period = ClosedPeriod {
        first,
        last,
        reason: reason.to_owned(),
    };
    let mut tx = db.begin().await?;
    let id =
        crate::db::reservations::insert_closed_period(&mut tx, point.map(|(id, _)| id), &period)
            .await?
            .0;
    crate::db::accounts::audit(
        &mut tx,
        Some(user),
        "closed_days.add",
        &format!("closed_period:{id}"),
        &format!(
            "{} {first}..{last} {reason}",
            body.pickup_point.as_deref().unwrap_or("*")
        ),
        &clock.now().to_rfc3339(),
    )
    .await?;
    tx.commit().await?;
    Ok(ClosedDay {
        id,
        pickup_point: body.pickup_point.clone().filter(|s| !s.trim().is_empty()),
        pickup_point_name: None,
        first_day: first.to_string(),
        last_day: last.to_string(),
        reason: reason.to_owned(),
        removable: true,
    })
}

/// Reopens: removes a closed period.
pub async fn remove(db: &Db, clock: &dyn Clock, actor: &Actor, id: i64) -> Result<()> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let scope = db
        .closed_period_scope(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_manage(actor, scope) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    crate::db::reservations::delete_closed_period(&mut tx, id).await?;
    crate::db::accounts::audit(
        &mut tx,
        Some(user),
        "closed_days.remove",
        &format!("closed_period:{id}"),
        "",
        &clock.now().to_rfc3339(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
