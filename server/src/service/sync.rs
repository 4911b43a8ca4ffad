//! The sync collections (issue 18): what changed, in change order, for integrations that
//! keep a copy. Visibility is the policy's, as for the same data's other reads.

use crate::db::sync::{ChangeQuery, ChangeSummary};
use crate::db::{Db, DbResult};
use crate::domain::ical::conditional::{not_modified, Conditions};
use crate::domain::policy::{allows, Action, Actor};
use crate::domain::sync::{self as rules, Collection};
use crate::error::{AppError, Result};
use crate::texts::Text;
use chrono::DateTime;
use leenpunt_shared::accounts::SchoolOption;
use leenpunt_shared::handover::UnitInfo;
use leenpunt_shared::sync::{SyncedKitType, SyncedPerson};
use leenpunt_shared::*;
use std::future::Future;

/// What the client sent: all raw, checked here.
#[derive(Debug, Clone, Copy, Default)]
pub struct SyncRequest<'a> {
    pub limit: Option<u32>,
    pub cursor: Option<&'a str>,
    pub updated_since: Option<&'a str>,
    /// Every `If-None-Match` field line, joined by commas.
    pub if_none_match: Option<&'a str>,
}

/// The answer: the client's copy is current, or a page.
#[derive(Debug, Clone)]
pub enum Synced<T> {
    NotModified {
        etag: String,
    },
    Page {
        etag: String,
        items: Vec<T>,
        next_cursor: Option<String>,
        /// Where to start next time (a delta token): after this page's last row, or where
        /// the request started when the page is empty. Present on every page.
        resume_cursor: String,
    },
}

/// A reservation as synced: the usual view, when it last changed (database clock).
#[derive(Debug, Clone)]
pub struct SyncedReservation {
    pub view: Reservation,
    pub updated_at: String,
}

/// A school as synced: as the public list shows it, when it last changed (database clock).
#[derive(Debug, Clone)]
pub struct SyncedSchool {
    pub school: SchoolOption,
    pub updated_at: String,
}

/// A unit as synced: the desk's view, when it last changed (database clock).
#[derive(Debug, Clone)]
pub struct SyncedUnit {
    pub info: UnitInfo,
    pub updated_at: String,
}

struct Checked {
    limit: u32,
    after: i64,
    since: Option<String>,
}

fn check(collection: Collection, lang: Lang, request: &SyncRequest) -> Result<Checked> {
    let bad = |field: &str, detail: &str| {
        AppError::BadRequest(vec![FieldError::new(
            field,
            Text::BadQueryParameter { detail: &detail }.get(lang),
        )])
    };
    let after = match request.cursor {
        None => 0,
        Some(c) => rules::parse_cursor(collection.name(), c)
            .ok_or_else(|| bad("cursor", "not a cursor of this collection"))?,
    };
    let since = match request.updated_since {
        None => None,
        Some(s) => {
            Some(rules::since(s).ok_or_else(|| bad("updated_since", "not an RFC 3339 date-time"))?)
        }
    };
    let limit = request.limit.unwrap_or(rules::DEFAULT_LIMIT);
    if !rules::LIMITS.contains(&limit) {
        return Err(AppError::Validation(vec![FieldError::new(
            "limit",
            format!("{}..={}", rules::LIMITS.start(), rules::LIMITS.end()),
        )]));
    }
    Ok(Checked {
        limit,
        after,
        since,
    })
}

/// The partner services whose reservations and units the asker may see in the sync: `None` for
/// all (admins); else those where the policy lets them handle reservations (desk staff,
/// partner admins). Anyone else: 401 anonymous, 403 signed in.
fn desk_partners(actor: &Actor) -> Result<Option<Vec<PartnerId>>> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    if actor.is_admin() {
        return Ok(None);
    }
    let mut partners: Vec<PartnerId> = actor
        .grants
        .iter()
        .filter_map(|g| g.partner)
        .filter(|p| allows(actor, Action::HandleReservationsOf(*p)))
        .collect();
    partners.sort();
    partners.dedup();
    if partners.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Some(partners))
}

fn visibility(partners: &Option<Vec<PartnerId>>) -> String {
    match partners {
        None => "all".into(),
        Some(list) => list
            .iter()
            .map(|p| p.0.to_string())
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// The answer for one read: 304 when the client's tag is current, else the page (the
/// rows come one more than the limit, to know whether there is a next page).
fn answer<T>(
    collection: Collection,
    partners: &Option<Vec<PartnerId>>,
    checked: &Checked,
    request: &SyncRequest,
    summary: ChangeSummary,
    mut rows: Vec<(i64, T)>,
) -> Synced<T> {
    let etag = rules::etag(&[
        collection.name(),
        &visibility(partners),
        &checked.limit.to_string(),
        &checked.after.to_string(),
        checked.since.as_deref().unwrap_or(""),
        &summary.count.to_string(),
        &summary.max_seq.to_string(),
    ]);
    let conditions = Conditions {
        if_none_match: request.if_none_match,
        if_modified_since: None,
    };
    if not_modified(&conditions, &etag, DateTime::UNIX_EPOCH) {
        return Synced::NotModified { etag };
    }
    let more = rows.len() > checked.limit as usize;
    rows.truncate(checked.limit as usize);
    let last = rows.last().map_or(checked.after, |(seq, _)| *seq);
    let next_cursor = more.then(|| rules::cursor(collection.name(), last));
    Synced::Page {
        etag,
        items: rows.into_iter().map(|(_, item)| item).collect(),
        next_cursor,
        resume_cursor: rules::cursor(collection.name(), last),
    }
}

fn query(checked: &Checked, partners: &Option<Vec<PartnerId>>) -> ChangeQuery {
    ChangeQuery {
        after: checked.after,
        since: checked.since.clone(),
        partners: partners.clone(),
        // One more than asked: whether there is a next page.
        limit: checked.limit + 1,
    }
}

/// One sync read, the same for every collection: check the request, fetch the rows changed
/// after the cursor that `partners` may see (`None`: all), and answer 304 or a page of items.
/// Who may read is decided by the caller before (401/403 come before 400/422).
async fn read<R, T, Fut>(
    collection: Collection,
    partners: Option<Vec<PartnerId>>,
    lang: Lang,
    request: &SyncRequest<'_>,
    fetch: impl FnOnce(ChangeQuery) -> Fut,
    item: impl Fn(R) -> (i64, T),
) -> Result<Synced<T>>
where
    Fut: Future<Output = DbResult<(Vec<R>, ChangeSummary)>>,
{
    let checked = check(collection, lang, request)?;
    let (rows, summary) = fetch(query(&checked, &partners)).await?;
    let rows = rows.into_iter().map(item).collect();
    Ok(answer(
        collection, &partners, &checked, request, summary, rows,
    ))
}

/// Reservations changed after the cursor (and at or after `updated_since`), in change
/// order: admins all, desk staff and partner admins their partner services'.
pub async fn reservations(
    db: &Db,
    actor: &Actor,
    lang: Lang,
    request: &SyncRequest<'_>,
) -> Result<Synced<SyncedReservation>> {
    read(
        Collection::Reservations,
        desk_partners(actor)?,
        lang,
        request,
        |q| async move { db.changed_reservations(&q).await },
        |r| {
            let item = SyncedReservation {
                view: r.record.view,
                updated_at: r.changed_at,
            };
            (r.change_seq, item)
        },
    )
    .await
}

/// Units changed after the cursor (and at or after `updated_since`), in change order: the
/// same people as for a unit's desk page (admins all, desk staff and partner admins their
/// partner services'). A new label, a hand-over and a return change the unit.
pub async fn units(
    db: &Db,
    actor: &Actor,
    lang: Lang,
    request: &SyncRequest<'_>,
) -> Result<Synced<SyncedUnit>> {
    read(
        Collection::Units,
        desk_partners(actor)?,
        lang,
        request,
        |q| async move { db.changed_units(&q).await },
        |u| {
            let item = SyncedUnit {
                info: u.record.info,
                updated_at: u.changed_at,
            };
            (u.change_seq, item)
        },
    )
    .await
}

/// Schools changed after the cursor (and at or after `updated_since`), in change order.
/// The school list is public (`GET /api/v1/schools`, the sign-up form), so anyone may
/// read it, anonymous too.
pub async fn schools(
    db: &Db,
    lang: Lang,
    request: &SyncRequest<'_>,
) -> Result<Synced<SyncedSchool>> {
    read(
        Collection::Schools,
        None,
        lang,
        request,
        |q| async move { db.changed_schools(&q).await },
        |s| {
            let item = SyncedSchool {
                school: s.school,
                updated_at: s.changed_at,
            };
            (s.change_seq, item)
        },
    )
    .await
}

/// The partner services whose people a partner admin sees, as `GET /api/v1/users` shows
/// them (`service::users::list`): `None` for all (admins); else the partner services they
/// manage. Anyone else: 401 anonymous, 403 signed in.
fn people_partners(actor: &Actor) -> Result<Option<Vec<PartnerId>>> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    if actor.is_admin() {
        return Ok(None);
    }
    let mut partners: Vec<PartnerId> = actor
        .grants
        .iter()
        .filter(|g| g.role == Role::PartnerAdmin)
        .filter_map(|g| g.partner)
        .filter(|p| allows(actor, Action::ManageCatalogueOf(*p)))
        .collect();
    partners.sort();
    partners.dedup();
    if partners.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Some(partners))
}

/// People changed after the cursor (and at or after `updated_since`), in change order:
/// admins everyone, partner admins the people holding a role at their partner services
/// (as the user administration lists them). An erased or removed person is a tombstone
/// (`deleted`, the id only). Signing in does not change a person.
pub async fn people(
    db: &Db,
    actor: &Actor,
    lang: Lang,
    request: &SyncRequest<'_>,
) -> Result<Synced<SyncedPerson>> {
    read(
        Collection::People,
        people_partners(actor)?,
        lang,
        request,
        |q| async move { db.changed_people(&q).await },
        |p| {
            let item = SyncedPerson {
                id: p.id,
                deleted: p.row.is_none(),
                person: p.row,
                updated_at: p.changed_at,
            };
            (p.change_seq, item)
        },
    )
    .await
}

/// Kit types changed after the cursor (and at or after `updated_since`), in change order.
/// The catalogue is public (`GET /api/v1/catalogue`), so anyone may read it, anonymous
/// too.
pub async fn kit_types(
    db: &Db,
    lang: Lang,
    request: &SyncRequest<'_>,
) -> Result<Synced<SyncedKitType>> {
    read(
        Collection::KitTypes,
        None,
        lang,
        request,
        |q| async move { db.changed_kit_types(&q).await },
        |k| {
            let item = SyncedKitType {
                kit_type: k.record,
                updated_at: k.changed_at,
            };
            (k.change_seq, item)
        },
    )
    .await
}
