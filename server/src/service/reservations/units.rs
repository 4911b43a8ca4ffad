//! Units change status (maintenance, retired, back in service): the kit type's future
//! reservations are checked again and flagged at risk or cleared.

use super::booking::offer_freed;
use super::booking::tell;
use crate::db::reservations as store;
use crate::db::Db;
use crate::domain::clock::{today, Clock};
use crate::domain::mail::ReservationNews;
use crate::domain::policy::{allows, Action, Actor};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::Duration;
use leenpunt_shared::*;

/// Re-checks a kit type's future reservations after its units changed: the ones that no
/// longer fit are flagged (and their borrowers told), the ones that fit again unflagged.
pub async fn recheck_kit(
    conn: &mut crate::db::Conn,
    clock: &dyn Clock,
    public_url: &str,
    slug: &str,
) -> Result<Vec<ReservationId>> {
    let today = today(clock);
    let now = clock.now().to_rfc3339();
    let Some(kit) = store::bookable_kit(conn, slug).await? else {
        return Ok(Vec::new());
    };
    let mut holds = store::holds(conn, kit.id, today, today + Duration::days(3 * 366)).await?;
    // Units still out past their return day are not there for the next loans either
    // (counted once: as missing units, not also as their loan's hold).
    let (overdue, late_loans) = crate::db::handover::overdue_units(conn, kit.id, today).await?;
    holds.retain(|h| !late_loans.contains(&h.id));
    let available = kit.in_service.saturating_sub(overdue);
    let risky = crate::domain::reservations::at_risk(&holds, available, today);
    let newly = store::flag_at_risk(conn, kit.id, &risky, &now).await?;
    for id in &newly {
        if let Some(record) = store::record_by_id(conn, *id).await? {
            tell(conn, &record, ReservationNews::AtRisk, public_url, &now).await?;
        }
    }
    Ok(newly)
}

/// What changing a unit's status did to the reservations of its kit type.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct UnitStatusOutcome {
    /// Reservations newly flagged at risk (their borrowers are mailed).
    pub flagged: Vec<ReservationId>,
    /// Offers made to the waiting list with units that came back.
    pub offered: Vec<ReservationId>,
}

/// Moves a unit into maintenance, back into service, or out (retired); future
/// reservations that no longer fit are flagged to staff and borrowers, and units that come
/// back go to the waiting list. One transaction.
pub async fn set_unit_status(
    db: &Db,
    clock: &dyn Clock,
    public_url: &str,
    actor: &Actor,
    lang: Lang,
    code: &str,
    status: UnitStatus,
) -> Result<UnitStatusOutcome> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let code = InventoryCode::parse(code).map_err(|_| AppError::NotFound)?;
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    let unit = crate::db::catalogue::unit_by_code(&mut tx, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::ManageCatalogueOf(unit.partner))
        && !allows(actor, Action::HandleReservationsOf(unit.partner))
    {
        return Err(AppError::Forbidden);
    }
    if unit.status == UnitStatus::Retired && status != UnitStatus::Retired {
        return Err(AppError::refused(
            "unit-retired",
            Text::UnitRetired.get(lang),
            Text::RetiredStaysRetired.get(lang),
        ));
    }
    crate::db::catalogue::set_unit_status(&mut tx, code.as_str(), status).await?;
    crate::db::accounts::audit(
        &mut tx,
        Some(user),
        "unit.status",
        &format!("unit:{}", code.as_str()),
        &format!("{} -> {}", unit.status.code(), status.code()),
        &now,
    )
    .await?;
    let flagged = recheck_kit(&mut tx, clock, public_url, &unit.kit_slug).await?;
    let offered = if status == UnitStatus::InService && unit.status != UnitStatus::InService {
        offer_freed(&mut tx, clock, public_url, &unit.kit_slug).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    Ok(UnitStatusOutcome { flagged, offered })
}
