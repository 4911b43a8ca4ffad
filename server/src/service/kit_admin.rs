//! Managing the catalogue through screens: a kit type's fields (the same rules and messages
//! as the CSV import, one row at a time), its units, and photos uploaded with type and size
//! checks. Partner admins manage their own partner's kit types, admins every one.

use crate::db::import::{self as store, references};
use crate::db::Db;
use crate::domain::clock::Clock;
use crate::domain::import::{kit_form, parse_kit_form, KitForm, CATALOGUE_COLUMNS};
use crate::domain::policy::{allows, Action, Actor};
use crate::error::{AppError, Result};
use crate::texts::Text;
use leenpunt_shared::admin::{
    KitChoice, KitEditScreen, KitField, KitListEntry, KitPartRow, KitPhotoRow, KitUnitRow,
};
use leenpunt_shared::*;

/// The kit types the asker may edit, by title.
pub async fn editable(db: &Db, actor: &Actor) -> Result<Vec<KitListEntry>> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let partners = db.partners_brief().await?;
    let mine: Vec<(String, String)> = partners
        .iter()
        .filter(|(_, _, id)| allows(actor, Action::ManageCatalogueOf(*id)))
        .map(|(slug, name, _)| (slug.clone(), name.clone()))
        .collect();
    if mine.is_empty() {
        return Err(AppError::Forbidden);
    }
    let rows = db.export_catalogue().await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let partner = row.get(3)?.clone();
            let (_, name) = mine.iter().find(|(slug, _)| *slug == partner)?;
            Some(KitListEntry {
                slug: row.first()?.clone(),
                title: row.get(1)?.clone(),
                partner: name.clone(),
            })
        })
        .collect())
}

/// A kit type's edit screen (an empty one for a new kit type when `slug` is `None`); after
/// a refused save, with what was typed and the messages.
pub async fn edit_screen(
    db: &Db,
    actor: &Actor,
    slug: Option<&str>,
    draft: Option<crate::service::drafts::Draft>,
) -> Result<KitEditScreen> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let managed: Vec<(String, String)> = db
        .partners_brief()
        .await?
        .into_iter()
        .filter(|(_, _, id)| allows(actor, Action::ManageCatalogueOf(*id)))
        .map(|(slug, name, _)| (slug, name))
        .collect();
    if managed.is_empty() {
        return Err(AppError::Forbidden);
    }
    let stored: Vec<String> = match slug {
        Some(slug) => {
            let row = db
                .export_catalogue()
                .await?
                .into_iter()
                .find(|r| r.first().map(String::as_str) == Some(slug))
                .ok_or(AppError::NotFound)?;
            let partner = row.get(3).cloned().unwrap_or_default();
            if !managed.iter().any(|(p, _)| *p == partner) {
                return Err(AppError::Forbidden);
            }
            row
        }
        None => CATALOGUE_COLUMNS
            .iter()
            .map(|c| match *c {
                "kind" => KitKind::LoanMaterial.code().to_owned(),
                "partner" => managed[0].0.clone(),
                _ => String::new(),
            })
            .collect(),
    };
    let column = |name: &str| {
        CATALOGUE_COLUMNS
            .iter()
            .position(|c| *c == name)
            .and_then(|i| stored.get(i))
            .cloned()
            .unwrap_or_default()
    };
    let own_codes: Vec<String> = column("units")
        .split(';')
        .filter(|u| !u.is_empty())
        .map(|u| u.split_once('=').map_or(u, |(c, _)| c).to_owned())
        .collect();
    let crate::service::drafts::Draft {
        fields: typed,
        errors,
    } = draft.unwrap_or_default();
    let typed = (!typed.is_empty()).then(|| KitForm::from_pairs(&typed));
    let fields = CATALOGUE_COLUMNS
        .iter()
        .map(|name| KitField {
            name: (*name).to_owned(),
            // What was typed in a refused save wins over what is stored (the slug of an
            // existing kit type cannot change).
            value: match &typed {
                Some(form) if !(*name == "slug" && slug.is_some()) => {
                    form.cells.get(*name).cloned().unwrap_or_default()
                }
                _ => column(name),
            },
        })
        .collect();
    let parts = match typed.as_ref().and_then(|f| f.parts.clone()) {
        Some(rows) => rows
            .into_iter()
            .map(|r| KitPartRow {
                name: r.name,
                count: r.count,
                pos: r.pos,
                remove: r.remove,
            })
            .collect(),
        None => stored_parts(&column("parts")),
    };
    let units = match typed.as_ref().and_then(|f| f.units.clone()) {
        Some(rows) => rows
            .into_iter()
            .map(|r| KitUnitRow {
                existing: own_codes.contains(&r.code),
                code: r.code,
                status: r.status,
            })
            .collect(),
        None => stored_units(&column("units")),
    };
    let photos = match typed.as_ref().and_then(|f| f.photos.clone()) {
        Some(rows) => rows
            .into_iter()
            .map(|r| KitPhotoRow {
                url: r.url,
                alt: r.alt,
                remove: r.remove,
            })
            .collect(),
        None => column("photos")
            .split(';')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (url, alt) = p.split_once('|').unwrap_or((p, ""));
                KitPhotoRow {
                    url: url.to_owned(),
                    alt: alt.to_owned(),
                    remove: false,
                }
            })
            .collect(),
    };
    let codes: Vec<&str> = own_codes.iter().map(String::as_str).collect();
    let suggested = kit_form::suggested_prefix(slug.unwrap_or_default(), &codes);
    let (add_units, unit_prefix) = match &typed {
        Some(form) => (form.add_units.clone(), form.unit_prefix.clone()),
        None => (String::new(), suggested),
    };
    let mine = |partner: &str| managed.iter().any(|(p, _)| p == partner);
    let choice = |c: crate::db::kit_editor::RegisterChoice| KitChoice {
        value: c.slug,
        label: c.name,
        group: c.partner_name,
    };
    Ok(KitEditScreen {
        slug: slug.map(str::to_owned),
        fields,
        errors,
        pickup_points: db
            .pickup_point_choices()
            .await?
            .into_iter()
            .filter(|c| mine(&c.partner))
            .map(choice)
            .collect(),
        trainings: db
            .training_choices()
            .await?
            .into_iter()
            .map(choice)
            .collect(),
        partners: managed,
        parts,
        units,
        photos,
        add_units,
        unit_prefix,
    })
}

/// Empty rows offered below the stored contents and units, to add some without JavaScript.
const EMPTY_PART_ROWS: usize = 3;
const EMPTY_UNIT_ROWS: usize = 2;

fn stored_parts(cell: &str) -> Vec<KitPartRow> {
    let mut rows: Vec<KitPartRow> = cell
        .split(';')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (name, count) = p.rsplit_once(':').unwrap_or((p, ""));
            KitPartRow {
                name: name.to_owned(),
                count: count.to_owned(),
                ..KitPartRow::default()
            }
        })
        .collect();
    rows.extend((0..EMPTY_PART_ROWS).map(|_| KitPartRow::default()));
    for (i, r) in rows.iter_mut().enumerate() {
        r.pos = (i + 1).to_string();
    }
    rows
}

fn stored_units(cell: &str) -> Vec<KitUnitRow> {
    let mut rows: Vec<KitUnitRow> = cell
        .split(';')
        .filter(|u| !u.is_empty())
        .map(|u| {
            let (code, status) = u
                .split_once('=')
                .unwrap_or((u, UnitStatus::InService.code()));
            KitUnitRow {
                code: code.to_owned(),
                status: status.to_owned(),
                existing: true,
            }
        })
        .collect();
    rows.extend((0..EMPTY_UNIT_ROWS).map(|_| KitUnitRow {
        status: UnitStatus::InService.code().to_owned(),
        ..KitUnitRow::default()
    }));
    rows
}

/// Saves a kit type from its form (or the JSON API's catalogue columns): it goes through
/// the catalogue import's parser (every problem reported per field, nothing written on
/// any), then one transaction. The asker must manage the kit type's partner, before and
/// after the change.
pub async fn save(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    slug: Option<&str>,
    fields: &[(String, String)],
) -> Result<String> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let mut form = KitForm::from_pairs(fields);
    if let Some(slug) = slug {
        // The slug is the kit type's address: it does not change here.
        form.cells.insert("slug".to_owned(), slug.to_owned());
    }
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    let refs = references(&mut tx).await?;
    let kit = parse_kit_form(&form, &refs).map_err(|errors| {
        AppError::Validation(
            errors
                .into_iter()
                .map(|e| FieldError::new(e.column.clone(), e.issue.message(lang)))
                .collect(),
        )
    })?;
    let partner = db
        .partner_id(&kit.partner)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::ManageCatalogueOf(partner)) {
        return Err(AppError::Forbidden);
    }
    match slug {
        Some(slug) => {
            let before = crate::db::catalogue::kit_partner(&mut tx, slug)
                .await?
                .ok_or(AppError::NotFound)?;
            if !allows(actor, Action::ManageCatalogueOf(before)) {
                return Err(AppError::Forbidden);
            }
        }
        None => {
            if crate::db::catalogue::kit_partner(&mut tx, kit.slug.as_str())
                .await?
                .is_some()
            {
                return Err(AppError::Validation(vec![FieldError::new(
                    "slug",
                    Text::KitSlugTaken.get(lang),
                )]));
            }
        }
    }
    store::upsert_kits(&mut tx, std::slice::from_ref(&kit), &now).await?;
    crate::db::accounts::audit(
        &mut tx,
        Some(user),
        if slug.is_some() {
            "kit.update"
        } else {
            "kit.create"
        },
        &format!("kit:{}", kit.slug.as_str()),
        &kit.title,
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(kit.slug.as_str().to_owned())
}

/// The kinds of picture a kit photo may be, by their first bytes (not by name or the
/// browser's word for it).
pub fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if bytes.len() > 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// Photos may be at most this large.
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;

/// An uploaded photo and what it shows.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub bytes: &'a [u8],
    pub alt: &'a str,
}

/// Adds an uploaded photo to a kit type: a PNG, JPEG or WebP of at most 2 MB, stored under
/// its content hash in the data folder.
pub async fn add_photo(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    data_dir: &std::path::Path,
    slug: &str,
    upload: &Upload<'_>,
) -> Result<String> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let Upload { bytes, alt } = *upload;
    let mut tx = db.begin().await?;
    let partner = crate::db::catalogue::kit_partner(&mut tx, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::ManageCatalogueOf(partner)) {
        return Err(AppError::Forbidden);
    }
    let photo_error = |m: &str| AppError::Validation(vec![FieldError::new("photo", m)]);
    if bytes.is_empty() {
        return Err(photo_error(Text::PhotoMissing.get(lang).as_str()));
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(photo_error(Text::PhotoTooLarge.get(lang).as_str()));
    }
    let Some(ext) = image_kind(bytes) else {
        return Err(photo_error(Text::PhotoNotAnImage.get(lang).as_str()));
    };
    let alt = alt.trim();
    if alt.chars().count() > 300 {
        return Err(AppError::Validation(vec![FieldError::new(
            "alt",
            Text::PhotoAltTooLong.get(lang).as_str(),
        )]));
    }
    use sha2::Digest;
    let hash = sha2::Sha256::digest(bytes);
    let name: String = hash.iter().take(12).map(|b| format!("{b:02x}")).collect();
    let file = format!("{name}.{ext}");
    let dir = data_dir.join("photos");
    std::fs::create_dir_all(&dir).map_err(|e| AppError::Internal(e.into()))?;
    let path = dir.join(&file);
    if !path.exists() {
        let tmp = dir.join(format!(".{file}.part"));
        std::fs::write(&tmp, bytes).map_err(|e| AppError::Internal(e.into()))?;
        std::fs::rename(&tmp, &path).map_err(|e| AppError::Internal(e.into()))?;
    }
    let url = format!("/fotos/{file}");
    crate::db::catalogue::add_photo(&mut tx, slug, &url, alt).await?;
    crate::db::accounts::audit(
        &mut tx,
        Some(user),
        "kit.photo",
        &format!("kit:{slug}"),
        &url,
        &clock.now().to_rfc3339(),
    )
    .await?;
    tx.commit().await?;
    Ok(url)
}
