//! Scanning a label at the desk: what a code is, and where it leads.

use super::*;

/// Where `/s/<code>` leads someone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanTarget {
    /// Desk staff of the unit's partner: the unit's page with its actions.
    Desk(UnitId),
    /// Everyone else: the public page of the kit (no private data).
    Kit { slug: String, replaced: bool },
}

/// What a scanned label opens for whoever is asking.
pub async fn scan_target(db: &Db, actor: &Actor, code: &str) -> Result<ScanTarget> {
    let code = parse_code(code, Lang::Nl).map_err(|_| AppError::NotFound)?;
    let mut conn = db.read().await?;
    let (unit, replaced) = unit_of(&mut conn, &code, Lang::Nl)
        .await
        .map_err(|_| AppError::NotFound)?;
    Ok(
        if allows(actor, Action::HandleReservationsOf(unit.partner)) && !replaced {
            ScanTarget::Desk(unit.info.id)
        } else {
            ScanTarget::Kit {
                slug: unit.info.kit_slug,
                replaced,
            }
        },
    )
}

/// A scanned code, for desk staff of the unit's partner.
pub async fn scan(db: &Db, actor: &Actor, lang: Lang, code: &str) -> Result<ScanResult> {
    let code = parse_code(code, lang)?;
    let mut conn = db.read().await?;
    let (unit, replaced) = unit_of(&mut conn, &code, lang).await?;
    if !allows(actor, Action::HandleReservationsOf(unit.partner)) {
        return Err(if actor.user.is_none() {
            AppError::Unauthorized
        } else {
            AppError::Forbidden
        });
    }
    Ok(ScanResult {
        unit: unit.info,
        replaced,
    })
}
