//! Managing the catalogue through screens: a kit type's fields (the same rules and messages
//! as the CSV import, one row at a time), its units, and photos uploaded with type and size
//! checks. Partner admins manage their own partner's kit types, admins every one.

use crate::db::import::{self as store, references};
use crate::db::Db;
use crate::domain::clock::Clock;
use crate::domain::import::{parse_catalogue, CATALOGUE_COLUMNS};
use crate::domain::policy::{allows, Action, Actor};
use crate::error::{AppError, Result};
use leenpunt_shared::admin::{KitEditScreen, KitField, KitListEntry};
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

/// A kit type's edit screen (an empty one for a new kit type when `slug` is `None`).
pub async fn edit_screen(
    db: &Db,
    actor: &Actor,
    slug: Option<&str>,
    draft: Option<crate::http::drafts::Draft>,
) -> Result<KitEditScreen> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    let partners: Vec<(String, String)> = db
        .partners_brief()
        .await?
        .into_iter()
        .filter(|(_, _, id)| allows(actor, Action::ManageCatalogueOf(*id)))
        .map(|(slug, name, _)| (slug, name))
        .collect();
    if partners.is_empty() {
        return Err(AppError::Forbidden);
    }
    let values: Vec<String> = match slug {
        Some(slug) => {
            let row = db
                .export_catalogue()
                .await?
                .into_iter()
                .find(|r| r.first().map(String::as_str) == Some(slug))
                .ok_or(AppError::NotFound)?;
            let partner = row.get(3).cloned().unwrap_or_default();
            if !partners.iter().any(|(p, _)| *p == partner) {
                return Err(AppError::Forbidden);
            }
            row
        }
        None => CATALOGUE_COLUMNS
            .iter()
            .map(|c| match *c {
                "kind" => "uitleen".to_owned(),
                "partner" => partners[0].0.clone(),
                _ => String::new(),
            })
            .collect(),
    };
    let crate::http::drafts::Draft {
        fields: typed,
        errors,
    } = draft.unwrap_or_default();
    Ok(KitEditScreen {
        slug: slug.map(str::to_owned),
        fields: CATALOGUE_COLUMNS
            .iter()
            .zip(values)
            .map(|(name, value)| KitField {
                name: (*name).to_owned(),
                // What was typed in a refused save wins over what is stored.
                value: typed
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or(value),
            })
            .collect(),
        partners,
        errors,
    })
}

/// Saves a kit type from its form: the fields go through the catalogue import's parser
/// (every problem reported per field, nothing written on any), then one transaction. The
/// asker must manage the kit type's partner, before and after the change.
pub async fn save(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    slug: Option<&str>,
    fields: &[(String, String)],
) -> Result<String> {
    let user = actor.user.ok_or(AppError::Unauthorized)?;
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.replace("\r\n", "\n"))
            .unwrap_or_default()
    };
    let mut row: Vec<String> = CATALOGUE_COLUMNS.iter().map(|c| value(c)).collect();
    if let Some(slug) = slug {
        // The slug is the kit type's address: it does not change here.
        row[0] = slug.to_owned();
    }
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(CATALOGUE_COLUMNS)
        .and_then(|_| csv.write_record(&row))
        .map_err(|e| AppError::Internal(e.into()))?;
    let text = String::from_utf8(
        csv.into_inner()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?,
    )
    .map_err(|e| AppError::Internal(e.into()))?;
    let now = clock.now().to_rfc3339();
    let mut tx = db.begin().await?;
    let refs = references(&mut tx).await?;
    let kits = parse_catalogue(&text, &refs).map_err(|errors| {
        AppError::Validation(
            errors
                .into_iter()
                .map(|e| FieldError::new(e.column.clone(), e.issue.message(lang)))
                .collect(),
        )
    })?;
    let kit = kits
        .first()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no row parsed")))?;
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
                    match lang {
                        Lang::Nl => "Er bestaat al materiaal met deze slug; kies een andere.",
                        Lang::En => "Material with this slug already exists; choose another.",
                    },
                )]));
            }
        }
    }
    store::upsert_kits(&mut tx, std::slice::from_ref(kit), &now).await?;
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
    tx.commit().await.map_err(crate::db::DbError::from)?;
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
    let nl = lang == Lang::Nl;
    let mut tx = db.begin().await?;
    let partner = crate::db::catalogue::kit_partner(&mut tx, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !allows(actor, Action::ManageCatalogueOf(partner)) {
        return Err(AppError::Forbidden);
    }
    let photo_error = |m: &str| AppError::Validation(vec![FieldError::new("photo", m)]);
    if bytes.is_empty() {
        return Err(photo_error(if nl {
            "Kies een foto."
        } else {
            "Choose a photo."
        }));
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(photo_error(if nl {
            "De foto is te groot: hoogstens 2 MB."
        } else {
            "The photo is too large: 2 MB at most."
        }));
    }
    let Some(ext) = image_kind(bytes) else {
        return Err(photo_error(if nl {
            "Dit is geen foto: kies een PNG-, JPEG- of WebP-bestand."
        } else {
            "This is not a photo: choose a PNG, JPEG or WebP file."
        }));
    };
    let alt = alt.trim();
    if alt.chars().count() > 300 {
        return Err(AppError::Validation(vec![FieldError::new(
            "alt",
            if nl {
                "De beschrijving is te lang (hoogstens 300 tekens)."
            } else {
                "The description is too long (300 characters at most)."
            },
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
    tx.commit().await.map_err(crate::db::DbError::from)?;
    Ok(url)
}
