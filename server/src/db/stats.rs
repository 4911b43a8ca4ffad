//! "In cijfers": aggregate queries over reservations, units and the waiting list.
//!
//! A loan is a reservation that was picked up (`afgehaald` or `teruggebracht`), counted in
//! the period that holds its pickup day; its unit-days are its quantity times its days
//! from pickup through return.

use super::{Db, DbResult};
use crate::domain::stats::{
    DemandTally, Period, PeriodFigures, QualityTally, SchoolTally, Tally, TrainingTally,
};
use chrono::NaiveDate;
use leenpunt_shared::PartnerId;
use sqlx::{QueryBuilder, Sqlite};

/// Loans of the period, joined to their kit type `k`.
const LOANS: &str = " FROM reservations r JOIN kit_types k ON k.id = r.kit_type_id \
     WHERE r.status IN ('afgehaald', 'teruggebracht') AND r.pickup_date BETWEEN ";
const UNIT_DAYS: &str =
    "CAST(total(r.quantity * (julianday(r.return_date) - julianday(r.pickup_date) + 1)) AS INTEGER)";

fn loans<'a>(
    select: &str,
    period: Period,
    partners: Option<&[PartnerId]>,
) -> QueryBuilder<'a, Sqlite> {
    let mut q = QueryBuilder::new(select);
    q.push(LOANS)
        .push_bind(period.from().to_string())
        .push(" AND ")
        .push_bind(period.to().to_string());
    if let Some(partners) = partners {
        super::push_in(&mut q, "k.partner_id", partners.iter().map(|p| p.0));
    }
    q
}

type TallyRow = (String, String, i64, i64, i64);

fn tally((key, label, loans, unit_days, schools): TallyRow) -> Tally {
    Tally {
        key,
        label,
        loans,
        unit_days,
        schools,
    }
}

impl Db {
    /// The figures of one period for some partner services (`None`: all).
    #[tracing::instrument(skip(self))]
    pub async fn period_figures(
        &self,
        period: Period,
        partners: Option<&[PartnerId]>,
    ) -> DbResult<PeriodFigures> {
        let mut conn = self.read().await?;
        let mut q = loans(
            &format!("SELECT k.slug, k.title, count(*), {UNIT_DAYS}, count(DISTINCT r.school_id)"),
            period,
            partners,
        );
        q.push(" GROUP BY r.kit_type_id");
        let kits: Vec<TallyRow> = q.build_query_as().fetch_all(&mut *conn).await?;

        // Grouped first, then joined to the few partner services and schools.
        let mut q = loans(
            &format!(
                "SELECT p.slug, p.name, g.n, g.d, g.s FROM (SELECT k.partner_id, count(*) AS n, \
                 {UNIT_DAYS} AS d, count(DISTINCT r.school_id) AS s"
            ),
            period,
            partners,
        );
        q.push(" GROUP BY k.partner_id) g JOIN partners p ON p.id = g.partner_id");
        let partner_rows: Vec<TallyRow> = q.build_query_as().fetch_all(&mut *conn).await?;

        let mut q = loans(
            &format!(
                "SELECT g.school_id, s.levels, s.municipality, g.n, g.d FROM \
                 (SELECT r.school_id, count(*) AS n, {UNIT_DAYS} AS d"
            ),
            period,
            partners,
        );
        q.push(" GROUP BY r.school_id) g JOIN schools s ON s.id = g.school_id");
        let schools: Vec<(i64, String, String, i64, i64)> =
            q.build_query_as().fetch_all(&mut *conn).await?;

        let mut q = loans("SELECT r.pickup_date, count(*)", period, partners);
        q.push(" GROUP BY r.pickup_date");
        let days: Vec<(String, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;

        let in_service = unit_days_in_service(&mut conn, period, partners).await?;
        let demand = demand(&mut conn, period, partners).await?;
        let quality = quality(&mut conn, period, partners).await?;
        let trainings = trainings(&mut conn, period, partners).await?;

        let kits: Vec<Tally> = kits.into_iter().map(tally).collect();
        Ok(PeriodFigures {
            uses: crate::domain::stats::uses_of(&kits, in_service),
            kits,
            partners: partner_rows.into_iter().map(tally).collect(),
            schools: schools
                .into_iter()
                .map(
                    |(school, levels, municipality, loans, unit_days)| SchoolTally {
                        school,
                        levels,
                        municipality,
                        loans,
                        unit_days,
                    },
                )
                .collect(),
            days: days
                .into_iter()
                .filter_map(|(d, n)| {
                    NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                        .ok()
                        .map(|d| (d, n))
                })
                .collect(),
            demand,
            quality,
            trainings,
        })
    }

    /// The names of these partner services, by name.
    pub async fn partner_names(&self, partners: &[PartnerId]) -> DbResult<Vec<String>> {
        let mut q = QueryBuilder::new("SELECT name FROM partners WHERE 1");
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
    let mut q = QueryBuilder::new(select);
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
    let [late_returns, late_days] = numbers(
        conn,
        "SELECT count(*), total(max(0, julianday(substr(l.returned_at, 1, 10)) - julianday(r.return_date))) \
         FROM loan_lines l JOIN reservations r ON r.id = l.reservation_id \
         JOIN kit_types k ON k.id = r.kit_type_id WHERE l.late = 1 AND l.returned_at IS NOT NULL",
        "r.pickup_date",
        "k.partner_id",
        "",
        period,
        partners,
    )
    .await?;
    let [tickets, missing_parts, repaired, repair_hours] = numbers(
        conn,
        "SELECT count(*), total(t.reservation_id IS NOT NULL AND t.shortfall <> '[]'), count(t.closed_at), \
         total((julianday(t.closed_at) - julianday(t.opened_at)) * 24) \
         FROM maintenance_tickets t JOIN units u ON u.id = t.unit_id \
         JOIN kit_types k ON k.id = u.kit_type_id WHERE 1",
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
    let [sessions, seats] = numbers(
        conn,
        "SELECT count(*), total(s.capacity) FROM training_sessions s \
         JOIN training_types tt ON tt.id = s.training_type_id WHERE s.cancelled_at IS NULL",
        "substr(s.starts_at, 1, 10)",
        "tt.partner_id",
        "",
        period,
        partners,
    )
    .await?;
    let [registered, attended] = numbers(
        conn,
        "SELECT count(*), total(g.attended) FROM training_registrations g \
         JOIN training_sessions s ON s.id = g.session_id \
         JOIN training_types tt ON tt.id = s.training_type_id \
         WHERE s.cancelled_at IS NULL AND g.status = 'ingeschreven'",
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
    let [trained, borrowed_within_90] = numbers(
        conn,
        "SELECT count(*), total(EXISTS (SELECT 1 FROM user_roles ur \
           JOIN reservations r ON r.school_id = ur.school_id \
           JOIN kit_type_trainings kt ON kt.kit_type_id = r.kit_type_id AND kt.training_type_id = x.training \
           WHERE ur.user_id = x.user_id AND ur.role = 'teacher' \
             AND r.status IN ('afgehaald', 'teruggebracht') \
             AND r.pickup_date BETWEEN x.day AND date(x.day, '+90 days'))) \
         FROM (SELECT g.user_id, s.training_type_id AS training, min(substr(s.starts_at, 1, 10)) AS day \
           FROM training_registrations g JOIN training_sessions s ON s.id = g.session_id \
           JOIN training_types tt ON tt.id = s.training_type_id \
           WHERE g.attended = 1 AND s.cancelled_at IS NULL",
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
    let mut q = QueryBuilder::new("SELECT k.slug, k.title, CAST(total(max(0, julianday(");
    q.push_bind(period.to().to_string())
        .push(") - julianday(max(")
        .push_bind(period.from().to_string())
        .push(
            ", substr(u.created_at, 1, 10))) + 1)) AS INTEGER) \
             FROM units u JOIN kit_types k ON k.id = u.kit_type_id WHERE u.status <> 'afgevoerd'",
        );
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
    let mut q = QueryBuilder::new(
        "SELECT k.slug, k.title, count(*), count(w.reservation_id), \
         total(r.status IN ('aangevraagd', 'bevestigd', 'afgehaald', 'teruggebracht', 'niet-afgehaald')) \
         FROM waitlist w JOIN kit_types k ON k.id = w.kit_type_id \
         LEFT JOIN reservations r ON r.id = w.reservation_id WHERE w.pickup_date BETWEEN ",
    );
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
mod tests {
    //! The aggregate queries against a plain count over the same generated records.
    use super::*;
    use crate::domain::stats::{group_of, tables, totals};
    use leenpunt_shared::stats::StatsTableId;
    use leenpunt_shared::Lang;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    const STATUSES: [&str; 8] = [
        "aangeboden",
        "aangevraagd",
        "bevestigd",
        "afgehaald",
        "teruggebracht",
        "geannuleerd",
        "geweigerd",
        "niet-afgehaald",
    ];
    const LEVELS: [&str; 7] = [
        "kleuter",
        "lager",
        "so-1",
        "so-2",
        "so-3",
        "buitengewoon",
        "volwassenen",
    ];
    const TOWNS: [&str; 4] = ["Brugge", "brugge", "Ieper", ""];

    #[derive(Debug, Clone)]
    struct School {
        levels: String,
        town: &'static str,
    }

    #[derive(Debug, Clone)]
    struct Res {
        kit: usize,
        school: usize,
        status: &'static str,
        pickup: NaiveDate,
        days: i64,
        quantity: i64,
    }

    #[derive(Debug, Clone)]
    struct Wait {
        kit: usize,
        pickup: NaiveDate,
        offer: Option<&'static str>,
    }

    #[derive(Debug, Clone)]
    struct World {
        schools: Vec<School>,
        /// Partner (1 or 2) of each kit type.
        kits: Vec<i64>,
        /// (kit, created day, retired) per unit.
        units: Vec<(usize, NaiveDate, bool)>,
        reservations: Vec<Res>,
        waits: Vec<Wait>,
    }

    fn day() -> impl Strategy<Value = NaiveDate> {
        (0i64..700)
            .prop_map(|n| NaiveDate::from_ymd_opt(2025, 3, 1).unwrap() + chrono::Duration::days(n))
    }

    fn world() -> impl Strategy<Value = World> {
        let schools = prop::collection::vec(
            (
                prop::collection::btree_set(0..LEVELS.len(), 0..3),
                0..TOWNS.len(),
            )
                .prop_map(|(levels, town)| School {
                    levels: levels
                        .into_iter()
                        .map(|i| LEVELS[i])
                        .collect::<Vec<_>>()
                        .join(";"),
                    town: TOWNS[town],
                }),
            1..8,
        );
        let kits = prop::collection::vec(1i64..=2, 1..5);
        (schools, kits).prop_flat_map(|(schools, kits)| {
            let (ns, nk) = (schools.len(), kits.len());
            let res = prop::collection::vec(
                (0..nk, 0..ns, 0..STATUSES.len(), day(), 0i64..20, 1i64..4).prop_map(
                    |(kit, school, status, pickup, days, quantity)| Res {
                        kit,
                        school,
                        status: STATUSES[status],
                        pickup,
                        days,
                        quantity,
                    },
                ),
                0..60,
            );
            let units = prop::collection::vec((0..nk, day(), any::<bool>()), 0..8);
            let waits = prop::collection::vec(
                (0..nk, day(), prop::option::of(0..STATUSES.len())).prop_map(
                    |(kit, pickup, offer)| Wait {
                        kit,
                        pickup,
                        offer: offer.map(|s| STATUSES[s]),
                    },
                ),
                0..10,
            );
            (Just(schools), Just(kits), units, res, waits).prop_map(
                |(schools, kits, units, reservations, waits)| World {
                    schools,
                    kits,
                    units,
                    reservations,
                    waits,
                },
            )
        })
    }

    async fn store(w: &World) -> Db {
        let db = Db::open("sqlite::memory:").await.unwrap();
        let mut tx = db.begin().await.unwrap();
        let now = "2026-01-01T00:00:00+00:00";
        for p in 1..=2 {
            sqlx::query("INSERT INTO partners (id, slug, name) VALUES (?, ?, ?)")
                .bind(p)
                .bind(format!("p{p}"))
                .bind(format!("Partner {p}"))
                .execute(&mut *tx)
                .await
                .unwrap();
            sqlx::query(
                "INSERT INTO pickup_points (id, partner_id, slug, name, street, postcode, municipality) \
                 VALUES (?, ?, ?, 'Punt', 'Straat 1', '8000', 'Brugge')",
            )
            .bind(p)
            .bind(p)
            .bind(format!("pp{p}"))
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        sqlx::query("INSERT INTO users (id, email, name, created_at) VALUES (1, 'a@b.be', 'A', ?)")
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
        for (i, s) in w.schools.iter().enumerate() {
            sqlx::query(
                "INSERT INTO schools (id, instellingsnummer, name, municipality, network, levels) \
                 VALUES (?, ?, ?, ?, 'go', ?)",
            )
            .bind(i as i64 + 1)
            .bind(format!("{:06}", i + 1))
            .bind(format!("School {i}"))
            .bind(s.town)
            .bind(&s.levels)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        for (i, p) in w.kits.iter().enumerate() {
            sqlx::query(
                "INSERT INTO kit_types (id, slug, title, kind, partner_id, created_at, updated_at) \
                 VALUES (?, ?, ?, 'uitleen', ?, ?, ?)",
            )
            .bind(i as i64 + 1)
            .bind(format!("kit-{i}"))
            .bind(format!("Kit {i}"))
            .bind(p)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        for (i, (kit, created, retired)) in w.units.iter().enumerate() {
            sqlx::query("INSERT INTO units (kit_type_id, inventory_code, status, created_at) VALUES (?, ?, ?, ?)")
                .bind(*kit as i64 + 1)
                .bind(format!("U-{i}"))
                .bind(if *retired { "afgevoerd" } else { "in-dienst" })
                .bind(format!("{created}T08:00:00+00:00"))
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        for r in &w.reservations {
            let ret = r.pickup + chrono::Duration::days(r.days);
            sqlx::query(
                "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, \
                 pickup_date, return_date, held_until, status, created_at, updated_at) \
                 VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(r.kit as i64 + 1)
            .bind(w.kits[r.kit])
            .bind(r.school as i64 + 1)
            .bind(r.quantity)
            .bind(r.pickup.to_string())
            .bind(ret.to_string())
            .bind(ret.to_string())
            .bind(r.status)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        // Distinct return days keep entries apart (one wait per person, kit type and dates).
        for (i, x) in w.waits.iter().enumerate() {
            let offer = match x.offer {
                None => None,
                Some(status) => Some(
                    sqlx::query(
                        "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, \
                         pickup_date, return_date, held_until, status, created_at, updated_at) \
                         VALUES (?, ?, 1, 1, 1, '2020-01-01', '2020-01-02', '2020-01-02', ?, ?, ?)",
                    )
                    .bind(x.kit as i64 + 1)
                    .bind(w.kits[x.kit])
                    .bind(status)
                    .bind(now)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .unwrap()
                    .last_insert_rowid(),
                ),
            };
            sqlx::query(
                "INSERT INTO waitlist (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
                 return_date, status, reservation_id, created_at, updated_at) VALUES (?, ?, 1, 1, 1, ?, ?, ?, ?, ?, ?)",
            )
            .bind(x.kit as i64 + 1)
            .bind(w.kits[x.kit])
            .bind(x.pickup.to_string())
            .bind((x.pickup + chrono::Duration::days(i as i64)).to_string())
            .bind(if offer.is_some() { "aangeboden" } else { "wachtend" })
            .bind(offer)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        db
    }

    /// key → values, the way a person would count them from the records.
    type Counted = BTreeMap<String, Vec<i64>>;

    fn brute_force(
        w: &World,
        period: Period,
        partner: Option<i64>,
    ) -> BTreeMap<StatsTableId, Counted> {
        let loans: Vec<&Res> = w
            .reservations
            .iter()
            .filter(|r| matches!(r.status, "afgehaald" | "teruggebracht"))
            .filter(|r| period.contains(r.pickup))
            .filter(|r| partner.is_none_or(|p| w.kits[r.kit] == p))
            .collect();
        let unit_days = |r: &Res| r.quantity * (r.days + 1);
        let mut out = BTreeMap::new();
        let mut count = |id, key: &dyn Fn(&Res) -> String| {
            let mut t: BTreeMap<String, (i64, i64, BTreeSet<usize>)> = BTreeMap::new();
            for r in &loans {
                let e = t.entry(key(r)).or_default();
                e.0 += 1;
                e.1 += unit_days(r);
                e.2.insert(r.school);
            }
            let t: Counted = t
                .into_iter()
                .map(|(k, (n, d, s))| (k, vec![n, d, s.len() as i64]))
                .collect();
            out.insert(id, t);
        };
        count(StatsTableId::Kits, &|r| format!("kit-{}", r.kit));
        count(StatsTableId::Partners, &|r| format!("p{}", w.kits[r.kit]));
        count(StatsTableId::Groups, &|r| {
            group_of(&w.schools[r.school].levels).code().to_owned()
        });
        count(StatsTableId::Municipalities, &|r| {
            let town = w.schools[r.school].town;
            if town.is_empty() {
                "gemeente onbekend".into()
            } else {
                town.to_lowercase()
            }
        });
        let mut totals = (0, 0, BTreeSet::new());
        for r in &loans {
            totals.0 += 1;
            totals.1 += unit_days(r);
            totals.2.insert(r.school);
        }
        out.insert(
            StatsTableId::Weeks,
            [(
                "total".to_owned(),
                vec![totals.0, totals.1, totals.2.len() as i64],
            )]
            .into(),
        );
        // Unit-days in service per kit type (of the partner), units not retired.
        let mut in_service: Counted = BTreeMap::new();
        for (kit, created, retired) in &w.units {
            if *retired || partner.is_some_and(|p| w.kits[*kit] != p) {
                continue;
            }
            let start = (*created).max(period.from());
            let days = ((period.to() - start).num_days() + 1).max(0);
            if days == 0 {
                continue;
            }
            in_service
                .entry(format!("kit-{kit}"))
                .or_insert_with(|| vec![0])[0] += days;
        }
        out.insert(StatsTableId::Utilisation, in_service);
        let mut demand: Counted = BTreeMap::new();
        for x in &w.waits {
            if !period.contains(x.pickup) || partner.is_some_and(|p| w.kits[x.kit] != p) {
                continue;
            }
            let e = demand
                .entry(format!("kit-{}", x.kit))
                .or_insert_with(|| vec![0, 0, 0]);
            e[0] += 1;
            if let Some(s) = x.offer {
                e[1] += 1;
                if matches!(
                    s,
                    "aangevraagd" | "bevestigd" | "afgehaald" | "teruggebracht" | "niet-afgehaald"
                ) {
                    e[2] += 1;
                }
            }
        }
        out.insert(StatsTableId::Demand, demand);
        out
    }

    /// A table's rows with figures in the period, as key → values.
    fn nonzero(rows: &[leenpunt_shared::stats::StatsRow]) -> Counted {
        rows.iter()
            .filter(|r| r.values.iter().any(|v| *v != 0))
            .map(|r| (r.key.clone(), r.values.clone()))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

        #[test]
        fn the_aggregates_agree_with_a_plain_count(
            w in world(),
            from in day(),
            len in 0i64..400,
            partner in prop::option::of(1i64..=2),
        ) {
            let period = Period::new(from, from + chrono::Duration::days(len)).unwrap();
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let (now, before) = rt.block_on(async {
                let db = store(&w).await;
                let scope = partner.map(|p| vec![PartnerId(p)]);
                let now = db.period_figures(period, scope.as_deref()).await.unwrap();
                let before = db.period_figures(period.previous(), scope.as_deref()).await.unwrap();
                (now, before)
            });
            let expected = brute_force(&w, period, partner);
            let expected_before = brute_force(&w, period.previous(), partner);
            let report = tables(&now, &before, Lang::Nl);
            for id in [StatsTableId::Kits, StatsTableId::Partners, StatsTableId::Groups, StatsTableId::Municipalities] {
                let table = report.iter().find(|t| t.id == id).unwrap();
                prop_assert_eq!(&nonzero(&table.rows), &expected[&id], "{:?}", id);
                let before: Counted = table.rows.iter()
                    .filter(|r| r.previous.iter().any(|v| *v != 0))
                    .map(|r| (r.key.clone(), r.previous.clone()))
                    .collect();
                prop_assert_eq!(&before, &expected_before[&id], "{:?} before", id);
            }
            let t = totals(&now, &before, Lang::Nl);
            prop_assert_eq!(&t.values, &expected[&StatsTableId::Weeks]["total"].clone());
            // Weeks add up to the loans.
            let weeks: i64 = now.by_week().values().map(|(_, v)| v[0]).sum();
            prop_assert_eq!(weeks, t.values[0]);
            let in_service: Counted = now.uses.iter()
                .filter(|u| u.unit_days_in_service != 0)
                .map(|u| (u.key.clone(), vec![u.unit_days_in_service]))
                .collect();
            prop_assert_eq!(&in_service, &expected[&StatsTableId::Utilisation]);
            let demand = report.iter().find(|t| t.id == StatsTableId::Demand).unwrap();
            prop_assert_eq!(&nonzero(&demand.rows), &expected[&StatsTableId::Demand]);
        }
    }
}

#[cfg(test)]
mod measures {
    //! Quality and training figures against records whose answers are counted by hand.
    use super::*;

    async fn exec(db: &Db, sql: &str) {
        sqlx::query(sql)
            .execute(db.writer())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    #[tokio::test]
    async fn quality_and_trainings_are_counted_per_partner_service() {
        let db = Db::open("sqlite::memory:").await.unwrap();
        let at = "'2025-09-01T08:00:00+00:00'";
        for sql in [
            "INSERT INTO partners (id, slug, name) VALUES (1, 'p1', 'Een'), (2, 'p2', 'Twee')".to_owned(),
            "INSERT INTO pickup_points (id, partner_id, slug, name, street, postcode, municipality) \
             VALUES (1, 1, 'a', 'A', 's', '8000', 'Brugge'), (2, 2, 'b', 'B', 's', '8000', 'Brugge')".into(),
            format!("INSERT INTO kit_types (id, slug, title, kind, partner_id, created_at, updated_at) \
             VALUES (1, 'k1', 'K1', 'uitleen', 1, {at}, {at}), (2, 'k2', 'K2', 'uitleen', 2, {at}, {at})"),
            format!("INSERT INTO units (id, kit_type_id, inventory_code, created_at) VALUES (1, 1, 'U1', {at}), (2, 2, 'U2', {at})"),
            "INSERT INTO schools (id, instellingsnummer, name, network, levels) VALUES (1, '000001', 'S', 'go', 'lager')".into(),
            format!("INSERT INTO users (id, email, name, created_at) VALUES (1, 't1@x.be', 'T1', {at}), (2, 't2@x.be', 'T2', {at}), (3, 't3@x.be', 'T3', {at})"),
            "INSERT INTO user_roles (user_id, role, school_id) VALUES (1, 'teacher', 1), (2, 'teacher', 1), (3, 'teacher', 1)".into(),
            "INSERT INTO training_types (id, partner_id, slug, title, duration_minutes) VALUES (1, 1, 'tt', 'TT', 60)".into(),
            "INSERT INTO kit_type_trainings (kit_type_id, training_type_id) VALUES (1, 1)".into(),
            format!("INSERT INTO training_sessions (id, training_type_id, starts_at, ends_at, place, capacity, \
               registration_opens, registration_closes, cancelled_at, created_at) VALUES \
             (1, 1, '2026-01-10T13:00:00+00:00', '2026-01-10T16:00:00+00:00', 'Brugge', 10, {at}, '2026-01-09T23:00:00+00:00', NULL, {at}), \
             (2, 1, '2026-02-01T13:00:00+00:00', '2026-02-01T16:00:00+00:00', 'Brugge', 8, {at}, '2026-01-31T23:00:00+00:00', {at}, {at})"),
            format!("INSERT INTO training_registrations (session_id, user_id, status, attended, created_at, updated_at) VALUES \
             (1, 1, 'ingeschreven', 1, {at}, {at}), (1, 2, 'ingeschreven', 0, {at}, {at}), (1, 3, 'wachtlijst', 0, {at}, {at}), \
             (2, 3, 'ingeschreven', 1, {at}, {at})"),
            format!("INSERT INTO qualifications (user_id, training_type_id, session_id, granted_on, created_at, revoked_at, revoke_reason) VALUES \
             (1, 1, 1, '2026-01-10', {at}, NULL, NULL), (2, 1, NULL, '2026-01-12', {at}, {at}, 'vergissing')"),
            format!("INSERT INTO reservations (id, kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
               return_date, held_until, status, created_at, updated_at) VALUES \
             (1, 1, 1, 1, 1, 1, '2026-03-02', '2026-03-05', '2026-03-06', 'teruggebracht', {at}, {at}), \
             (2, 1, 1, 1, 1, 1, '2026-02-02', '2026-02-05', '2026-02-06', 'niet-afgehaald', {at}, {at}), \
             (3, 2, 2, 1, 1, 1, '2026-02-02', '2026-02-05', '2026-02-06', 'niet-afgehaald', {at}, {at})"),
            "INSERT INTO loan_lines (reservation_id, unit_id, handed_out_at, returned_at, late) VALUES \
             (1, 1, '2026-03-02T08:00:00+00:00', '2026-03-08T10:00:00+00:00', 1)".into(),
            "INSERT INTO maintenance_tickets (unit_id, reservation_id, opened_at, shortfall, closed_at) VALUES \
             (1, 1, '2026-03-08T10:00:00+00:00', '[[\"bal\",1]]', '2026-03-09T10:00:00+00:00'), \
             (2, NULL, '2026-04-01T10:00:00+00:00', '[]', NULL)".into(),
        ] {
            exec(&db, &sql).await;
        }
        let year = Period::school_year_of(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        let own = db
            .period_figures(year, Some(&[PartnerId(1)]))
            .await
            .unwrap();
        assert_eq!(
            own.quality,
            QualityTally {
                no_shows: 1,
                late_returns: 1,
                late_days: 3,
                missing_parts: 1,
                tickets: 1,
                repaired: 1,
                repair_hours: 24,
            }
        );
        assert_eq!(
            own.trainings,
            TrainingTally {
                sessions: 1,
                seats: 10,
                registered: 2,
                attended: 1,
                qualified: 1,
                trained: 1,
                borrowed_within_90: 1,
            }
        );
        let all = db.period_figures(year, None).await.unwrap();
        assert_eq!(
            (
                all.quality.no_shows,
                all.quality.tickets,
                all.quality.repaired
            ),
            (2, 2, 1)
        );
        let other = db
            .period_figures(year, Some(&[PartnerId(2)]))
            .await
            .unwrap();
        assert_eq!(other.trainings, TrainingTally::default());
        assert_eq!(other.quality.missing_parts, 0);
        // A loan picked up on the 91st day after the training does not count; on the 90th it does.
        exec(
            &db,
            "UPDATE reservations SET pickup_date = '2026-04-11', return_date = '2026-04-12', held_until = '2026-04-13' WHERE id = 1",
        )
        .await;
        let own = db
            .period_figures(year, Some(&[PartnerId(1)]))
            .await
            .unwrap();
        assert_eq!(own.trainings.borrowed_within_90, 0);
        exec(
            &db,
            "UPDATE reservations SET pickup_date = '2026-04-10', return_date = '2026-04-12', held_until = '2026-04-13' WHERE id = 1",
        )
        .await;
        let own = db
            .period_figures(year, Some(&[PartnerId(1)]))
            .await
            .unwrap();
        assert_eq!(own.trainings.borrowed_within_90, 1);
        // Another period has none of it.
        let before = db.period_figures(year.previous(), None).await.unwrap();
        assert_eq!(before.quality, QualityTally::default());
    }
}
