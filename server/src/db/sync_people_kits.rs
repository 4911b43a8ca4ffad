//! Reads for the people and kit-type sync collections: rows in change order
//! (`change_seq`, kept by the triggers of migration `20261201000110_sync_people_kits`),
//! after a cursor, changed at or after an instant. Portable SQL with `$n` placeholders;
//! the partner services a partner admin may see are ids, written into the statement.

use super::sync::{ChangeQuery, ChangeSummary};
use super::{Conn, Db, DbResult};
use leenpunt_shared::admin::{UserRole, UserRow};
use leenpunt_shared::sync::{KitTypeRecord, LoanRuleOverrides};
use leenpunt_shared::*;
use sqlx::Row;
use std::collections::HashMap;

/// A row of whichever engine `Conn` is (nothing here names an engine).
type DbRow = <<Conn as sqlx::Connection>::Database as sqlx::Database>::Row;

/// A person in the change sequence: their row, or (erased, removed) only their id.
#[derive(Debug, Clone)]
pub struct ChangedPerson {
    pub id: UserId,
    /// `None`: erased or removed.
    pub row: Option<UserRow>,
    pub change_seq: i64,
    pub changed_at: String,
}

/// A kit type in the change sequence.
#[derive(Debug, Clone)]
pub struct ChangedKitType {
    pub record: KitTypeRecord,
    pub change_seq: i64,
    pub changed_at: String,
}

/// `0, 3, 5`: ids for an `IN (…)` (a 0 first, so an empty list is valid and matches nothing).
fn id_list(ids: impl IntoIterator<Item = i64>) -> String {
    std::iter::once(0)
        .chain(ids)
        .map(|id| id.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// People a partner admin may see: those holding a role other than teacher at one of
/// their partner services (as `service::users::list`). Nothing for admins.
fn people_filter(f: &ChangeQuery) -> String {
    match &f.partners {
        None => String::new(),
        Some(partners) => format!(
            " AND EXISTS (SELECT 1 FROM user_roles vr WHERE vr.user_id = u.id \
               AND vr.role <> 'teacher' AND vr.partner_id IN ({}))",
            id_list(partners.iter().map(|p| p.0))
        ),
    }
}

fn summary(row: &DbRow) -> ChangeSummary {
    ChangeSummary {
        count: row.get(0),
        max_seq: row.get(1),
    }
}

impl Db {
    /// One page of people in change order (removed accounts as tombstones, for admins
    /// only), and the summary of the whole filtered set, read in one snapshot.
    pub async fn changed_people(
        &self,
        f: &ChangeQuery,
    ) -> DbResult<(Vec<ChangedPerson>, ChangeSummary)> {
        let mut conn = self.read().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let page = people_page(&mut tx, f).await?;
        tx.commit().await?;
        Ok(page)
    }

    /// One page of kit types in change order, and the summary of the whole filtered set,
    /// read in one snapshot (the catalogue is public: no partner filter applies).
    pub async fn changed_kit_types(
        &self,
        f: &ChangeQuery,
    ) -> DbResult<(Vec<ChangedKitType>, ChangeSummary)> {
        let mut conn = self.read().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let page = kit_types_page(&mut tx, f).await?;
        tx.commit().await?;
        Ok(page)
    }
}

async fn people_page(
    conn: &mut Conn,
    f: &ChangeQuery,
) -> DbResult<(Vec<ChangedPerson>, ChangeSummary)> {
    let filter = people_filter(f);
    // Removed accounts cannot be placed at a partner service any more: admins only.
    let gone = if f.partners.is_none() {
        ""
    } else {
        " AND 1 = 0"
    };
    let row = sqlx::query(&format!(
        "SELECT count(*), coalesce(max(x.change_seq), 0) FROM ( \
           SELECT u.change_seq FROM users u WHERE ($1 IS NULL OR u.changed_at >= $1){filter} \
           UNION ALL \
           SELECT g.change_seq FROM sync_gone_users g WHERE ($1 IS NULL OR g.changed_at >= $1){gone} \
         ) x"
    ))
    .bind(f.since.clone())
    .fetch_one(&mut *conn)
    .await?;
    let summary = summary(&row);
    let limit = i64::from(f.limit.clamp(1, 1000));
    let rows = sqlx::query(&format!(
        "SELECT u.id, u.name, u.email, u.confirmed_at, u.disabled_at, u.erased_at, \
           u.change_seq, u.changed_at FROM users u \
         WHERE u.change_seq > $1 AND ($2 IS NULL OR u.changed_at >= $2){filter} \
         ORDER BY u.change_seq LIMIT $3"
    ))
    .bind(f.after)
    .bind(f.since.clone())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut people: Vec<ChangedPerson> = rows
        .iter()
        .map(|r| {
            let id = UserId(r.get(0));
            let erased = r.get::<Option<String>, _>(5).is_some();
            ChangedPerson {
                id,
                row: (!erased).then(|| UserRow {
                    id,
                    name: r.get(1),
                    email: r.get(2),
                    confirmed: r.get::<Option<String>, _>(3).is_some(),
                    disabled: r.get::<Option<String>, _>(4).is_some(),
                    roles: Vec::new(),
                }),
                change_seq: r.get(6),
                changed_at: r.get(7),
            }
        })
        .collect();
    let gone = sqlx::query(&format!(
        "SELECT g.user_id, g.change_seq, g.changed_at FROM sync_gone_users g \
         WHERE g.change_seq > $1 AND ($2 IS NULL OR g.changed_at >= $2){gone} \
         ORDER BY g.change_seq LIMIT $3"
    ))
    .bind(f.after)
    .bind(f.since.clone())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    people.extend(gone.iter().map(|r| ChangedPerson {
        id: UserId(r.get(0)),
        row: None,
        change_seq: r.get(1),
        changed_at: r.get(2),
    }));
    people.sort_by_key(|p| p.change_seq);
    people.truncate(limit as usize);
    fill_roles(conn, &mut people).await?;
    Ok((people, summary))
}

/// The roles of the page's people, with their scope's name, in the order they were given.
async fn fill_roles(conn: &mut Conn, people: &mut [ChangedPerson]) -> DbResult<()> {
    let ids = id_list(people.iter().filter(|p| p.row.is_some()).map(|p| p.id.0));
    let rows = sqlx::query(&format!(
        "SELECT r.user_id, r.id, r.role, coalesce(s.name, p.name, '') FROM user_roles r \
           LEFT JOIN schools s ON s.id = r.school_id LEFT JOIN partners p ON p.id = r.partner_id \
         WHERE r.user_id IN ({ids}) ORDER BY r.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut by_person: HashMap<i64, Vec<UserRole>> = HashMap::new();
    for r in &rows {
        if let Some(role) = Role::parse(&r.get::<String, _>(2)) {
            by_person.entry(r.get(0)).or_default().push(UserRole {
                id: r.get(1),
                role,
                scope: r.get(3),
            });
        }
    }
    for person in people.iter_mut() {
        if let Some(row) = &mut person.row {
            row.roles = by_person.remove(&person.id.0).unwrap_or_default();
        }
    }
    Ok(())
}

async fn kit_types_page(
    conn: &mut Conn,
    f: &ChangeQuery,
) -> DbResult<(Vec<ChangedKitType>, ChangeSummary)> {
    let row = sqlx::query(
        "SELECT count(*), coalesce(max(k.change_seq), 0) FROM kit_types k \
         WHERE ($1 IS NULL OR k.changed_at >= $1)",
    )
    .bind(f.since.clone())
    .fetch_one(&mut *conn)
    .await?;
    let summary = summary(&row);
    let rows = sqlx::query(
        "SELECT k.id, k.slug, k.title, k.summary, k.description, k.kind, k.partner_id, \
           k.external_url, k.lead_days, k.horizon_days, k.min_loan_days, k.max_loan_days, \
           k.buffer_days, k.max_per_school, k.needs_approval, k.change_seq, k.changed_at \
         FROM kit_types k WHERE k.change_seq > $1 AND ($2 IS NULL OR k.changed_at >= $2) \
         ORDER BY k.change_seq LIMIT $3",
    )
    .bind(f.after)
    .bind(f.since.clone())
    .bind(i64::from(f.limit.clamp(1, 1000)))
    .fetch_all(&mut *conn)
    .await?;
    let mut kits: Vec<ChangedKitType> = rows.iter().map(kit_type).collect();
    fill_kit_lists(conn, &mut kits).await?;
    Ok((kits, summary))
}

fn kit_type(r: &DbRow) -> ChangedKitType {
    let days = |i: usize| r.get::<Option<i64>, _>(i).map(|n| n.max(0) as u32);
    ChangedKitType {
        record: KitTypeRecord {
            id: KitTypeId(r.get(0)),
            slug: r.get(1),
            title: r.get(2),
            summary: r.get(3),
            description: r.get(4),
            kind: KitKind::parse(&r.get::<String, _>(5)).unwrap_or(KitKind::LoanMaterial),
            partner_id: PartnerId(r.get(6)),
            external_url: r.get(7),
            themes: Vec::new(),
            levels: Vec::new(),
            photos: Vec::new(),
            parts: Vec::new(),
            pickup_point_ids: Vec::new(),
            required_training_ids: Vec::new(),
            loan_rules: LoanRuleOverrides {
                lead_days: days(8),
                horizon_days: days(9),
                min_loan_days: days(10),
                max_loan_days: days(11),
                buffer_days: days(12),
                max_per_school: days(13),
                needs_approval: r.get::<Option<i64>, _>(14).map(|n| n != 0),
            },
        },
        change_seq: r.get(15),
        changed_at: r.get(16),
    }
}

/// `(kit type id, value, …)` rows of one of the kit types' lists, for the page's kit types.
async fn list_rows(conn: &mut Conn, select: &str, ids: &str, order: &str) -> DbResult<Vec<DbRow>> {
    Ok(sqlx::query(&format!(
        "{select} WHERE kit_type_id IN ({ids}) ORDER BY {order}"
    ))
    .fetch_all(&mut *conn)
    .await?)
}

/// Hands each row (kit type id first) to its kit type on the page.
fn distribute(
    kits: &mut [ChangedKitType],
    rows: &[DbRow],
    mut put: impl FnMut(&mut KitTypeRecord, &DbRow),
) {
    let at: HashMap<i64, usize> = kits
        .iter()
        .enumerate()
        .map(|(i, k)| (k.record.id.0, i))
        .collect();
    for r in rows {
        if let Some(&i) = at.get(&r.get::<i64, _>(0)) {
            put(&mut kits[i].record, r);
        }
    }
}

/// Themes, levels, photos, parts, pickup points and required trainings of the page's kit
/// types.
async fn fill_kit_lists(conn: &mut Conn, kits: &mut [ChangedKitType]) -> DbResult<()> {
    let ids = id_list(kits.iter().map(|k| k.record.id.0));
    let rows = list_rows(
        conn,
        "SELECT kit_type_id, theme FROM kit_type_themes",
        &ids,
        "kit_type_id",
    )
    .await?;
    distribute(kits, &rows, |k, r| {
        k.themes.extend(Theme::parse(&r.get::<String, _>(1)))
    });
    let rows = list_rows(
        conn,
        "SELECT kit_type_id, level FROM kit_type_levels",
        &ids,
        "kit_type_id",
    )
    .await?;
    distribute(kits, &rows, |k, r| {
        k.levels.extend(Level::parse(&r.get::<String, _>(1)))
    });
    let rows = list_rows(
        conn,
        "SELECT kit_type_id, url, alt FROM kit_photos",
        &ids,
        "kit_type_id, position",
    )
    .await?;
    distribute(kits, &rows, |k, r| {
        k.photos.push(Photo {
            url: r.get(1),
            alt: r.get(2),
        })
    });
    let rows = list_rows(
        conn,
        "SELECT kit_type_id, name, expected_count FROM kit_parts",
        &ids,
        "kit_type_id, position",
    )
    .await?;
    distribute(kits, &rows, |k, r| {
        k.parts.push(Part {
            name: r.get(1),
            expected_count: r.get::<i64, _>(2).max(0) as u32,
        })
    });
    let rows = list_rows(
        conn,
        "SELECT kit_type_id, pickup_point_id FROM kit_type_pickup_points",
        &ids,
        "kit_type_id, pickup_point_id",
    )
    .await?;
    distribute(kits, &rows, |k, r| {
        k.pickup_point_ids.push(PickupPointId(r.get(1)))
    });
    let rows = list_rows(
        conn,
        "SELECT kit_type_id, training_type_id FROM kit_type_trainings",
        &ids,
        "kit_type_id, training_type_id",
    )
    .await?;
    distribute(kits, &rows, |k, r| {
        k.required_training_ids.push(TrainingTypeId(r.get(1)))
    });
    for k in kits.iter_mut() {
        k.record.themes.sort();
        k.record.levels.sort();
    }
    Ok(())
}
