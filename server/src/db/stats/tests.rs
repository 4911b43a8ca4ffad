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
            (0..nk, day(), prop::option::of(0..STATUSES.len())).prop_map(|(kit, pickup, offer)| {
                Wait {
                    kit,
                    pickup,
                    offer: offer.map(|s| STATUSES[s]),
                }
            }),
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
        sqlx::query("INSERT INTO partners (id, slug, name) VALUES ($1, $2, $3)")
            .bind(p)
            .bind(format!("p{p}"))
            .bind(format!("Partner {p}"))
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO pickup_points (id, partner_id, slug, name, street, postcode, municipality) \
             VALUES ($1, $2, $3, 'Punt', 'Straat 1', '8000', 'Brugge')",
        )
        .bind(p)
        .bind(p)
        .bind(format!("pp{p}"))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    sqlx::query("INSERT INTO users (id, email, name, created_at) VALUES (1, 'a@b.be', 'A', $1)")
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
    for (i, s) in w.schools.iter().enumerate() {
        sqlx::query(
            "INSERT INTO schools (id, instellingsnummer, name, municipality, network, levels) \
             VALUES ($1, $2, $3, $4, 'go', $5)",
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
             VALUES ($1, $2, $3, 'uitleen', $4, $5, $6)",
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
        sqlx::query("INSERT INTO units (kit_type_id, inventory_code, status, created_at) VALUES ($1, $2, $3, $4)")
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
             VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10)",
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
                sqlx::query_scalar::<_, i64>(
                    "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, \
                     pickup_date, return_date, held_until, status, created_at, updated_at) \
                     VALUES ($1, $2, 1, 1, 1, '2020-01-01', '2020-01-02', '2020-01-02', $3, $4, $5) RETURNING id",
                )
                .bind(x.kit as i64 + 1)
                .bind(w.kits[x.kit])
                .bind(status)
                .bind(now)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .unwrap(),
            ),
        };
        sqlx::query(
            "INSERT INTO waitlist (kit_type_id, pickup_point_id, school_id, user_id, quantity, pickup_date, \
             return_date, status, reservation_id, created_at, updated_at) VALUES ($1, $2, 1, 1, 1, $3, $4, $5, $6, $7, $8)",
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

fn brute_force(w: &World, period: Period, partner: Option<i64>) -> BTreeMap<StatsTableId, Counted> {
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

/// The report's figures against a plain count over the world's records.
fn agree(
    w: &World,
    period: Period,
    partner: Option<i64>,
    now: &crate::domain::stats::PeriodFigures,
    before: &crate::domain::stats::PeriodFigures,
) -> Result<(), TestCaseError> {
    let expected = brute_force(w, period, partner);
    let expected_before = brute_force(w, period.previous(), partner);
    let report = tables(now, before, Lang::Nl);
    for id in [
        StatsTableId::Kits,
        StatsTableId::Partners,
        StatsTableId::Groups,
        StatsTableId::Municipalities,
    ] {
        let table = report.iter().find(|t| t.id == id).unwrap();
        prop_assert_eq!(&nonzero(&table.rows), &expected[&id], "{:?}", id);
        let before: Counted = table
            .rows
            .iter()
            .filter(|r| r.previous.iter().any(|v| *v != 0))
            .map(|r| (r.key.clone(), r.previous.clone()))
            .collect();
        prop_assert_eq!(&before, &expected_before[&id], "{:?} before", id);
    }
    let t = totals(now, before, Lang::Nl);
    prop_assert_eq!(&t.values, &expected[&StatsTableId::Weeks]["total"].clone());
    // Weeks add up to the loans.
    let weeks: i64 = now.by_week().values().map(|(_, v)| v[0]).sum();
    prop_assert_eq!(weeks, t.values[0]);
    let in_service: Counted = now
        .uses
        .iter()
        .filter(|u| u.unit_days_in_service != 0)
        .map(|u| (u.key.clone(), vec![u.unit_days_in_service]))
        .collect();
    prop_assert_eq!(&in_service, &expected[&StatsTableId::Utilisation]);
    let demand = report
        .iter()
        .find(|t| t.id == StatsTableId::Demand)
        .unwrap();
    prop_assert_eq!(&nonzero(&demand.rows), &expected[&StatsTableId::Demand]);
    Ok(())
}

/// A change to one reservation after the figures were first made: a new status, moved
/// dates (possibly into another month), another quantity, or gone.
#[derive(Debug, Clone)]
enum Change {
    Status(usize, &'static str),
    Move(usize, i64),
    Quantity(usize, i64),
    Delete(usize),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (any::<prop::sample::Index>(), 0..STATUSES.len())
            .prop_map(|(i, s)| Change::Status(i.index(usize::MAX), STATUSES[s])),
        (any::<prop::sample::Index>(), -60i64..60)
            .prop_map(|(i, d)| Change::Move(i.index(usize::MAX), d)),
        (any::<prop::sample::Index>(), 1i64..4)
            .prop_map(|(i, q)| Change::Quantity(i.index(usize::MAX), q)),
        any::<prop::sample::Index>().prop_map(|i| Change::Delete(i.index(usize::MAX))),
    ]
}

/// Applies a change to the records and to the database (reservation `i` has id `i + 1`).
async fn apply(db: &Db, w: &mut World, deleted: &mut BTreeSet<usize>, c: &Change) {
    let n = w.reservations.len();
    if n == 0 {
        return;
    }
    let (sql, i) = match *c {
        Change::Status(i, status) => {
            w.reservations[i % n].status = status;
            (
                format!("UPDATE reservations SET status = '{status}' WHERE id = $1"),
                i % n,
            )
        }
        Change::Move(i, days) => {
            let r = &mut w.reservations[i % n];
            r.pickup += chrono::Duration::days(days);
            let ret = r.pickup + chrono::Duration::days(r.days);
            (
                format!(
                    "UPDATE reservations SET pickup_date = '{}', return_date = '{ret}', held_until = '{ret}' WHERE id = $1",
                    r.pickup
                ),
                i % n,
            )
        }
        Change::Quantity(i, q) => {
            w.reservations[i % n].quantity = q;
            (
                format!("UPDATE reservations SET quantity = {q} WHERE id = $1"),
                i % n,
            )
        }
        Change::Delete(i) => {
            deleted.insert(i % n);
            ("DELETE FROM reservations WHERE id = $1".to_owned(), i % n)
        }
    };
    sqlx::query(&sql)
        .bind(i as i64 + 1)
        .execute(db.writer())
        .await
        .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Through the kept months: first made from the records, then again after changes to
    /// them (only the touched months are read again).
    #[test]
    fn the_aggregates_agree_with_a_plain_count(
        w in world(),
        from in day(),
        len in 0i64..400,
        partner in prop::option::of(1i64..=2),
        changes in prop::collection::vec(change(), 0..6),
    ) {
        let period = Period::new(from, from + chrono::Duration::days(len)).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let original = w.clone();
        let mut w = w;
        let (first, second, changed) = rt.block_on(async {
            let db = store(&w).await;
            let cache = crate::service::stats::StatsCache::default();
            let scope = partner.map(|p| vec![PartnerId(p)]);
            let periods = [period, period.previous()];
            let first = crate::service::stats::figures(&db, &cache, &periods, scope.as_deref())
                .await
                .unwrap();
            let mut deleted = BTreeSet::new();
            for c in &changes {
                apply(&db, &mut w, &mut deleted, c).await;
            }
            let second = crate::service::stats::figures(&db, &cache, &periods, scope.as_deref())
                .await
                .unwrap();
            let mut changed = w.clone();
            let mut i = 0;
            changed.reservations.retain(|_| {
                i += 1;
                !deleted.contains(&(i - 1))
            });
            (first, second, changed)
        });
        agree(&original, period, partner, &first[0], &first[1])?;
        agree(&changed, period, partner, &second[0], &second[1])?;
    }
}
