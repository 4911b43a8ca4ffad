//! Catalogue and closed-days CSV files in the browser: upload (kept under a token), a
//! preview checked against the data of now (every problem, or what would change), a
//! confirmation that imports exactly that file once, and the downloads.
//!
//! Who: admins for everything; partner admins for the rows of their own partner services
//! (kit types they own, their own pickup points), the same scope as the screens
//! (`Action::ManageCatalogueOf`, `Action::ManageClosedDays`).

use crate::db::csv_uploads::{self as store, NewUpload, StoredUpload};
use crate::db::import::{references, upsert_kits, ImportCounts};
use crate::db::Db;
use crate::domain::clock::Clock;
use crate::domain::csv_table::write_table;
use crate::domain::csv_upload::{self as upload, PeriodKey};
use crate::domain::import::{
    parse_catalogue, parse_closed_days, ClosedDayInput, KitInput, CATALOGUE_COLUMNS,
    CLOSED_DAY_COLUMNS,
};
use crate::domain::policy::{allows, Action, Actor};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use leenpunt_shared::csv_import::{
    ImportKind, ImportOutcome, ImportPreview, ImportProblem, ImportScreen, ImportSummary,
};
use leenpunt_shared::{FieldError, Lang, PartnerId, PickupPointId, Role};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// How long an upload can be confirmed after it was sent.
pub const KEEP_MINUTES: i64 = 60;

/// Admins and partner admins; anyone else is refused before anything is read.
fn may_use(actor: &Actor) -> Result<leenpunt_shared::accounts::UserId> {
    let Some(user) = actor.user else {
        return Err(AppError::Unauthorized);
    };
    if actor.is_admin() || actor.grants.iter().any(|g| g.role == Role::PartnerAdmin) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A file's rows, checked and paired with their lines, ready to write.
enum Valid {
    Catalogue(Vec<KitInput>, Vec<u64>),
    ClosedDays(Vec<(ClosedDayInput, Option<PickupPointId>)>, Vec<u64>),
}

/// Checks a file as the importer does, then the rows' scope for this person. `Err` holds
/// every problem.
async fn validate(
    conn: &mut crate::db::Conn,
    actor: &Actor,
    lang: Lang,
    kind: ImportKind,
    text: &str,
) -> Result<std::result::Result<Valid, Vec<ImportProblem>>> {
    let columns = match kind {
        ImportKind::Catalogue => CATALOGUE_COLUMNS,
        ImportKind::ClosedDays => CLOSED_DAY_COLUMNS,
    };
    let refused = |errors: Vec<crate::domain::csv_table::RowError>| {
        let mut problems: Vec<ImportProblem> = upload::separator_hint(text, columns, lang)
            .into_iter()
            .collect();
        problems.extend(upload::problems(&errors, lang));
        problems
    };
    let lines = upload::record_lines(text);
    match kind {
        ImportKind::Catalogue => {
            let refs = references(conn).await?;
            let kits = match parse_catalogue(text, &refs) {
                Ok(kits) => kits,
                Err(errors) => return Ok(Err(refused(errors))),
            };
            let partners = store::partner_ids(conn).await?;
            let owners = store::kit_owners(conn).await?;
            let manages = |slug: &str| {
                partners
                    .get(slug)
                    .is_some_and(|p| allows(actor, Action::ManageCatalogueOf(*p)))
            };
            let problems = upload::catalogue_scope(&kits, &lines, &owners, manages, lang);
            Ok(if problems.is_empty() {
                Ok(Valid::Catalogue(kits, lines))
            } else {
                Err(problems)
            })
        }
        ImportKind::ClosedDays => {
            let points = store::pickup_points(conn).await?;
            let slugs: HashSet<String> = points.keys().cloned().collect();
            let rows = match parse_closed_days(text, &slugs) {
                Ok(rows) => rows,
                Err(errors) => return Ok(Err(refused(errors))),
            };
            let partner_of = |slug: Option<&str>| -> Option<PartnerId> {
                slug.and_then(|s| points.get(s)).map(|(_, p)| *p)
            };
            let manages =
                |slug: Option<&str>| allows(actor, Action::ManageClosedDays(partner_of(slug)));
            let problems = upload::closed_days_scope(&rows, &lines, manages, lang);
            if !problems.is_empty() {
                return Ok(Err(problems));
            }
            let rows = rows
                .into_iter()
                .map(|r| {
                    let id = r
                        .pickup_point
                        .as_deref()
                        .and_then(|s| points.get(s))
                        .map(|(id, _)| *id);
                    (r, id)
                })
                .collect();
            Ok(Ok(Valid::ClosedDays(rows, lines)))
        }
    }
}

/// What a valid file would change, against the data of now.
async fn summary(db: &Db, lang: Lang, valid: &Valid) -> Result<ImportSummary> {
    match valid {
        Valid::Catalogue(kits, lines) => {
            let mut conn = db.read().await?;
            let refs = references(&mut conn).await?;
            let units = store::unit_statuses(&mut conn).await?;
            drop(conn);
            // Each kit type as it is now, read back through the importer from the export,
            // so "unchanged" means "importing it changes nothing".
            let existing = db
                .export_catalogue()
                .await?
                .into_iter()
                .filter_map(|row| {
                    let slug = row.first()?.clone();
                    let csv = write_table(CATALOGUE_COLUMNS, [row]);
                    let kit = parse_catalogue(&csv, &refs)
                        .ok()
                        .and_then(|k| k.into_iter().next());
                    Some((slug, kit))
                })
                .collect();
            Ok(upload::catalogue_summary(kits, lines, &existing, &units))
        }
        Valid::ClosedDays(rows, lines) => {
            let existing: HashMap<PeriodKey, String> = all_closed_periods(db)
                .await?
                .into_iter()
                .map(|r| {
                    (
                        (r.pickup_point, r.period.first, r.period.last),
                        r.period.reason,
                    )
                })
                .collect();
            let rows: Vec<ClosedDayInput> = rows.iter().map(|(r, _)| r.clone()).collect();
            Ok(upload::closed_days_summary(&rows, lines, &existing, lang))
        }
    }
}

async fn all_closed_periods(db: &Db) -> Result<Vec<crate::db::reservations::ClosedPeriodRow>> {
    let (from, to) = (
        NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default(),
    );
    Ok(db.closed_periods_between(from, to).await?)
}

fn outcome(applied: &(String, u32, u32), already: bool) -> ImportOutcome {
    ImportOutcome {
        created: applied.1,
        updated: applied.2,
        applied_at: applied.0.clone(),
        already_applied: already,
    }
}

fn expired(stored: &StoredUpload, now: DateTime<Utc>) -> bool {
    DateTime::parse_from_rfc3339(&stored.expires_at).map_or(true, |at| at < now)
}

/// The preview of a kept upload, checked now.
async fn preview_of(
    db: &Db,
    now: DateTime<Utc>,
    actor: &Actor,
    lang: Lang,
    token: &str,
    stored: StoredUpload,
) -> Result<ImportPreview> {
    let mut preview = ImportPreview {
        token: token.to_owned(),
        kind: stored.kind,
        file_name: stored.file_name.clone(),
        sha256: stored.sha256.clone(),
        problems: Vec::new(),
        summary: None,
        can_confirm: false,
        expires_at: stored.expires_at.clone(),
        applied: stored.applied.as_ref().map(|a| outcome(a, true)),
    };
    if preview.applied.is_some() {
        return Ok(preview);
    }
    let mut conn = db.read().await?;
    let checked = validate(&mut conn, actor, lang, stored.kind, &stored.content).await?;
    drop(conn);
    match checked {
        Err(problems) => preview.problems = problems,
        Ok(valid) => {
            preview.summary = Some(summary(db, lang, &valid).await?);
            preview.can_confirm = !expired(&stored, now);
        }
    }
    Ok(preview)
}

/// Keeps an uploaded file and answers its preview. A file that cannot be read as UTF-8
/// CSV text is refused at once (422 at `file`) and not kept.
pub async fn upload(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    kind: ImportKind,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportPreview> {
    let user = may_use(actor)?;
    let text = upload::decode(bytes)
        .map_err(|p| AppError::Validation(vec![FieldError::new("file", p.message(lang))]))?;
    let sha256 = hex(&Sha256::digest(text.as_bytes()));
    let token = crate::service::signup::random_token();
    let token_hash = crate::service::accounts::token_hash(&token);
    let now = clock.now();
    let file_name: String = file_name.trim().chars().take(200).collect();
    let file_name = if file_name.is_empty() {
        kind.file_name().to_owned()
    } else {
        file_name
    };
    let expires_at = (now + Duration::minutes(KEEP_MINUTES)).to_rfc3339();
    let mut tx = db.begin().await?;
    store::insert_upload(
        &mut tx,
        &NewUpload {
            token_hash: &token_hash,
            kind,
            user,
            file_name: &file_name,
            content: &text,
            sha256: &sha256,
            now: &now.to_rfc3339(),
            expires_at: &expires_at,
            forget_before: &(now - Duration::days(1)).to_rfc3339(),
        },
    )
    .await?;
    tx.commit().await?;
    let stored = StoredUpload {
        id: 0,
        kind,
        file_name,
        content: text,
        sha256,
        expires_at,
        applied: None,
    };
    preview_of(db, now, actor, lang, &token, stored).await
}

/// The preview of an earlier upload (only its uploader's).
pub async fn preview(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    token: &str,
) -> Result<ImportPreview> {
    let user = may_use(actor)?;
    let hash = crate::service::accounts::token_hash(token);
    let mut conn = db.read().await?;
    let stored = store::upload(&mut conn, &hash, user)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    preview_of(db, clock.now(), actor, lang, token, stored).await
}

/// The import screen: whether this person may use it, and the upload named, if any.
pub async fn screen(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    token: Option<String>,
) -> Result<ImportScreen> {
    may_use(actor)?;
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(ImportScreen {
            upload: None,
            upload_missing: false,
        });
    };
    match preview(db, clock, actor, lang, &token).await {
        Ok(p) => Ok(ImportScreen {
            upload: Some(p),
            upload_missing: false,
        }),
        Err(AppError::NotFound) => Ok(ImportScreen {
            upload: None,
            upload_missing: true,
        }),
        Err(e) => Err(e),
    }
}

fn problems_error(problems: Vec<ImportProblem>, lang: Lang) -> AppError {
    AppError::Validation(
        problems
            .into_iter()
            .map(|p| {
                let at = match (lang, p.column.is_empty()) {
                    (Lang::Nl, false) => format!("regel {}, kolom '{}'", p.line, p.column),
                    (Lang::En, false) => format!("line {}, column '{}'", p.line, p.column),
                    (Lang::Nl, true) => format!("regel {}", p.line),
                    (Lang::En, true) => format!("line {}", p.line),
                };
                FieldError::new("file", format!("{at}: {}", p.message))
            })
            .collect(),
    )
}

/// Imports exactly the uploaded file, all or nothing, once: in one write transaction the
/// upload is re-checked against the data of now and marked imported; a second
/// confirmation (a double click, a retry) finds the mark and answers the first outcome
/// with `already_applied`, writing nothing.
pub async fn confirm(
    db: &Db,
    clock: &dyn Clock,
    actor: &Actor,
    lang: Lang,
    token: &str,
) -> Result<ImportOutcome> {
    let user = may_use(actor)?;
    let hash = crate::service::accounts::token_hash(token);
    let now = clock.now();
    let at = now.to_rfc3339();
    let mut tx = db.begin().await?;
    let stored = store::upload(&mut tx, &hash, user)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(applied) = &stored.applied {
        return Ok(outcome(applied, true));
    }
    if expired(&stored, now) {
        return Err(AppError::Conflict(Text::PreviewExpired.get(lang)));
    }
    let valid = match validate(&mut tx, actor, lang, stored.kind, &stored.content).await? {
        Ok(valid) => valid,
        Err(problems) => return Err(problems_error(problems, lang)),
    };
    let counts = match &valid {
        Valid::Catalogue(kits, _) => upsert_kits(&mut tx, kits, &at).await?,
        Valid::ClosedDays(rows, _) => {
            let mut counts = ImportCounts::default();
            for (row, point) in rows {
                let (_, created) =
                    crate::db::reservations::insert_closed_period(&mut tx, *point, &row.period)
                        .await?;
                if created {
                    counts.created += 1;
                } else {
                    counts.updated += 1;
                }
            }
            counts
        }
    };
    if !store::mark_applied(&mut tx, stored.id, &at, counts.created, counts.updated).await? {
        // Cannot happen while the write lock is held; refuse rather than write twice.
        return Err(AppError::Conflict("already imported".into()));
    }
    let action = match stored.kind {
        ImportKind::Catalogue => "catalogue.import",
        ImportKind::ClosedDays => "closed_days.import",
    };
    crate::db::accounts::audit(
        &mut tx,
        Some(user),
        action,
        &format!("csv_upload:{}", stored.id),
        &format!(
            "{}: {} created, {} updated (sha256 {})",
            stored.file_name, counts.created, counts.updated, stored.sha256
        ),
        &at,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        kind = stored.kind.code(),
        created = counts.created,
        updated = counts.updated,
        "csv imported"
    );
    Ok(outcome(&(at, counts.created, counts.updated), false))
}

/// The download: the catalogue in the CLI export's format (partner admins: their own
/// partner services' kit types), or the closed days this person may change.
pub async fn export(db: &Db, actor: &Actor, kind: ImportKind) -> Result<String> {
    may_use(actor)?;
    match kind {
        ImportKind::Catalogue => {
            let mut conn = db.read().await?;
            let partners = store::partner_ids(&mut conn).await?;
            drop(conn);
            let rows = db.export_catalogue().await?.into_iter().filter(|row| {
                row.get(3)
                    .and_then(|p| partners.get(p))
                    .is_some_and(|p| allows(actor, Action::ManageCatalogueOf(*p)))
            });
            Ok(write_table(CATALOGUE_COLUMNS, rows))
        }
        ImportKind::ClosedDays => {
            let rows = all_closed_periods(db)
                .await?
                .into_iter()
                .filter(|r| allows(actor, Action::ManageClosedDays(r.partner)))
                .map(|r| {
                    vec![
                        r.pickup_point.unwrap_or_default(),
                        r.period.first.to_string(),
                        r.period.last.to_string(),
                        r.period.reason,
                    ]
                });
            Ok(write_table(CLOSED_DAY_COLUMNS, rows))
        }
    }
}
