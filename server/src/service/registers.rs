//! Managing the registers through screens: schools (admins), partner services (admins, and
//! partner admins their own) and pickup points (a partner's admins, and admins). Every
//! record goes through the same parser as its CSV import, so a screen and an import always
//! agree on what is valid, and a refused save writes nothing.

use crate::db::import::{self as store, Register};
use crate::db::Db;
use crate::domain::import::{
    parse_partners, parse_pickup_points, parse_schools, PARTNER_COLUMNS, PICKUP_COLUMNS,
    SCHOOL_COLUMNS,
};
use crate::domain::policy::{allows, Action, Actor};
use crate::error::{AppError, Result};
use crate::service::drafts::Draft;
use crate::texts::Text;
use leenpunt_shared::admin::{KitField, RegisterEditScreen, RegisterRow, RegisterScreen};
use leenpunt_shared::*;

/// A register by its name in the address.
pub fn register(kind: &str) -> Option<Register> {
    match kind {
        "scholen" => Some(Register::Schools),
        "partners" => Some(Register::Partners),
        "afhaalpunten" => Some(Register::PickupPoints),
        _ => None,
    }
}

fn columns(r: Register) -> &'static [&'static str] {
    match r {
        Register::Schools => SCHOOL_COLUMNS,
        Register::Partners => PARTNER_COLUMNS,
        Register::PickupPoints => PICKUP_COLUMNS,
    }
}

/// Whether the asker may change a record (of a partner, for partners and pickup points).
fn may_edit(actor: &Actor, r: Register, partner: Option<PartnerId>) -> bool {
    match (r, partner) {
        (Register::Schools, _) => allows(actor, Action::ManageSchools),
        (_, Some(p)) => allows(actor, Action::ManageCatalogueOf(p)),
        (_, None) => allows(actor, Action::ManagePartners),
    }
}

/// Whether the asker may add records.
fn may_add(actor: &Actor, r: Register) -> bool {
    match r {
        Register::Schools => allows(actor, Action::ManageSchools),
        Register::Partners => allows(actor, Action::ManagePartners),
        // Partner admins add their own pickup points (checked again on the partner saved).
        Register::PickupPoints => {
            actor.is_admin() || actor.grants.iter().any(|g| g.role == Role::PartnerAdmin)
        }
    }
}

/// A register as a table, with the records the asker may edit marked.
pub async fn screen(db: &Db, actor: &Actor, kind: &str) -> Result<RegisterScreen> {
    let r = register(kind).ok_or(AppError::NotFound)?;
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let rows = db.register_rows(r).await?;
    let shown: Vec<RegisterRow> = rows
        .into_iter()
        .map(|(partner, cells)| RegisterRow {
            key: cells.first().cloned().unwrap_or_default(),
            editable: may_edit(actor, r, partner),
            cells,
        })
        .filter(|row| row.editable || actor.is_admin())
        .collect();
    if shown.is_empty() && !may_add(actor, r) {
        return Err(AppError::Forbidden);
    }
    Ok(RegisterScreen {
        kind: kind.to_owned(),
        columns: columns(r).iter().map(|c| (*c).to_owned()).collect(),
        rows: shown,
        can_add: may_add(actor, r),
    })
}

/// One record's form (empty for a new one), filled in with a refused save's draft.
pub async fn edit_screen(
    db: &Db,
    actor: &Actor,
    kind: &str,
    key: Option<&str>,
    draft: Option<Draft>,
) -> Result<RegisterEditScreen> {
    let r = register(kind).ok_or(AppError::NotFound)?;
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let values: Vec<String> = match key {
        Some(key) => {
            let (partner, cells) = db
                .register_rows(r)
                .await?
                .into_iter()
                .find(|(_, cells)| cells.first().map(String::as_str) == Some(key))
                .ok_or(AppError::NotFound)?;
            if !may_edit(actor, r, partner) {
                return Err(AppError::Forbidden);
            }
            cells
        }
        None => {
            if !may_add(actor, r) {
                return Err(AppError::Forbidden);
            }
            vec![String::new(); columns(r).len()]
        }
    };
    let Draft {
        fields: typed,
        errors,
    } = draft.unwrap_or_default();
    Ok(RegisterEditScreen {
        kind: kind.to_owned(),
        key: key.map(str::to_owned),
        fields: columns(r)
            .iter()
            .zip(values)
            .map(|(name, value)| KitField {
                name: (*name).to_owned(),
                value: typed
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or(value),
            })
            .collect(),
        errors,
    })
}

fn one_row_csv(columns: &[&str], row: &[String]) -> Result<String> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(columns)
        .and_then(|_| csv.write_record(row))
        .map_err(|e| AppError::Internal(e.into()))?;
    let bytes = csv
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(e.into()))
}

fn field_errors(errors: Vec<crate::domain::csv_table::RowError>, lang: Lang) -> AppError {
    AppError::Validation(
        errors
            .into_iter()
            .map(|e| FieldError::new(e.column.clone(), e.issue.message(lang)))
            .collect(),
    )
}

/// Saves a record from its form (the key of an existing record does not change).
pub async fn save(
    db: &Db,
    clock: &dyn crate::domain::clock::Clock,
    actor: &Actor,
    lang: Lang,
    kind: &str,
    key: Option<&str>,
    fields: &[(String, String)],
) -> Result<String> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let r = register(kind).ok_or(AppError::NotFound)?;
    let cols = columns(r);
    let mut row: Vec<String> = cols
        .iter()
        .map(|c| {
            fields
                .iter()
                .find(|(k, _)| k == c)
                .map(|(_, v)| v.replace("\r\n", "\n"))
                .unwrap_or_default()
        })
        .collect();
    if let Some(key) = key {
        row[0] = key.to_owned();
    }
    let text = one_row_csv(cols, &row)?;
    // Parse first: the key as the parser reads it (e.g. a school number typed without its
    // leading zero) is the one that counts.
    enum Parsed {
        Schools(Vec<crate::domain::import::SchoolInput>),
        Partners(Vec<crate::domain::import::PartnerInput>),
        PickupPoints(Vec<crate::domain::import::PickupPointInput>),
    }
    let parsed = match r {
        Register::Schools => {
            Parsed::Schools(parse_schools(&text).map_err(|e| field_errors(e, lang))?)
        }
        Register::Partners => {
            Parsed::Partners(parse_partners(&text).map_err(|e| field_errors(e, lang))?)
        }
        Register::PickupPoints => {
            // A pickup point can only be given to a partner one manages: others are unknown
            // here, with the import's own message.
            let partners: std::collections::HashSet<String> = db
                .partners_brief()
                .await?
                .into_iter()
                .filter(|(_, _, id)| allows(actor, Action::ManageCatalogueOf(*id)))
                .map(|(slug, _, _)| slug)
                .collect();
            Parsed::PickupPoints(
                parse_pickup_points(&text, &partners).map_err(|e| field_errors(e, lang))?,
            )
        }
    };
    let saved_key = match &parsed {
        Parsed::Schools(rows) => rows[0].number.to_string(),
        Parsed::Partners(rows) => rows[0].slug.as_str().to_owned(),
        Parsed::PickupPoints(rows) => rows[0].slug.as_str().to_owned(),
    };
    // What exists now, for the policy and "new means new".
    let existing = db.register_rows(r).await?;
    let before = existing
        .iter()
        .find(|(_, cells)| cells.first() == Some(&saved_key))
        .map(|(partner, _)| *partner);
    match (key, before) {
        (Some(_), None) => return Err(AppError::NotFound),
        (Some(_), Some(partner)) if !may_edit(actor, r, partner) => {
            return Err(AppError::Forbidden)
        }
        (None, Some(_)) => {
            return Err(AppError::Validation(vec![FieldError::new(
                cols[0],
                Text::ThisAlreadyExistsChooseAnotherKey.get(lang),
            )]))
        }
        (None, None) if !may_add(actor, r) => return Err(AppError::Forbidden),
        _ => {}
    }
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    match &parsed {
        Parsed::Schools(rows) => {
            store::upsert_schools(&mut tx, rows).await?;
        }
        Parsed::Partners(rows) => {
            store::upsert_partners(&mut tx, rows).await?;
        }
        Parsed::PickupPoints(rows) => {
            store::upsert_pickup_points(&mut tx, rows).await?;
        }
    }
    crate::db::accounts::audit(
        &mut tx,
        Some(user),
        &format!("{kind}.{}", if key.is_some() { "update" } else { "create" }),
        &format!("{kind}:{saved_key}"),
        row.get(1).map(String::as_str).unwrap_or_default(),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(saved_key)
}
