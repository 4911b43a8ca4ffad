//! Catalogue writes: upserts by slug from validated import rows, and the CSV export.
//! Every function takes an open transaction; callers commit once for the whole file.

use super::{classify, Db, DbResult};
use crate::db::AsInt;
use crate::domain::import::{
    KitInput, PartnerInput, PickupPointInput, References, RuleOverrides, SchoolInput, TrainingInput,
};
use leenpunt_shared::PartnerId;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// Makes catalogue writes take turns on PostgreSQL: locks the `catalogue_version` row,
/// which every catalogue write raises anyway (a trigger), now instead of at the first
/// write. Without it, 100 saves of one kit at once read the same units, gave the same
/// "new" unit code to several saves and acknowledged them all with one unit added
/// (`api_kit_editor`). A no-op on SQLite (`BEGIN IMMEDIATE` serialises writers) and
/// outside a transaction.
pub async fn lock_catalogue(conn: &mut AnyConnection) -> DbResult<()> {
    super::lock_rows(conn, "catalogue_version", "id", 1_i64).await
}

/// How many rows an import created and updated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: u32,
    pub updated: u32,
}

/// What exists now, for checking an import's references. Inside a transaction the
/// catalogue is locked first ([`lock_catalogue`]): what is decided from these references
/// (which unit codes are new, which kit takes them) stays true until the commit.
pub async fn references(conn: &mut AnyConnection) -> DbResult<References> {
    lock_catalogue(conn).await?;
    let partners = sqlx::query_scalar::<_, String>("SELECT slug FROM partners")
        .fetch_all(&mut *conn)
        .await?;
    let pickups = sqlx::query_as::<_, (String, String)>(
        "SELECT pp.slug, p.slug FROM pickup_points pp JOIN partners p ON p.id = pp.partner_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let trainings = sqlx::query_scalar::<_, String>("SELECT slug FROM training_types")
        .fetch_all(&mut *conn)
        .await?;
    let units = sqlx::query_as::<_, (String, String)>(
        "SELECT u.inventory_code, k.slug FROM units u JOIN kit_types k ON k.id = u.kit_type_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let partner_loan_days = sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT slug, min_loan_days, max_loan_days FROM partners",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(slug, min, max)| (slug, (min as u32, max as u32)))
    .collect();
    Ok(References {
        kits_with_units: units.iter().map(|(_, kit)| kit.clone()).collect(),
        partner_loan_days,
        partners: partners.into_iter().collect(),
        pickup_points: pickups.into_iter().collect(),
        trainings: trainings.into_iter().collect(),
        units: units.into_iter().collect(),
    })
}

async fn ids_by_slug(conn: &mut AnyConnection, table: &str) -> DbResult<HashMap<String, i64>> {
    let sql = format!("SELECT slug, id FROM {table}");
    Ok(sqlx::query_as::<_, (String, i64)>(&sql)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect())
}

pub async fn upsert_partners(
    conn: &mut AnyConnection,
    rows: &[PartnerInput],
) -> DbResult<ImportCounts> {
    let mut counts = ImportCounts::default();
    for p in rows {
        let existed = exists(conn, "partners", p.slug.as_str()).await?;
        let r = p.rules;
        sqlx::query(
            "INSERT INTO partners (slug, name, description, website, email, phone, lead_days, horizon_days, \
               min_loan_days, max_loan_days, buffer_days, max_per_school, needs_approval, pickup_reminder_days) \
             VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, 2), coalesce($8, 365), coalesce($9, 1), coalesce($10, 21), \
               coalesce($11, 1), coalesce($12, 1), coalesce($13, 0), coalesce($14, 2)) \
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, description = excluded.description, \
               website = excluded.website, email = excluded.email, phone = excluded.phone, \
               lead_days = excluded.lead_days, horizon_days = excluded.horizon_days, \
               min_loan_days = excluded.min_loan_days, max_loan_days = excluded.max_loan_days, \
               buffer_days = excluded.buffer_days, max_per_school = excluded.max_per_school, \
               needs_approval = excluded.needs_approval, \
               pickup_reminder_days = excluded.pickup_reminder_days",
        )
        .bind(p.slug.as_str())
        .bind(&p.name)
        .bind(&p.description)
        .bind(&p.website)
        .bind(&p.email)
        .bind(&p.phone)
        .bind(r.lead_days.int())
        .bind(r.horizon_days.int())
        .bind(r.min_loan_days.int())
        .bind(r.max_loan_days.int())
        .bind(r.buffer_days.int())
        .bind(r.max_per_school.int())
        .bind(r.needs_approval.int())
        .bind(p.pickup_reminder_days.int())
        .execute(&mut *conn)
        .await
        .map_err(classify)?;
        count(&mut counts, existed);
    }
    Ok(counts)
}

pub async fn upsert_pickup_points(
    conn: &mut AnyConnection,
    rows: &[PickupPointInput],
) -> DbResult<ImportCounts> {
    let partners = ids_by_slug(conn, "partners").await?;
    let mut counts = ImportCounts::default();
    for p in rows {
        let existed = exists(conn, "pickup_points", p.slug.as_str()).await?;
        sqlx::query(
            "INSERT INTO pickup_points (slug, partner_id, name, street, postcode, municipality, opening_hours) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (slug) DO UPDATE SET partner_id = excluded.partner_id, name = excluded.name, \
               street = excluded.street, postcode = excluded.postcode, municipality = excluded.municipality, \
               opening_hours = excluded.opening_hours",
        )
        .bind(p.slug.as_str())
        .bind(partners.get(&p.partner))
        .bind(&p.name)
        .bind(&p.street)
        .bind(&p.postcode)
        .bind(&p.municipality)
        .bind(&p.opening_hours)
        .execute(&mut *conn)
        .await
        .map_err(classify)?;
        count(&mut counts, existed);
    }
    Ok(counts)
}

pub async fn upsert_trainings(
    conn: &mut AnyConnection,
    rows: &[TrainingInput],
) -> DbResult<ImportCounts> {
    let partners = ids_by_slug(conn, "partners").await?;
    let mut counts = ImportCounts::default();
    for t in rows {
        let existed = exists(conn, "training_types", t.slug.as_str()).await?;
        sqlx::query(
            "INSERT INTO training_types (slug, partner_id, title, description, duration_minutes, validity_months) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (slug) DO UPDATE SET partner_id = excluded.partner_id, title = excluded.title, \
               description = excluded.description, duration_minutes = excluded.duration_minutes, \
               validity_months = excluded.validity_months",
        )
        .bind(t.slug.as_str())
        .bind(partners.get(&t.partner))
        .bind(&t.title)
        .bind(&t.description)
        .bind(t.duration_minutes.int())
        .bind(t.validity_months.int())
        .execute(&mut *conn)
        .await
        .map_err(classify)?;
        count(&mut counts, existed);
    }
    Ok(counts)
}

pub async fn upsert_schools(
    conn: &mut AnyConnection,
    rows: &[SchoolInput],
) -> DbResult<ImportCounts> {
    let mut counts = ImportCounts::default();
    for s in rows {
        let number = s.number.to_string();
        let super::Flag(existed) = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM schools WHERE instellingsnummer = $1)",
        )
        .bind(&number)
        .fetch_one(&mut *conn)
        .await?;
        let levels = s
            .levels
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join(";");
        sqlx::query(
            "INSERT INTO schools (instellingsnummer, name, street, postcode, municipality, network, levels) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (instellingsnummer) DO UPDATE SET name = excluded.name, street = excluded.street, \
               postcode = excluded.postcode, municipality = excluded.municipality, \
               network = excluded.network, levels = excluded.levels",
        )
        .bind(&number)
        .bind(&s.name)
        .bind(&s.street)
        .bind(&s.postcode)
        .bind(&s.municipality)
        .bind(&s.network)
        .bind(levels)
        .execute(&mut *conn)
        .await
        .map_err(classify)?;
        count(&mut counts, existed);
    }
    Ok(counts)
}

/// Creates or updates kit types by slug, replacing their lists, adding units and updating
/// the status of units they already own.
pub async fn upsert_kits(
    conn: &mut AnyConnection,
    rows: &[KitInput],
    now: &str,
) -> DbResult<ImportCounts> {
    let partners = ids_by_slug(conn, "partners").await?;
    let pickups = ids_by_slug(conn, "pickup_points").await?;
    let trainings = ids_by_slug(conn, "training_types").await?;
    let mut counts = ImportCounts::default();
    for k in rows {
        let existed = exists(conn, "kit_types", k.slug.as_str()).await?;
        let partner_id = partners.get(&k.partner).copied();
        let id = upsert_kit_row(conn, k, partner_id, now).await?;
        replace_lists(conn, id, k, &pickups, &trainings).await?;
        upsert_units(conn, id, k, now).await?;
        count(&mut counts, existed);
    }
    Ok(counts)
}

async fn upsert_kit_row(
    conn: &mut AnyConnection,
    k: &KitInput,
    partner: Option<i64>,
    now: &str,
) -> DbResult<i64> {
    let RuleOverrides {
        lead_days,
        horizon_days,
        min_loan_days,
        max_loan_days,
        buffer_days,
        max_per_school,
        needs_approval,
    } = k.rules;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO kit_types (slug, title, summary, description, kind, partner_id, external_url, lead_days, \
           horizon_days, min_loan_days, max_loan_days, buffer_days, max_per_school, needs_approval, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
         ON CONFLICT (slug) DO UPDATE SET title = excluded.title, summary = excluded.summary, \
           description = excluded.description, kind = excluded.kind, partner_id = excluded.partner_id, \
           external_url = excluded.external_url, lead_days = excluded.lead_days, horizon_days = excluded.horizon_days, \
           min_loan_days = excluded.min_loan_days, max_loan_days = excluded.max_loan_days, \
           buffer_days = excluded.buffer_days, max_per_school = excluded.max_per_school, \
           needs_approval = excluded.needs_approval, updated_at = excluded.updated_at \
         RETURNING id",
    )
    .bind(k.slug.as_str())
    .bind(&k.title)
    .bind(&k.summary)
    .bind(&k.description)
    .bind(k.kind.code())
    .bind(partner)
    .bind(&k.external_url)
    .bind(lead_days.int())
    .bind(horizon_days.int())
    .bind(min_loan_days.int())
    .bind(max_loan_days.int())
    .bind(buffer_days.int())
    .bind(max_per_school.int())
    .bind(needs_approval.int())
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(classify)?;
    Ok(id)
}

async fn replace_lists(
    conn: &mut AnyConnection,
    id: i64,
    k: &KitInput,
    pickups: &HashMap<String, i64>,
    trainings: &HashMap<String, i64>,
) -> DbResult<()> {
    for table in [
        "kit_type_themes",
        "kit_type_levels",
        "kit_type_pickup_points",
        "kit_type_trainings",
        "kit_parts",
        "kit_photos",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE kit_type_id = $1"))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    for t in &k.themes {
        sqlx::query("INSERT INTO kit_type_themes (kit_type_id, theme) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(t.code())
            .execute(&mut *conn)
            .await?;
    }
    for l in &k.levels {
        sqlx::query("INSERT INTO kit_type_levels (kit_type_id, level) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(l.code())
            .execute(&mut *conn)
            .await?;
    }
    for p in &k.pickup_points {
        sqlx::query("INSERT INTO kit_type_pickup_points (kit_type_id, pickup_point_id) SELECT $1, $2 WHERE $2 IS NOT NULL ON CONFLICT DO NOTHING")
            .bind(id).bind(pickups.get(p)).execute(&mut *conn).await?;
    }
    for t in &k.trainings {
        sqlx::query("INSERT INTO kit_type_trainings (kit_type_id, training_type_id) SELECT $1, $2 WHERE $2 IS NOT NULL ON CONFLICT DO NOTHING")
            .bind(id).bind(trainings.get(t)).execute(&mut *conn).await?;
    }
    for (i, p) in k.parts.iter().enumerate() {
        sqlx::query("INSERT INTO kit_parts (kit_type_id, position, name, expected_count) VALUES ($1, $2, $3, $4)")
            .bind(id).bind(i as i64).bind(&p.name).bind(p.expected_count.int()).execute(&mut *conn).await?;
    }
    for (i, p) in k.photos.iter().enumerate() {
        sqlx::query(
            "INSERT INTO kit_photos (kit_type_id, position, url, alt) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(&p.url)
        .bind(&p.alt)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn upsert_units(conn: &mut AnyConnection, id: i64, k: &KitInput, now: &str) -> DbResult<()> {
    for (code, status) in &k.units {
        // The WHERE keeps a unit from silently moving to another kit type; the import's
        // reference check already refused that, so this is a second line of defence.
        let changed = sqlx::query(
            "INSERT INTO units (kit_type_id, inventory_code, status, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (inventory_code) DO UPDATE SET status = excluded.status \
             WHERE units.kit_type_id = excluded.kit_type_id",
        )
        .bind(id)
        .bind(code.as_str())
        .bind(status.code())
        .bind(now)
        .execute(&mut *conn)
        .await
        .map_err(classify)?;
        if changed.rows_affected() == 0 {
            return Err(super::DbError::Conflict(format!(
                "unit {code} belongs to another kit type"
            )));
        }
    }
    Ok(())
}

async fn exists(conn: &mut AnyConnection, table: &str, slug: &str) -> DbResult<bool> {
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE slug = $1)");
    let found: super::Flag = sqlx::query_scalar(&sql)
        .bind(slug)
        .fetch_one(&mut *conn)
        .await?;
    Ok(found.0)
}

fn count(counts: &mut ImportCounts, existed: bool) {
    if existed {
        counts.updated += 1;
    } else {
        counts.created += 1;
    }
}

impl Db {
    /// The catalogue as CSV rows, in `CATALOGUE_COLUMNS` order, sorted by slug.
    #[tracing::instrument(skip(self))]
    pub async fn export_catalogue(&self) -> DbResult<Vec<Vec<String>>> {
        let e = self.engine();
        // `from` names the table whose `kit_type_id` is k's as `x`.
        let joined = |from: &str, expr: &str, order: &str| {
            format!(
                "(SELECT {} FROM {from} WHERE x.kit_type_id = k.id)",
                e.group_concat_ordered(expr, "';'", order)
            )
        };
        let sql = format!(
            "SELECT k.slug, k.title, k.kind, p.slug, {themes}, {levels}, k.summary, k.description, {parts}, {pickups}, \
               {trainings}, {photos}, coalesce(k.external_url, ''), {units}, k.lead_days, k.horizon_days, \
               k.min_loan_days, k.max_loan_days, k.buffer_days, k.max_per_school, k.needs_approval \
             FROM kit_types k JOIN partners p ON p.id = k.partner_id ORDER BY k.slug",
            themes = joined("kit_type_themes x", "theme", "theme"),
            levels = joined("kit_type_levels x", "level", "level"),
            parts = joined("kit_parts x", "name || ':' || expected_count", "position"),
            pickups = joined(
                "kit_type_pickup_points x JOIN pickup_points pp ON pp.id = x.pickup_point_id",
                "pp.slug",
                "pp.slug"
            ),
            trainings = joined(
                "kit_type_trainings x JOIN training_types t ON t.id = x.training_type_id",
                "t.slug",
                "t.slug"
            ),
            photos = joined("kit_photos x", "url || '|' || alt", "position"),
            units = joined(
                "units x",
                "inventory_code || CASE status WHEN 'in-dienst' THEN '' ELSE '=' || status END",
                "inventory_code"
            ),
        );
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        use sqlx::Row;
        Ok(rows
            .iter()
            .map(|r| {
                (0..21)
                    .map(|i| match r.try_get::<Option<String>, _>(i) {
                        Ok(v) => v.unwrap_or_default(),
                        Err(_) => r
                            .get::<Option<i64>, _>(i)
                            .map(|n| n.to_string())
                            .unwrap_or_default(),
                    })
                    .collect()
            })
            .collect())
    }
}

/// The registers managed through screens, with the same columns as their CSV imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    Schools,
    Partners,
    PickupPoints,
}

impl Db {
    /// A register's records in its CSV column order, with the partner each belongs to.
    pub async fn register_rows(
        &self,
        register: Register,
    ) -> DbResult<Vec<(Option<PartnerId>, Vec<String>)>> {
        let sql = match register {
            Register::Schools => {
                "SELECT NULL, instellingsnummer, name, street, postcode, municipality, network, levels \
                 FROM schools ORDER BY name, instellingsnummer"
            }
            Register::Partners => {
                "SELECT id, slug, name, description, coalesce(website, ''), coalesce(email, ''), coalesce(phone, ''), \
                   lead_days, horizon_days, min_loan_days, max_loan_days, buffer_days, max_per_school, needs_approval, \
                   pickup_reminder_days \
                 FROM partners ORDER BY name"
            }
            Register::PickupPoints => {
                "SELECT pp.partner_id, pp.slug, p.slug, pp.name, pp.street, pp.postcode, pp.municipality, pp.opening_hours \
                 FROM pickup_points pp JOIN partners p ON p.id = pp.partner_id ORDER BY p.name, pp.name"
            }
        };
        let rows = sqlx::query(sql).fetch_all(self.pool()).await?;
        Ok(rows
            .iter()
            .map(|r| {
                let partner = r.get::<Option<i64>, _>(0).map(PartnerId);
                let cells = (1..r.len())
                    .map(|i| {
                        r.try_get::<String, _>(i)
                            .or_else(|_| r.try_get::<i64, _>(i).map(|n| n.to_string()))
                            .unwrap_or_default()
                    })
                    .collect();
                (partner, cells)
            })
            .collect())
    }
}
