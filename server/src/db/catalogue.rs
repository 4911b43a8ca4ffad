//! Catalogue reads: the search index, full-text hits, summaries and detail pages.

use super::{Db, DbResult};
use crate::domain::catalogue::{search_text, CatalogueIndex, IndexedKit, Named};
use leenpunt_shared::*;
use sqlx::Row;
use std::collections::HashMap;

/// The loan-rule columns, each falling back to the partner's default.
pub(crate) const RULES_SQL: &str =
    "coalesce(k.lead_days, p.lead_days), coalesce(k.horizon_days, p.horizon_days), \
     coalesce(k.min_loan_days, p.min_loan_days), coalesce(k.max_loan_days, p.max_loan_days), \
     coalesce(k.buffer_days, p.buffer_days), coalesce(k.max_per_school, p.max_per_school), \
     coalesce(k.needs_approval, p.needs_approval)";

impl Db {
    /// The catalogue's change counter (bumped by triggers on every relevant write).
    #[tracing::instrument(skip(self))]
    pub async fn catalogue_version(&self) -> DbResult<i64> {
        Ok(
            sqlx::query_scalar("SELECT version FROM catalogue_version WHERE id = 1")
                .fetch_one(self.pool())
                .await?,
        )
    }

    /// Loads what the search needs of every catalogue entry.
    #[tracing::instrument(skip(self))]
    pub async fn load_catalogue_index(&self) -> DbResult<CatalogueIndex> {
        let mut tx = self.pool().begin().await?;
        let mut themes: HashMap<i64, Vec<Theme>> = HashMap::new();
        for (id, code) in
            sqlx::query_as::<_, (i64, String)>("SELECT kit_type_id, theme FROM kit_type_themes")
                .fetch_all(&mut *tx)
                .await?
        {
            themes.entry(id).or_default().extend(Theme::parse(&code));
        }
        let mut levels: HashMap<i64, Vec<Level>> = HashMap::new();
        for (id, code) in
            sqlx::query_as::<_, (i64, String)>("SELECT kit_type_id, level FROM kit_type_levels")
                .fetch_all(&mut *tx)
                .await?
        {
            levels.entry(id).or_default().extend(Level::parse(&code));
        }
        let mut pickups: HashMap<i64, Vec<PickupPointId>> = HashMap::new();
        for (id, pp) in sqlx::query_as::<_, (i64, i64)>(
            "SELECT kit_type_id, pickup_point_id FROM kit_type_pickup_points",
        )
        .fetch_all(&mut *tx)
        .await?
        {
            pickups.entry(id).or_default().push(PickupPointId(pp));
        }
        type KitRow = (i64, String, String, i64, String, String, String, String);
        let kits = sqlx::query_as::<_, KitRow>(
            "SELECT k.id, k.title, k.kind, k.partner_id, k.created_at, k.summary, k.description, \
               p.name FROM kit_types k JOIN partners p ON p.id = k.partner_id",
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(
            |(id, title, kind, partner, created_at, summary, description, partner_name)| {
                let kind = KitKind::parse(&kind).unwrap_or(KitKind::LoanMaterial);
                let themes = themes.remove(&id).unwrap_or_default();
                let levels = levels.remove(&id).unwrap_or_default();
                IndexedKit {
                    text: search_text(
                        &[&summary, &description, &partner_name],
                        kind,
                        &themes,
                        &levels,
                    ),
                    id: KitTypeId(id),
                    title,
                    kind,
                    partner: PartnerId(partner),
                    themes,
                    levels,
                    pickups: pickups.remove(&id).unwrap_or_default(),
                    created_at,
                }
            },
        )
        .collect();
        let partners =
            sqlx::query_as::<_, (i64, String, String)>("SELECT id, slug, name FROM partners")
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .map(|(id, slug, name)| Named {
                    id: PartnerId(id),
                    slug,
                    name,
                })
                .collect();
        let points =
            sqlx::query_as::<_, (i64, String, String)>("SELECT id, slug, name FROM pickup_points")
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .map(|(id, slug, name)| Named {
                    id: PickupPointId(id),
                    slug,
                    name,
                })
                .collect();
        tx.commit().await?;
        Ok(CatalogueIndex::new(kits, partners, points))
    }

    /// Summaries of the given kit types, in the given order.
    #[tracing::instrument(skip(self, ids), fields(count = ids.len()))]
    pub async fn kit_summaries(&self, ids: &[KitTypeId]) -> DbResult<Vec<KitSummary>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids
            .iter()
            .map(|id| id.0.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "SELECT k.id, k.slug, k.title, k.summary, k.kind, p.id, p.slug, p.name, \
               (SELECT url FROM kit_photos f WHERE f.kit_type_id = k.id ORDER BY position LIMIT 1), \
               (SELECT alt FROM kit_photos f WHERE f.kit_type_id = k.id ORDER BY position LIMIT 1), \
               EXISTS (SELECT 1 FROM kit_type_trainings t WHERE t.kit_type_id = k.id), \
               (SELECT count(*) FROM units u WHERE u.kit_type_id = k.id AND u.status = 'in-dienst'), \
               (SELECT {} FROM kit_type_themes t WHERE t.kit_type_id = k.id), \
               (SELECT {} FROM kit_type_levels l WHERE l.kit_type_id = k.id), \
               (SELECT {} FROM kit_type_pickup_points x \
                  JOIN pickup_points pp ON pp.id = x.pickup_point_id WHERE x.kit_type_id = k.id) \
             FROM kit_types k JOIN partners p ON p.id = k.partner_id WHERE k.id IN ({list})",
            self.engine().group_concat("theme", "';'"),
            self.engine().group_concat("level", "';'"),
            self.engine().group_concat_ordered("pp.slug", "';'", "pp.slug"),
        );
        let mut by_id: HashMap<i64, KitSummary> = sqlx::query(&sql)
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(|r| {
                let id: i64 = r.get(0);
                let photo = r.get::<Option<String>, _>(8).map(|url| Photo {
                    url,
                    alt: r.get::<Option<String>, _>(9).unwrap_or_default(),
                });
                let summary = KitSummary {
                    id: KitTypeId(id),
                    slug: r.get(1),
                    title: r.get(2),
                    summary: r.get(3),
                    kind: KitKind::parse(r.get::<&str, _>(4)).unwrap_or(KitKind::LoanMaterial),
                    partner: PartnerRef {
                        id: PartnerId(r.get(5)),
                        slug: r.get(6),
                        name: r.get(7),
                    },
                    photo,
                    requires_training: r.get::<super::Flag, _>(10).0,
                    units_in_service: r.get::<i64, _>(11) as u32,
                    themes: sorted_codes(r.get::<Option<String>, _>(12), Theme::parse),
                    levels: sorted_codes(r.get::<Option<String>, _>(13), Level::parse),
                    pickup_points: r
                        .get::<Option<String>, _>(14)
                        .unwrap_or_default()
                        .split(';')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                };
                (id, summary)
            })
            .collect();
        Ok(ids.iter().filter_map(|id| by_id.remove(&id.0)).collect())
    }

    /// Everything the kit page shows, or `None` for an unknown slug.
    #[tracing::instrument(skip(self))]
    pub async fn kit_detail(&self, slug: &str) -> DbResult<Option<KitDetail>> {
        let sql = format!(
            "SELECT k.id, k.slug, k.title, k.summary, k.description, k.kind, k.external_url, \
               p.id, p.slug, p.name, p.description, p.website, p.email, p.phone, {RULES_SQL}, \
               (SELECT count(*) FROM units u WHERE u.kit_type_id = k.id AND u.status = 'in-dienst') \
             FROM kit_types k JOIN partners p ON p.id = k.partner_id WHERE k.slug = $1"
        );
        let Some(r) = sqlx::query(&sql)
            .bind(slug)
            .fetch_optional(self.pool())
            .await?
        else {
            return Ok(None);
        };
        let id: i64 = r.get(0);
        let n = |i: usize| r.get::<i64, _>(i) as u32;
        let mut detail = KitDetail {
            id: KitTypeId(id),
            slug: r.get(1),
            title: r.get(2),
            summary: r.get(3),
            description: r.get(4),
            kind: KitKind::parse(r.get::<&str, _>(5)).unwrap_or(KitKind::LoanMaterial),
            external_url: r.get(6),
            partner: Partner {
                id: PartnerId(r.get(7)),
                slug: r.get(8),
                name: r.get(9),
                description: r.get(10),
                website: r.get(11),
                email: r.get(12),
                phone: r.get(13),
            },
            loan_rules: LoanRules {
                lead_days: n(14),
                horizon_days: n(15),
                min_loan_days: n(16),
                max_loan_days: n(17),
                buffer_days: n(18),
                max_per_school: n(19),
                needs_approval: r.get::<crate::db::Flag, _>(20).0,
            },
            units_in_service: n(21),
            themes: Vec::new(),
            levels: Vec::new(),
            photos: Vec::new(),
            parts: Vec::new(),
            pickup_points: Vec::new(),
            required_trainings: Vec::new(),
        };
        self.fill_detail_lists(&mut detail).await?;
        Ok(Some(detail))
    }

    async fn fill_detail_lists(&self, d: &mut KitDetail) -> DbResult<()> {
        let id = d.id.0;
        let pool = self.pool();
        let themes: Vec<String> =
            sqlx::query_scalar("SELECT theme FROM kit_type_themes WHERE kit_type_id = $1")
                .bind(id)
                .fetch_all(pool)
                .await?;
        d.themes = sorted_codes(Some(themes.join(";")), Theme::parse);
        let levels: Vec<String> =
            sqlx::query_scalar("SELECT level FROM kit_type_levels WHERE kit_type_id = $1")
                .bind(id)
                .fetch_all(pool)
                .await?;
        d.levels = sorted_codes(Some(levels.join(";")), Level::parse);
        d.photos = sqlx::query_as::<_, (String, String)>(
            "SELECT url, alt FROM kit_photos WHERE kit_type_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(url, alt)| Photo { url, alt })
        .collect();
        d.parts = sqlx::query_as::<_, (String, i64)>(
            "SELECT name, expected_count FROM kit_parts WHERE kit_type_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(name, count)| Part {
            name,
            expected_count: count as u32,
        })
        .collect();
        d.pickup_points = sqlx::query_as::<_, (i64, String, String, i64, String, String, String, String)>(
            "SELECT pp.id, pp.slug, pp.name, pp.partner_id, pp.street, pp.postcode, pp.municipality, pp.opening_hours \
             FROM pickup_points pp JOIN kit_type_pickup_points k ON k.pickup_point_id = pp.id \
             WHERE k.kit_type_id = $1 ORDER BY pp.name",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(id, slug, name, partner, street, postcode, municipality, opening_hours)| PickupPoint {
            id: PickupPointId(id),
            slug,
            name,
            partner_id: PartnerId(partner),
            street,
            postcode,
            municipality,
            opening_hours,
        })
        .collect();
        d.required_trainings = sqlx::query_as::<_, (i64, String, String)>(
            "SELECT t.id, t.slug, t.title FROM training_types t \
             JOIN kit_type_trainings k ON k.training_type_id = t.id WHERE k.kit_type_id = $1 ORDER BY t.title",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|(id, slug, title)| TrainingRef { id: TrainingTypeId(id), slug, title })
        .collect();
        Ok(())
    }
}

/// Parses `;`-joined codes into enum values in declaration order.
fn sorted_codes<T: Ord>(joined: Option<String>, parse: fn(&str) -> Option<T>) -> Vec<T> {
    let mut v: Vec<T> = joined
        .unwrap_or_default()
        .split(';')
        .filter_map(parse)
        .collect();
    v.sort();
    v
}

/// A unit as its status change needs it.
#[derive(Debug, Clone)]
pub struct UnitRef {
    pub kit_slug: String,
    pub partner: PartnerId,
    pub status: UnitStatus,
}

/// A unit by inventory code, with its kit type and owner.
pub async fn unit_by_code(conn: &mut sqlx::AnyConnection, code: &str) -> DbResult<Option<UnitRef>> {
    Ok(sqlx::query_as::<_, (String, i64, String)>(
        "SELECT k.slug, k.partner_id, u.status FROM units u JOIN kit_types k ON k.id = u.kit_type_id \
         WHERE u.inventory_code = $1",
    )
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?
    .map(|(kit_slug, partner, status)| UnitRef {
        kit_slug,
        partner: PartnerId(partner),
        status: UnitStatus::parse(&status).unwrap_or(UnitStatus::InService),
    }))
}

pub async fn set_unit_status(
    conn: &mut sqlx::AnyConnection,
    code: &str,
    status: UnitStatus,
) -> DbResult<()> {
    sqlx::query("UPDATE units SET status = $1 WHERE inventory_code = $2")
        .bind(status.code())
        .bind(code)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The partner of a kit type, by slug.
pub async fn kit_partner(
    conn: &mut sqlx::AnyConnection,
    slug: &str,
) -> DbResult<Option<PartnerId>> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT partner_id FROM kit_types WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *conn)
            .await?
            .map(PartnerId),
    )
}

/// Adds a photo after a kit type's others.
pub async fn add_photo(
    conn: &mut sqlx::AnyConnection,
    slug: &str,
    url: &str,
    alt: &str,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO kit_photos (kit_type_id, position, url, alt) \
         SELECT k.id, coalesce((SELECT max(position) + 1 FROM kit_photos WHERE kit_type_id = k.id), 0), $1, $2 \
         FROM kit_types k WHERE k.slug = $3",
    )
    .bind(url)
    .bind(alt)
    .bind(slug)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
