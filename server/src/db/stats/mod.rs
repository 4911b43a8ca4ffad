//! "In cijfers": the loans as narrow rows, and aggregate queries over units, the waiting
//! list, maintenance and trainings.
//!
//! A loan is a reservation that was picked up (`afgehaald` or `teruggebracht`), counted in
//! the period that holds its pickup day; its unit-days are its quantity times its days
//! from pickup through return. `stats_months` holds a version per calendar month of pickup
//! days, raised by triggers in every transaction that changes what a loan row says, so a
//! month's rows can be kept and checked with one small read.

use super::{Db, DbResult};
use crate::domain::stats::loans::{KitRef, LoanRow, Names, PartnerRef, SchoolRef};
use crate::domain::stats::{DemandTally, Measures, Period, QualityTally, TrainingTally};
use chrono::NaiveDate;
use leenpunt_shared::PartnerId;

impl Db {
    /// The loans picked up from `from` through `to`, one narrow row each.
    #[tracing::instrument(skip(self))]
    pub async fn loan_rows(&self, from: NaiveDate, to: NaiveDate) -> DbResult<Vec<LoanRow>> {
        let mut conn = self.read().await?;
        let e = super::Engine::of(&conn);
        let sql = format!(
            "SELECT pickup_date, kit_type_id, school_id, \
               CAST(quantity * ({} - {} + 1) AS BIGINT) \
             FROM reservations WHERE status IN ('afgehaald', 'teruggebracht') \
               AND pickup_date BETWEEN $1 AND $2",
            e.julian("return_date"),
            e.julian("pickup_date"),
        );
        let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(&sql)
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&mut *conn)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(day, kit, school, unit_days)| {
                Some(LoanRow {
                    day: NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?,
                    kit,
                    school,
                    unit_days,
                })
            })
            .collect())
    }

    /// The version of each month (`YYYY-MM`) from `first` through `last` that ever had a
    /// reservation; a month not listed has none.
    pub async fn loan_month_versions(
        &self,
        first: &str,
        last: &str,
    ) -> DbResult<Vec<(String, i64)>> {
        let mut conn = self.read().await?;
        Ok(sqlx::query_as(
            "SELECT month, version FROM stats_months WHERE month BETWEEN $1 AND $2 ORDER BY month",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?)
    }

    /// The kit types, partner services and schools the tallies name.
    pub async fn stats_names(&self) -> DbResult<Names> {
        let mut conn = self.read().await?;
        let kits: Vec<(i64, String, String, i64)> =
            sqlx::query_as("SELECT id, slug, title, partner_id FROM kit_types")
                .fetch_all(&mut *conn)
                .await?;
        let partners: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, slug, name FROM partners")
                .fetch_all(&mut *conn)
                .await?;
        let schools: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, levels, municipality FROM schools")
                .fetch_all(&mut *conn)
                .await?;
        Ok(Names {
            kits: kits
                .into_iter()
                .map(|(id, slug, title, partner)| {
                    (
                        id,
                        KitRef {
                            slug,
                            title,
                            partner,
                        },
                    )
                })
                .collect(),
            partners: partners
                .into_iter()
                .map(|(id, slug, name)| (id, PartnerRef { slug, name }))
                .collect(),
            schools: schools
                .into_iter()
                .map(|(id, levels, municipality)| {
                    (
                        id,
                        SchoolRef {
                            levels,
                            municipality,
                        },
                    )
                })
                .collect(),
        })
    }

    /// Everything but the loans of one period, for some partner services (`None`: all).
    #[tracing::instrument(skip(self))]
    pub async fn period_measures(
        &self,
        period: Period,
        partners: Option<&[PartnerId]>,
    ) -> DbResult<Measures> {
        let mut conn = self.read().await?;
        Ok(Measures {
            in_service: unit_days_in_service(&mut conn, period, partners).await?,
            demand: demand(&mut conn, period, partners).await?,
            quality: quality(&mut conn, period, partners).await?,
            trainings: trainings(&mut conn, period, partners).await?,
        })
    }

    /// The names of these partner services, by name.
    pub async fn partner_names(&self, partners: &[PartnerId]) -> DbResult<Vec<String>> {
        let mut q = crate::db::SqlBuilder::new("SELECT name FROM partners WHERE 1 = 1");
        super::push_in(&mut q, "id", partners.iter().map(|p| p.0));
        q.push(" ORDER BY name");
        let mut conn = self.read().await?;
        Ok(q.build_query_scalar().fetch_all(&mut *conn).await?)
    }

    /// A number that changes whenever anything the figures are made of changes
    /// (maintained by triggers), so cached figures can be checked cheaply.
    pub async fn stats_version(&self) -> DbResult<i64> {
        let mut conn = self.read().await?;
        Ok(
            sqlx::query_scalar("SELECT version FROM stats_version WHERE id = 1")
                .fetch_one(&mut *conn)
                .await?,
        )
    }
}

/// One row of numbers from `select` + the period test on `day` + the partner filter on
/// `partner_column`, with `tail` after it; SQL `total()` sums come back as reals.
async fn numbers<const N: usize>(
    conn: &mut super::Conn,
    select: &str,
    day: &str,
    partner_column: &str,
    tail: &str,
    period: Period,
    partners: Option<&[PartnerId]>,
) -> DbResult<[i64; N]> {
    let mut q = crate::db::SqlBuilder::new(select);
    q.push(" AND ")
        .push(day)
        .push(" BETWEEN ")
        .push_bind(period.from().to_string())
        .push(" AND ")
        .push_bind(period.to().to_string());
    if let Some(partners) = partners {
        super::push_in(&mut q, partner_column, partners.iter().map(|p| p.0));
    }
    q.push(tail);
    let row = q.build().fetch_one(&mut *conn).await?;
    let mut out = [0i64; N];
    for (i, slot) in out.iter_mut().enumerate() {
        use sqlx::Row;
        *slot = match row.try_get::<i64, _>(i) {
            Ok(v) => v,
            Err(_) => row.try_get::<f64, _>(i)?.round() as i64,
        };
    }
    Ok(out)
}

/// No-shows and late returns (by pickup day), returns with parts missing and maintenance
/// (by the ticket's opening day).
async fn quality(
    conn: &mut super::Conn,
    period: Period,
    partners: Option<&[PartnerId]>,
) -> DbResult<QualityTally> {
    let [no_shows] = numbers(
        conn,
        "SELECT count(*) FROM reservations r JOIN kit_types k ON k.id = r.kit_type_id \
         WHERE r.status = 'niet-afgehaald'",
        "r.pickup_date",
        "k.partner_id",
        "",
        period,
        partners,
    )
    .await?;
    let e = super::Engine::of(conn);
    let late_days_sql = format!(
        "SELECT count(*), {} \
         FROM loan_lines l JOIN reservations r ON r.id = l.reservation_id \
         JOIN kit_types k ON k.id = r.kit_type_id WHERE l.late = 1 AND l.returned_at IS NOT NULL",
        e.total(&e.greatest(
            "0",
            &format!(
                "{} - {}",
                e.julian("substr(l.returned_at, 1, 10)"),
                e.julian("r.return_date")
            )
        )),
    );
    let [late_returns, late_days] = numbers(
        conn,
        &late_days_sql,
        "r.pickup_date",
        "k.partner_id",
        "",
        period,
        partners,
    )
    .await?;
    let tickets_sql = format!(
        "SELECT count(*), {}, count(t.closed_at), {} \
         FROM maintenance_tickets t JOIN units u ON u.id = t.unit_id \
         JOIN kit_types k ON k.id = u.kit_type_id WHERE 1 = 1",
        e.total("CASE WHEN t.reservation_id IS NOT NULL AND t.shortfall <> '[]' THEN 1 ELSE 0 END"),
        e.total(&format!(
            "({} - {}) * 24",
            e.julian("t.closed_at"),
            e.julian("t.opened_at")
        )),
    );
    let [tickets, missing_parts, repaired, repair_hours] = numbers(
        conn,
        &tickets_sql,
        "substr(t.opened_at, 1, 10)",
        "k.partner_id",
        "",
        period,
        partners,
    )
    .await?;
    Ok(QualityTally {
        no_shows,
        late_returns,
        late_days,
        missing_parts,
        tickets,
        repaired,
        repair_hours,
    })
}

/// Sessions (not called off) by their day, their seats and registrations; people
/// qualified; trained teachers whose school borrowed a kit type needing the training
/// within 90 days after it.
async fn trainings(
    conn: &mut super::Conn,
    period: Period,
    partners: Option<&[PartnerId]>,
) -> DbResult<TrainingTally> {
    let e = super::Engine::of(conn);
    let sessions_sql = format!(
        "SELECT count(*), {} FROM training_sessions s \
         JOIN training_types tt ON tt.id = s.training_type_id WHERE s.cancelled_at IS NULL",
        e.total("s.capacity")
    );
    let [sessions, seats] = numbers(
        conn,
        &sessions_sql,
        "substr(s.starts_at, 1, 10)",
        "tt.partner_id",
        "",
        period,
        partners,
    )
    .await?;
    let registered_sql = format!(
        "SELECT count(*), {} FROM training_registrations g \
         JOIN training_sessions s ON s.id = g.session_id \
         JOIN training_types tt ON tt.id = s.training_type_id \
         WHERE s.cancelled_at IS NULL AND g.status = 'ingeschreven'",
        e.total("g.attended")
    );
    let [registered, attended] = numbers(
        conn,
        &registered_sql,
        "substr(s.starts_at, 1, 10)",
        "tt.partner_id",
        "",
        period,
        partners,
    )
    .await?;
    let [qualified] = numbers(
        conn,
        "SELECT count(DISTINCT q.user_id) FROM qualifications q \
         JOIN training_types tt ON tt.id = q.training_type_id WHERE q.revoked_at IS NULL",
        "q.granted_on",
        "tt.partner_id",
        "",
        period,
        partners,
    )
    .await?;
    let trained_sql = format!(
        "SELECT count(*), {} \
         FROM (SELECT g.user_id, s.training_type_id AS training, min(substr(s.starts_at, 1, 10)) AS day \
           FROM training_registrations g JOIN training_sessions s ON s.id = g.session_id \
           JOIN training_types tt ON tt.id = s.training_type_id \
           WHERE g.attended = 1 AND s.cancelled_at IS NULL",
        e.total(&format!(
            "CASE WHEN EXISTS (SELECT 1 FROM user_roles ur \
               JOIN reservations r ON r.school_id = ur.school_id \
               JOIN kit_type_trainings kt ON kt.kit_type_id = r.kit_type_id AND kt.training_type_id = x.training \
               WHERE ur.user_id = x.user_id AND ur.role = 'teacher' \
                 AND r.status IN ('afgehaald', 'teruggebracht') \
                 AND r.pickup_date BETWEEN x.day AND {}) THEN 1 ELSE 0 END",
            e.add_days("x.day", 90)
        )),
    );
    let [trained, borrowed_within_90] = numbers(
        conn,
        &trained_sql,
        "substr(s.starts_at, 1, 10)",
        "tt.partner_id",
        " GROUP BY g.user_id, s.training_type_id) x",
        period,
        partners,
    )
    .await?;
    Ok(TrainingTally {
        sessions,
        seats,
        registered,
        attended,
        qualified,
        trained,
        borrowed_within_90,
    })
}

/// Per kit type (that has units in service today): the days each unit existed within the
/// period. Retired units are left out, as the database does not keep when they left.
async fn unit_days_in_service(
    conn: &mut super::Conn,
    period: Period,
    partners: Option<&[PartnerId]>,
) -> DbResult<Vec<(String, String, i64)>> {
    // The period's days are bound as text; the larger of the period's first day and the
    // unit's creation day is a text comparison (ISO days sort as text).
    let e = super::Engine::of(conn);
    let days = format!(
        "{} - {} + 1",
        e.julian("$1"),
        e.julian(&e.greatest("$2", "substr(u.created_at, 1, 10)"))
    );
    let mut q = crate::db::SqlBuilder::new(&format!(
        "SELECT k.slug, k.title, CAST({} AS BIGINT) \
         FROM units u JOIN kit_types k ON k.id = u.kit_type_id WHERE u.status <> 'afgevoerd'",
        e.total(&e.greatest("0", &days))
    ));
    q.bind_numbered(period.to().to_string())
        .bind_numbered(period.from().to_string());
    if let Some(partners) = partners {
        super::push_in(&mut q, "k.partner_id", partners.iter().map(|p| p.0));
    }
    q.push(" GROUP BY k.id");
    Ok(q.build_query_as().fetch_all(&mut *conn).await?)
}

/// Per kit type: waiting-list entries for pickup days in the period, the offers made from
/// them, and the offers accepted (their reservation went on past the offer).
async fn demand(
    conn: &mut super::Conn,
    period: Period,
    partners: Option<&[PartnerId]>,
) -> DbResult<Vec<DemandTally>> {
    let e = super::Engine::of(conn);
    let mut q = crate::db::SqlBuilder::new(&format!(
        "SELECT k.slug, k.title, count(*), count(w.reservation_id), {} \
         FROM waitlist w JOIN kit_types k ON k.id = w.kit_type_id \
         LEFT JOIN reservations r ON r.id = w.reservation_id WHERE w.pickup_date BETWEEN ",
        e.total(
            "CASE WHEN r.status IN ('aangevraagd', 'bevestigd', 'afgehaald', 'teruggebracht', \
             'niet-afgehaald') THEN 1 ELSE 0 END"
        )
    ));
    q.push_bind(period.from().to_string())
        .push(" AND ")
        .push_bind(period.to().to_string());
    if let Some(partners) = partners {
        super::push_in(&mut q, "k.partner_id", partners.iter().map(|p| p.0));
    }
    q.push(" GROUP BY k.id");
    let rows: Vec<(String, String, i64, i64, f64)> =
        q.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(|(key, label, waiting, offers, accepted)| DemandTally {
            key,
            label,
            waiting,
            offers,
            accepted: accepted as i64,
        })
        .collect())
}

#[cfg(test)]
mod measures;
#[cfg(test)]
mod tests;
