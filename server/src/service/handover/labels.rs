//! QR labels: the label screen, printable sheets, and retagging a unit.

use super::*;

/// The units the asker may print labels for (their partners' kit types).
pub async fn labels_screen(db: &Db, clock: &dyn Clock, actor: &Actor) -> Result<LabelsScreen> {
    let partners = label_partners(actor)?;
    db.ensure_tags(&clock.now().to_rfc3339()).await?;
    let units = db.units_for_labels(partners.as_deref(), None).await?;
    let mut kits: Vec<(String, String, Vec<UnitInfo>)> = Vec::new();
    for u in units {
        match kits.last_mut() {
            Some(k) if k.0 == u.info.kit_slug => k.2.push(u.info),
            _ => kits.push((
                u.info.kit_slug.clone(),
                u.info.kit_title.clone(),
                vec![u.info],
            )),
        }
    }
    let unprinted = db.unprinted_labels(partners.as_deref()).await?;
    Ok(LabelsScreen { kits, unprinted })
}

/// The partners whose catalogue the asker manages (`None`: all, for admins).
pub(crate) fn label_partners(actor: &Actor) -> Result<Option<Vec<PartnerId>>> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    if actor.is_admin() {
        return Ok(None);
    }
    let partners: Vec<PartnerId> = actor
        .grants
        .iter()
        .filter(|g| g.role == Role::PartnerAdmin)
        .filter_map(|g| g.partner)
        .collect();
    if partners.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Some(partners))
}

/// Which labels to print, and how.
#[derive(Debug, Clone, Copy)]
pub struct SheetRequest<'a> {
    /// Chosen units; empty: every unit (of `kit` when given) the asker manages.
    pub units: &'a [UnitId],
    pub kit: Option<&'a str>,
    pub layout: LabelLayout,
    /// The position (1-based) on the first sheet to start at.
    pub first: usize,
}

/// A printable sheet of labels for units (all of a kit type, or chosen ones) the asker
/// manages.
pub async fn label_sheet(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    sheet: &SheetRequest<'_>,
    base_url: &str,
    nonce: Option<&str>,
) -> Result<String> {
    let SheetRequest {
        units,
        kit,
        layout,
        first,
    } = *sheet;
    let partners = label_partners(actor)?;
    let records = if units.is_empty() {
        db.units_for_labels(partners.as_deref(), kit).await?
    } else {
        db.units_by_ids(units).await?
    };
    let mut labels = Vec::new();
    for u in records {
        if partners.as_ref().is_some_and(|p| !p.contains(&u.partner)) {
            return Err(AppError::Forbidden);
        }
        let Some(code) = u.info.label.as_deref().and_then(|l| TagCode::parse(l).ok()) else {
            continue;
        };
        labels.push(Label {
            code,
            kit_title: u.info.kit_title,
            owner: u.info.partner,
            unit_label: u.info.inventory_code,
        });
    }
    let title = Text::LabelsLeenpunt.get(lang);
    let codes: Vec<String> = labels.iter().map(|l| l.code.as_str().to_owned()).collect();
    db.mark_labels_printed(&codes, &clock.now().to_rfc3339())
        .await?;
    Ok(render_sheet_from(
        layout, first, &labels, base_url, lang, &title, nonce,
    ))
}

/// Gives a unit a new label; the old code then says "this label was replaced".
pub async fn retag(db: &Db, clock: &dyn Clock, actor: &Actor, unit: UnitId) -> Result<String> {
    let by = actor.user.ok_or(AppError::Unauthorized)?;
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    let record = store::unit_by_id(&mut tx, unit)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::ManageCatalogueOf(record.partner)) {
        return Err(AppError::Forbidden);
    }
    store::retire_tag(&mut tx, unit, &now).await?;
    let code = store::insert_tag(&mut tx, unit, &now).await?;
    audit(
        &mut tx,
        Some(by),
        "unit.retag",
        &format!("unit:{}", record.info.inventory_code),
        code.as_str(),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(code.to_string())
}
