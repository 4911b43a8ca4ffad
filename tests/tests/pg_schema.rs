//! The PostgreSQL schema (`migrations/postgres`) against the SQLite one (`migrations/*.sql`),
//! both built fresh in this test: the same tables, columns (type, nullability, default),
//! keys, unique indexes, foreign keys and triggers; then the triggers' effects through
//! plain SQL on both engines side by side (catalogue and stats versions, stats months,
//! feed stamps, the audit log's refusals, the outbox forgetting a sent mail, …).
//!
//! Needs `LEENPUNT_TEST_PG_URL` (a server where it may create databases; `cargo xtask
//! test` starts one). Without it the tests say they were skipped, unless
//! `LEENPUNT_TEST_REQUIRE_PG=1` (set by `cargo xtask test`), which makes them fail.

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{Connection, PgConnection, Row};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The server's URL, or `None` (skipped) when it is not set and not required.
fn pg_url(test: &str) -> Option<String> {
    match std::env::var("LEENPUNT_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("LEENPUNT_TEST_REQUIRE_PG").as_deref() != Ok("1"),
                "LEENPUNT_TEST_REQUIRE_PG=1 but LEENPUNT_TEST_PG_URL is not set"
            );
            eprintln!("{test}: skipped, LEENPUNT_TEST_PG_URL is not set");
            None
        }
    }
}

/// A database of its own on the test server, dropped again by `drop_db`.
async fn fresh_db(url: &str, locale: &str) -> (String, PgPool) {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let name = format!("pg_schema_{}_{nanos}_{n}", std::process::id());
    let mut admin = PgConnection::connect(url)
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(&format!(
        "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' \
         LC_COLLATE '{locale}' LC_CTYPE '{locale}'"
    ))
    .execute(&mut admin)
    .await
    .expect("create database");
    admin.close().await.ok();
    let options = PgConnectOptions::from_str(url).unwrap().database(&name);
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .expect("connect to the new database");
    (name, pool)
}

async fn drop_db(url: &str, name: &str, pool: PgPool) {
    pool.close().await;
    let mut admin = PgConnection::connect(url)
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .expect("drop database");
}

/// The SQLite end state: every SQLite migration applied to an in-memory database.
async fn sqlite() -> SqlitePool {
    let options = SqliteConnectOptions::from_str("sqlite::memory:")
        .unwrap()
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await
        .unwrap();
    sqlx::migrate!("../migrations").run(&pool).await.unwrap();
    pool
}

async fn postgres(url: &str) -> (String, PgPool) {
    let (name, pool) = fresh_db(url, "C").await;
    sqlx::migrate!("../migrations/postgres")
        .run(&pool)
        .await
        .expect("the PostgreSQL migrations apply");
    (name, pool)
}

/// Tables, each with its columns: name → (type, not null, default).
type Columns = BTreeMap<String, BTreeMap<String, (String, bool, Option<String>)>>;

async fn sqlite_columns(db: &SqlitePool) -> Columns {
    let mut out = Columns::new();
    for table in sqlite_tables(db).await {
        let rows = sqlx::query(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?)",
        )
        .bind(&table)
        .fetch_all(db)
        .await
        .unwrap();
        let cols = rows
            .iter()
            .map(|r| {
                let ty: String = r.get(1);
                let ty = match ty.as_str() {
                    "INTEGER" => "bigint",
                    "TEXT" => "text",
                    other => panic!("{table}: unexpected SQLite type {other}"),
                };
                // SQLite lets a non-integer primary key of a rowid table be NULL (a
                // historical quirk); the app never stores one, PostgreSQL refuses it.
                let not_null = r.get::<i64, _>(2) == 1 || r.get::<i64, _>(4) > 0;
                let default: Option<String> = r.get(3);
                (r.get(0), (ty.to_string(), not_null, default))
            })
            .collect();
        out.insert(table, cols);
    }
    out
}

async fn pg_columns(db: &PgPool) -> Columns {
    let rows = sqlx::query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable = 'NO', \
                column_default::text \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut out = Columns::new();
    for r in rows {
        // `'in-dienst'::text` → `'in-dienst'`, as SQLite shows defaults.
        let default = r
            .get::<Option<String>, _>(4)
            .map(|d| d.trim_end_matches("::text").to_string());
        out.entry(r.get(0))
            .or_default()
            .insert(r.get(1), (r.get(2), r.get(3), default));
    }
    out
}

async fn sqlite_tables(db: &SqlitePool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(db)
    .await
    .unwrap()
}

/// Keys and indexes, named by what they hold: `table kind(columns)`, where kind is `pk`,
/// `unique` (a UNIQUE constraint), or `index NAME`/`unique index NAME` (+ ` where …`);
/// an expression column is `<expr>`.
async fn sqlite_keys(db: &SqlitePool) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for table in sqlite_tables(db).await {
        let pk: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_xinfo(?) WHERE pk > 0 ORDER BY pk")
                .bind(&table)
                .fetch_all(db)
                .await
                .unwrap();
        out.insert(format!("{table} pk({})", pk.join(",")));
        let indexes =
            sqlx::query("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)")
                .bind(&table)
                .fetch_all(db)
                .await
                .unwrap();
        for ix in indexes {
            let name: String = ix.get(0);
            let origin: String = ix.get(2);
            if origin == "pk" {
                continue; // the primary key, above
            }
            let cols: Vec<Option<String>> = sqlx::query_scalar(
                "SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno",
            )
            .bind(&name)
            .fetch_all(db)
            .await
            .unwrap();
            let cols: Vec<String> = cols
                .into_iter()
                .map(|c| c.unwrap_or_else(|| "<expr>".into()))
                .collect();
            let kind = match (origin.as_str(), ix.get::<i64, _>(1) == 1) {
                ("u", _) => "unique".to_string(),
                (_, true) => format!("unique index {name}"),
                (_, false) => format!("index {name}"),
            };
            let partial = if ix.get::<i64, _>(3) == 1 {
                let sql: String =
                    sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = ?")
                        .bind(&name)
                        .fetch_one(db)
                        .await
                        .unwrap();
                let (_, predicate) = sql.rsplit_once("WHERE").expect("a partial index");
                format!(" where {}", predicate_key(predicate))
            } else {
                String::new()
            };
            out.insert(format!("{table} {kind}({}){partial}", cols.join(",")));
        }
    }
    out
}

/// A partial index's WHERE in one form for both engines: PostgreSQL shows
/// `(status = ANY (ARRAY['a'::text, 'b'::text]))` for SQLite's `status IN ('a', 'b')`.
fn predicate_key(predicate: &str) -> String {
    predicate
        .to_lowercase()
        .replace("::text", "")
        .replace("= any (array[", "in (")
        .chars()
        .filter(|c| !c.is_whitespace() && !"()[]".contains(*c))
        .collect()
}

async fn pg_keys(db: &PgPool) -> BTreeSet<String> {
    let rows = sqlx::query(
        "SELECT t.relname::text, i.relname::text, ix.indisunique, ix.indisprimary, \
                pg_get_expr(ix.indpred, ix.indrelid), \
                EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid), \
                ARRAY(SELECT coalesce(a.attname::text, '<expr>') \
                      FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord) \
                      LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                      ORDER BY k.ord) \
         FROM pg_index ix \
         JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    rows.iter()
        .map(|r| {
            let (table, name): (String, String) = (r.get(0), r.get(1));
            let cols: Vec<String> = r.get(6);
            let kind = match (
                r.get::<bool, _>(3),
                r.get::<bool, _>(5),
                r.get::<bool, _>(2),
            ) {
                (true, _, _) => "pk".to_string(),
                (false, true, _) => "unique".to_string(),
                (false, false, true) => format!("unique index {name}"),
                (false, false, false) => format!("index {name}"),
            };
            let partial = r
                .get::<Option<String>, _>(4)
                .map(|p| format!(" where {}", predicate_key(&p)))
                .unwrap_or_default();
            format!("{table} {kind}({}){partial}", cols.join(","))
        })
        .collect()
}

/// Foreign keys: `table.column -> table.column ON DELETE action`.
async fn sqlite_foreign_keys(db: &SqlitePool) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for table in sqlite_tables(db).await {
        let rows = sqlx::query(
            "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?)",
        )
        .bind(&table)
        .fetch_all(db)
        .await
        .unwrap();
        for r in rows {
            let (to_table, from, to, on_delete): (String, String, String, String) =
                (r.get(0), r.get(1), r.get(2), r.get(3));
            out.insert(format!(
                "{table}.{from} -> {to_table}.{to} ON DELETE {on_delete}"
            ));
        }
    }
    out
}

async fn pg_foreign_keys(db: &PgPool) -> BTreeSet<String> {
    sqlx::query_scalar(
        "SELECT t.relname || '.' || a.attname || ' -> ' || rt.relname || '.' || ra.attname \
                || ' ON DELETE ' || CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' \
                   WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' \
                   ELSE 'SET DEFAULT' END \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_class rt ON rt.oid = c.confrelid \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
         JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1] \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE c.contype = 'f' AND n.nspname = current_schema()",
    )
    .fetch_all(db)
    .await
    .unwrap()
    .into_iter()
    .collect()
}

/// CHECK constraints per table: `table: n`. SQLite keeps them only in the table's SQL, so
/// they are counted there (the migrations write `CHECK` in capitals, comments do not).
async fn sqlite_checks(db: &SqlitePool) -> BTreeSet<String> {
    let rows = sqlx::query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    rows.iter()
        .map(|r| {
            let (table, sql): (String, String) = (r.get(0), r.get(1));
            let n = sql
                .split("CHECK")
                .skip(1)
                .filter(|rest| rest.trim_start().starts_with('('))
                .count();
            let n = n + PG_ONLY_CHECKS.iter().filter(|(t, _)| *t == table).count();
            format!("{table}: {n}")
        })
        .collect()
}

/// Format checks on days that only PostgreSQL has (docs/postgres.md).
const PG_ONLY_CHECKS: [(&str, &str); 4] = [
    ("reservations", "pickup_date"),
    ("waitlist", "pickup_date"),
    ("qualifications", "granted_on"),
    ("stats_months", "month"),
];

async fn pg_checks(db: &PgPool) -> BTreeSet<String> {
    sqlx::query_scalar(
        "SELECT t.relname || ': ' || count(c.oid) \
         FROM pg_class t \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         LEFT JOIN pg_constraint c ON c.conrelid = t.oid AND c.contype = 'c' \
         WHERE t.relkind = 'r' AND n.nspname = current_schema() \
           AND t.relname <> '_sqlx_migrations' \
         GROUP BY t.relname",
    )
    .fetch_all(db)
    .await
    .unwrap()
    .into_iter()
    .collect()
}

/// Triggers: `name: timing event [of columns] on table`.
async fn sqlite_triggers(db: &SqlitePool) -> BTreeSet<String> {
    let rows = sqlx::query("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        .fetch_all(db)
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            let (name, table, sql): (String, String, String) = (r.get(0), r.get(1), r.get(2));
            let words: Vec<String> = sql
                .split_whitespace()
                .map(|w| w.trim_end_matches(',').to_uppercase())
                .collect();
            let at = words
                .iter()
                .position(|w| w == "BEFORE" || w == "AFTER")
                .expect("a timing");
            let event = &words[at + 1];
            let mut of: Vec<String> = Vec::new();
            if words[at + 2] == "OF" {
                of = words[at + 3..]
                    .iter()
                    .take_while(|w| *w != "ON")
                    .map(|w| w.to_lowercase())
                    .collect();
                of.sort();
            }
            let of = if of.is_empty() {
                String::new()
            } else {
                format!(" of {}", of.join(","))
            };
            format!("{name}: {} {event}{of} on {table}", words[at])
        })
        .collect()
}

async fn pg_triggers(db: &PgPool) -> BTreeSet<String> {
    sqlx::query_scalar(
        "SELECT t.trigger_name || ': ' || t.action_timing || ' ' || t.event_manipulation \
                || coalesce(' of ' || (SELECT string_agg(u.event_object_column, ',' \
                                                 ORDER BY u.event_object_column) \
                                        FROM information_schema.triggered_update_columns u \
                                        WHERE u.trigger_name = t.trigger_name \
                                          AND u.event_object_table = t.event_object_table), '') \
                || ' on ' || t.event_object_table \
         FROM information_schema.triggers t WHERE t.trigger_schema = current_schema()",
    )
    .fetch_all(db)
    .await
    .unwrap()
    .into_iter()
    .collect()
}

/// Adds to `problems` what is only on one side.
fn compare<T: Ord + std::fmt::Debug>(
    problems: &mut Vec<String>,
    what: &str,
    lite: &BTreeSet<T>,
    pg: &BTreeSet<T>,
) {
    let only_lite: Vec<_> = lite.difference(pg).collect();
    let only_pg: Vec<_> = pg.difference(lite).collect();
    if !only_lite.is_empty() || !only_pg.is_empty() {
        problems.push(format!(
            "{what} differ\n  only on SQLite: {only_lite:#?}\n  only on PostgreSQL: {only_pg:#?}"
        ));
    }
    if lite.is_empty() {
        problems.push(format!("{what}: none found"));
    }
}

/// The last SQLite migration the PostgreSQL baseline includes.
const BASELINE_COVERS: u64 = 20261201000070;

/// The versions (`<version>_<name>.sql`) in a migrations folder.
fn versions(dir: &str) -> BTreeSet<u64> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".sql")?;
            stem.split('_').next()?.parse().ok()
        })
        .collect()
}

/// Needs no PostgreSQL: every SQLite migration after the baseline has a PostgreSQL
/// counterpart with the same version, and PostgreSQL has no migration SQLite lacks.
#[test]
fn every_sqlite_migration_after_the_baseline_has_a_postgres_twin() {
    let lite = versions("../migrations");
    let pg = versions("../migrations/postgres");
    assert!(pg.contains(&20261201000000), "the baseline is there");
    let lite_after: BTreeSet<u64> = lite.into_iter().filter(|v| *v > BASELINE_COVERS).collect();
    let pg_after: BTreeSet<u64> = pg.into_iter().filter(|v| *v != 20261201000000).collect();
    assert_eq!(
        lite_after, pg_after,
        "SQLite migrations after {BASELINE_COVERS} and their PostgreSQL twins in \
         migrations/postgres (same version)"
    );
}

#[tokio::test]
async fn the_postgres_schema_has_the_sqlite_structure() {
    let Some(url) = pg_url("the_postgres_schema_has_the_sqlite_structure") else {
        return;
    };
    let lite = sqlite().await;
    let (name, pg) = postgres(&url).await;

    let mut problems = Vec::new();
    let lite_cols = sqlite_columns(&lite).await;
    let pg_cols = pg_columns(&pg).await;
    compare(
        &mut problems,
        "tables",
        &lite_cols.keys().collect(),
        &pg_cols.keys().collect(),
    );
    let flat = |c: &BTreeMap<String, (String, bool, Option<String>)>| {
        c.iter()
            .map(|(n, (ty, nn, d))| format!("{n} {ty} not null={nn} default={d:?}"))
            .collect::<BTreeSet<_>>()
    };
    for (table, cols) in &lite_cols {
        if let Some(pg_table) = pg_cols.get(table) {
            let what = format!("columns of {table}");
            compare(&mut problems, &what, &flat(cols), &flat(pg_table));
        }
    }
    let (lite_keys, pg_keys) = (sqlite_keys(&lite).await, pg_keys(&pg).await);
    compare(&mut problems, "keys and indexes", &lite_keys, &pg_keys);
    let (lite_fks, pg_fks) = (sqlite_foreign_keys(&lite).await, pg_foreign_keys(&pg).await);
    compare(&mut problems, "foreign keys", &lite_fks, &pg_fks);
    let (lite_checks, pg_checks) = (sqlite_checks(&lite).await, pg_checks(&pg).await);
    compare(
        &mut problems,
        "CHECK constraints per table",
        &lite_checks,
        &pg_checks,
    );
    let triggers = sqlite_triggers(&lite).await;
    assert!(triggers.len() >= 59, "{} SQLite triggers", triggers.len());
    compare(
        &mut problems,
        "triggers",
        &triggers,
        &pg_triggers(&pg).await,
    );

    drop_db(&url, &name, pg).await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn the_postgres_schema_refuses_a_database_that_does_not_compare_bytes() {
    let Some(url) = pg_url("the_postgres_schema_refuses_a_database_that_does_not_compare_bytes")
    else {
        return;
    };
    let (name, pg) = fresh_db(&url, "C.UTF-8").await;
    let refused = sqlx::migrate!("../migrations/postgres").run(&pg).await;
    let message = format!("{:?}", refused.expect_err("a C.UTF-8 database is refused"));
    assert!(message.contains("LC_COLLATE"), "{message}");
    drop_db(&url, &name, pg).await;
}

/// One SQLite and one PostgreSQL database that take the same statements.
struct Both {
    lite: SqlitePool,
    pg: PgPool,
}

impl Both {
    async fn exec(&self, sql: &str) {
        sqlx::query(sql)
            .execute(&self.lite)
            .await
            .unwrap_or_else(|e| panic!("SQLite: {sql}: {e}"));
        sqlx::query(sql)
            .execute(&self.pg)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL: {sql}: {e}"));
    }

    /// Both engines refuse the statement; returns PostgreSQL's message.
    async fn refused(&self, sql: &str) -> String {
        let lite = sqlx::query(sql).execute(&self.lite).await;
        assert!(lite.is_err(), "SQLite took {sql}");
        let pg = sqlx::query(sql).execute(&self.pg).await;
        pg.expect_err(&format!("PostgreSQL took {sql}")).to_string()
    }

    /// A query's rows as text (the query makes one text column), equal on both engines.
    async fn rows(&self, sql: &str) -> Vec<String> {
        let lite: Vec<String> = sqlx::query_scalar(sql).fetch_all(&self.lite).await.unwrap();
        let pg: Vec<String> = sqlx::query_scalar(sql).fetch_all(&self.pg).await.unwrap();
        assert_eq!(lite, pg, "{sql}");
        lite
    }

    /// An integer, equal on both engines.
    async fn int(&self, sql: &str) -> i64 {
        let lite: i64 = sqlx::query_scalar(sql).fetch_one(&self.lite).await.unwrap();
        let pg: i64 = sqlx::query_scalar(sql).fetch_one(&self.pg).await.unwrap();
        assert_eq!(lite, pg, "{sql}");
        lite
    }

    async fn catalogue_version(&self) -> i64 {
        self.int("SELECT version FROM catalogue_version").await
    }

    async fn stats_version(&self) -> i64 {
        self.int("SELECT version FROM stats_version").await
    }

    async fn months(&self) -> Vec<String> {
        self.rows("SELECT month || '=' || version FROM stats_months ORDER BY month")
            .await
    }

    /// The feed stamps, per engine (random, so they are compared with themselves later).
    async fn stamps(&self) -> (BTreeMap<String, i64>, BTreeMap<String, i64>) {
        let sql = "SELECT scope || ':' || id, stamp FROM feed_stamps";
        let lite = sqlx::query_as::<_, (String, i64)>(sql)
            .fetch_all(&self.lite)
            .await
            .unwrap();
        let pg = sqlx::query_as::<_, (String, i64)>(sql)
            .fetch_all(&self.pg)
            .await
            .unwrap();
        let lite: BTreeMap<_, _> = lite.into_iter().collect();
        let pg: BTreeMap<_, _> = pg.into_iter().collect();
        assert_eq!(
            lite.keys().collect::<Vec<_>>(),
            pg.keys().collect::<Vec<_>>(),
            "the same feed scopes are stamped"
        );
        (lite, pg)
    }

    /// Runs `sql` and returns the feed scopes whose stamp changed (the same on both).
    async fn restamped(&self, sql: &str) -> Vec<String> {
        let before = self.stamps().await;
        self.exec(sql).await;
        let after = self.stamps().await;
        let changed = |b: &BTreeMap<String, i64>, a: &BTreeMap<String, i64>| {
            a.iter()
                .filter(|(k, v)| b.get(*k) != Some(v))
                .map(|(k, _)| k.clone())
                .collect::<Vec<_>>()
        };
        let lite = changed(&before.0, &after.0);
        assert_eq!(lite, changed(&before.1, &after.1), "{sql}");
        lite
    }
}

const KIT: &str = "(SELECT id FROM kit_types WHERE slug = 'bee-bot')";
const AT: &str = "2027-01-04T09:00:00+00:00";

#[tokio::test]
async fn the_postgres_triggers_do_what_the_sqlite_ones_do() {
    let Some(url) = pg_url("the_postgres_triggers_do_what_the_sqlite_ones_do") else {
        return;
    };
    let (name, pg) = postgres(&url).await;
    let db = Both {
        lite: sqlite().await,
        pg,
    };

    // The catalogue version: kit types, their lists and units.
    assert_eq!(db.catalogue_version().await, 0);
    db.exec("INSERT INTO partners (slug, name) VALUES ('p', 'Partner')")
        .await;
    db.exec(
        "INSERT INTO pickup_points (partner_id, slug, name, street, postcode, municipality) \
         VALUES ((SELECT id FROM partners), 'gent', 'Balie', 'Straat 1', '9000', 'Gent')",
    )
    .await;
    assert_eq!(db.catalogue_version().await, 0);
    db.exec(&format!(
        "INSERT INTO kit_types (slug, title, kind, partner_id, created_at, updated_at) \
         VALUES ('bee-bot', 'Bee-Bot', 'uitleen', (SELECT id FROM partners), '{AT}', '{AT}')"
    ))
    .await;
    assert_eq!(db.catalogue_version().await, 1);
    let stats = db.stats_version().await;
    let changed = db
        .restamped("UPDATE kit_types SET title = 'Bee-Bot set' WHERE slug = 'bee-bot'")
        .await;
    assert_eq!(changed, ["*:0"], "a kit type's name is in every feed");
    assert_eq!(db.catalogue_version().await, 2);
    assert_eq!(db.stats_version().await, stats + 1);
    db.exec("UPDATE kit_types SET summary = 'Robotjes' WHERE slug = 'bee-bot'")
        .await;
    assert_eq!(db.catalogue_version().await, 3);
    assert_eq!(
        db.stats_version().await,
        stats + 1,
        "not a column reports name"
    );
    db.exec(&format!(
        "INSERT INTO kit_type_themes (kit_type_id, theme) VALUES ({KIT}, 'stem')"
    ))
    .await;
    db.exec(&format!(
        "INSERT INTO kit_type_pickup_points (kit_type_id, pickup_point_id) \
         VALUES ({KIT}, (SELECT id FROM pickup_points))"
    ))
    .await;
    db.exec(&format!(
        "INSERT INTO units (kit_type_id, inventory_code, created_at) \
         VALUES ({KIT}, 'BB-01', '{AT}'), ({KIT}, 'BB-02', '{AT}')"
    ))
    .await;
    assert_eq!(db.catalogue_version().await, 7);
    db.exec("UPDATE units SET created_at = '2027-01-05T00:00:00+00:00'")
        .await;
    assert_eq!(
        db.catalogue_version().await,
        7,
        "only a unit's status counts"
    );
    db.exec("UPDATE units SET status = 'onderhoud' WHERE inventory_code = 'BB-01'")
        .await;
    assert_eq!(db.catalogue_version().await, 8);

    // A kit type deleted takes its lists along (ON DELETE CASCADE), each row counted.
    db.exec(&format!(
        "INSERT INTO kit_types (slug, title, kind, partner_id, created_at, updated_at) \
         VALUES ('oud', 'Oud', 'lespakket', (SELECT id FROM partners), '{AT}', '{AT}')"
    ))
    .await;
    db.exec(
        "INSERT INTO kit_type_levels (kit_type_id, level) \
         SELECT id, 'lager' FROM kit_types WHERE slug = 'oud' \
         UNION ALL SELECT id, 'kleuter' FROM kit_types WHERE slug = 'oud'",
    )
    .await;
    let before = db.catalogue_version().await;
    db.exec("DELETE FROM kit_types WHERE slug = 'oud'").await;
    assert_eq!(db.int("SELECT count(*) FROM kit_type_levels").await, 0);
    assert_eq!(db.catalogue_version().await, before + 3);

    // People: roles stamp their own feed, a session sets the last sign-in.
    db.exec(
        "INSERT INTO schools (instellingsnummer, name, network) VALUES ('012345', 'School', 'go')",
    )
    .await;
    db.exec(&format!(
        "INSERT INTO users (email, name, created_at) VALUES ('an@school.be', 'An', '{AT}')"
    ))
    .await;
    let user = "(SELECT id FROM users WHERE email = 'an@school.be')";
    let school = "(SELECT id FROM schools)";
    let changed = db
        .restamped(&format!(
            "INSERT INTO user_roles (user_id, role, school_id) VALUES ({user}, 'teacher', {school})"
        ))
        .await;
    assert_eq!(changed, ["user:1"]);
    db.exec(&format!(
        "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) \
         VALUES ('h1', {user}, '2027-01-06T08:00:00+00:00', '2027-01-06T08:00:00+00:00')"
    ))
    .await;
    assert_eq!(
        db.rows("SELECT last_sign_in_at FROM users").await,
        ["2027-01-06T08:00:00+00:00"]
    );

    // Constraints the triggers rely on hold on both.
    db.refused(&format!(
        "INSERT INTO user_roles (user_id, role, school_id) VALUES ({user}, 'teacher', {school})"
    ))
    .await;
    db.refused(&format!(
        "INSERT INTO user_roles (user_id, role) VALUES ({user}, 'teacher')"
    ))
    .await;
    db.exec(&format!(
        "INSERT INTO user_roles (user_id, role) VALUES ({user}, 'admin')"
    ))
    .await;
    db.refused(&format!(
        "INSERT INTO user_roles (user_id, role) VALUES ({user}, 'admin')"
    ))
    .await;
    db.refused(&format!(
        "INSERT INTO users (email, name, created_at) VALUES ('Bo@school.be', 'Bo', '{AT}')"
    ))
    .await;
    db.refused(
        "INSERT INTO closed_periods (first_day, last_day, reason) VALUES ('2027-1-5', '2027-1-6', 'x')",
    )
    .await;

    // A reservation: audited, its month and its four feeds stamped, its span class set.
    let stats = db.stats_version().await;
    let changed = db
        .restamped(&format!(
            "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, \
             pickup_date, return_date, held_until, status, created_at, updated_at) \
             VALUES ({KIT}, (SELECT id FROM pickup_points), {school}, {user}, 2, \
             '2027-03-10', '2027-03-12', '2027-03-15', 'bevestigd', '{AT}', '{AT}')"
        ))
        .await;
    assert_eq!(changed, ["kit:1", "pickup:1", "school:1", "user:1"]);
    // Raised (by how much depends on which triggers also touch the row; equal on both).
    assert!(db.stats_version().await > stats);
    assert_eq!(db.months().await, ["2027-03=1"]);
    assert_eq!(
        db.rows(
            "SELECT at || ' ' || coalesce(actor_id, 0) || ' ' || action || ' ' || subject || ' ' \
             || detail FROM audit_log"
        )
        .await,
        [format!(
            "{AT} 1 reservation.create reservation:1 2 × bee-bot 2027-03-10..2027-03-12"
        )]
    );
    assert_eq!(db.int("SELECT hold_span_class FROM reservations").await, 0);

    // Moved to May: both months raised; a note changes no month.
    let changed = db
        .restamped(
            "UPDATE reservations SET pickup_date = '2027-05-03', return_date = '2027-05-07', \
             held_until = '2027-06-20'",
        )
        .await;
    assert_eq!(changed, ["kit:1", "pickup:1", "school:1", "user:1"]);
    assert_eq!(db.months().await, ["2027-03=2", "2027-05=1"]);
    assert_eq!(db.int("SELECT hold_span_class FROM reservations").await, 1);
    let stats = db.stats_version().await;
    db.exec("UPDATE reservations SET note = 'Voor 3B'").await;
    assert_eq!(db.months().await, ["2027-03=2", "2027-05=1"]);
    assert!(
        db.stats_version().await > stats,
        "any change of a reservation"
    );
    db.exec("UPDATE reservations SET held_until = '2028-02-01'")
        .await;
    assert_eq!(db.int("SELECT hold_span_class FROM reservations").await, 3);
    assert_eq!(
        db.months().await,
        ["2027-03=2", "2027-05=1"],
        "held_until is no report's"
    );
    // An offer from the waiting list is audited without an actor.
    db.exec(&format!(
        "INSERT INTO reservations (kit_type_id, pickup_point_id, school_id, user_id, quantity, \
         pickup_date, return_date, held_until, status, created_at, updated_at) \
         VALUES ({KIT}, (SELECT id FROM pickup_points), {school}, {user}, 1, \
         '2027-05-20', '2027-05-21', '2027-06-10', 'aangeboden', '{AT}', '{AT}')"
    ))
    .await;
    assert_eq!(
        db.rows("SELECT action || ' ' || coalesce(actor_id, 0) FROM audit_log ORDER BY id")
            .await,
        ["reservation.create 1", "waitlist.offer 0"]
    );
    assert_eq!(
        db.rows("SELECT hold_span_class || '' FROM reservations ORDER BY id")
            .await,
        ["3", "1"]
    );
    db.exec("DELETE FROM reservations WHERE status = 'aangeboden'")
        .await;
    assert_eq!(db.months().await, ["2027-03=2", "2027-05=3"]);

    // The audit log: no update, no delete; a row may only lose its person.
    let message = db.refused("UPDATE audit_log SET detail = 'anders'").await;
    assert!(message.contains("append-only"), "{message}");
    db.refused("UPDATE audit_log SET actor_id = NULL, detail = '', subject = 'iets'")
        .await;
    let message = db.refused("DELETE FROM audit_log").await;
    assert!(message.contains("append-only"), "{message}");
    db.exec(
        "UPDATE audit_log SET actor_id = NULL, detail = '', subject = 'reservation:verwijderd' \
         WHERE action = 'reservation.create'",
    )
    .await;
    assert_eq!(
        db.rows("SELECT subject || '|' || detail FROM audit_log ORDER BY id")
            .await,
        [
            "reservation:verwijderd|",
            "reservation:2|1 × bee-bot 2027-05-20..2027-05-21"
        ]
    );

    // The outbox forgets a mail flagged so once it is sent, and only then.
    db.exec(&format!(
        "INSERT INTO outbox (to_addr, subject, body, created_at, next_try_at, forget_after_send) \
         VALUES ('weg@school.be', 'Vaarwel', '…', '{AT}', '{AT}', 1), \
                ('blijf@school.be', 'Hallo', '…', '{AT}', '{AT}', 0)"
    ))
    .await;
    db.exec("UPDATE outbox SET attempts = 1").await;
    assert_eq!(db.int("SELECT count(*) FROM outbox").await, 2);
    db.exec(&format!("UPDATE outbox SET sent_at = '{AT}'"))
        .await;
    assert_eq!(
        db.rows("SELECT to_addr FROM outbox").await,
        ["blijf@school.be"]
    );

    // Trainings: a session is in every feed, a registration in its person's.
    db.exec(
        "INSERT INTO training_types (partner_id, slug, title, duration_minutes) \
         VALUES ((SELECT id FROM partners), 'robot', 'Robots', 120)",
    )
    .await;
    let changed = db
        .restamped(
            "INSERT INTO training_sessions (training_type_id, starts_at, ends_at, place, capacity, \
             registration_opens, registration_closes, created_at) VALUES \
             ((SELECT id FROM training_types), '2027-02-01T13:00:00+00:00', \
             '2027-02-01T15:00:00+00:00', 'Gent', 12, '2027-01-01T00:00:00+00:00', \
             '2027-01-31T00:00:00+00:00', '2027-01-01T00:00:00+00:00')",
        )
        .await;
    assert_eq!(changed, ["*:0"]);
    let changed = db
        .restamped(&format!(
            "INSERT INTO training_registrations (session_id, user_id, status, created_at, updated_at) \
             VALUES ((SELECT id FROM training_sessions), {user}, 'ingeschreven', '{AT}', '{AT}')"
        ))
        .await;
    assert_eq!(changed, ["user:1"]);
    let changed = db
        .restamped("UPDATE training_types SET title = 'Robotica'")
        .await;
    assert_eq!(changed, ["*:0"]);

    // Schools count in the reports.
    let stats = db.stats_version().await;
    db.exec("UPDATE schools SET name = 'Basisschool'").await;
    assert_eq!(db.stats_version().await, stats + 1);
    // A school's change takes the next sync number, on both engines alike; the guard keeps
    // the statistics and feed triggers from seeing the sync trigger's own update.
    let seq = db.int("SELECT seq FROM sync_counter").await;
    let stats = db.stats_version().await;
    let changed = db
        .restamped("UPDATE schools SET municipality = 'Gent'")
        .await;
    assert_eq!(changed, ["*:0"]);
    assert_eq!(db.stats_version().await, stats + 1);
    assert_eq!(db.int("SELECT seq FROM sync_counter").await, seq + 1);
    assert_eq!(db.int("SELECT change_seq FROM schools").await, seq + 1);

    // People and kit types (20261201000110): what an integration sees takes the next
    // number, on both engines alike; signing in and the numbering itself do not count.
    let seq = db.int("SELECT seq FROM sync_counter").await;
    db.exec(&format!(
        "UPDATE users SET last_sign_in_at = '{AT}', lang = 'en' WHERE id = {user}"
    ))
    .await;
    assert_eq!(db.int("SELECT seq FROM sync_counter").await, seq);
    db.exec(&format!(
        "UPDATE users SET name = 'An Anders' WHERE id = {user}"
    ))
    .await;
    assert_eq!(
        db.int(&format!("SELECT change_seq FROM users WHERE id = {user}"))
            .await,
        seq + 1
    );
    // A school's rename: the school and its teacher (in whichever order the engine fires).
    db.exec("UPDATE schools SET name = 'Hernoemd'").await;
    assert_eq!(db.int("SELECT seq FROM sync_counter").await, seq + 3);
    assert_eq!(
        db.int(&format!(
            "SELECT count(*) FROM users WHERE id = {user} AND change_seq > {}",
            seq + 1
        ))
        .await,
        1
    );
    let (version, stamps) = (db.catalogue_version().await, db.stamps().await);
    db.exec(&format!(
        "INSERT INTO kit_parts (kit_type_id, position, name, expected_count) VALUES ({KIT}, 1, 'Kabel', 1)"
    ))
    .await;
    assert_eq!(
        db.int(&format!(
            "SELECT change_seq FROM kit_types WHERE id = {KIT}"
        ))
        .await,
        seq + 4
    );
    assert_eq!(
        db.catalogue_version().await,
        version,
        "the numbering is not a catalogue change"
    );
    assert_eq!(db.stamps().await, stamps, "nor a feed change");
    db.exec(&format!(
        "UPDATE kit_types SET summary = 'Robots' WHERE id = {KIT}"
    ))
    .await;
    assert_eq!(db.catalogue_version().await, version + 1);
    db.exec(&format!(
        "INSERT INTO users (email, name, created_at) VALUES ('weg@school.be', 'Weg', '{AT}')"
    ))
    .await;
    db.exec("DELETE FROM users WHERE email = 'weg@school.be'")
        .await;
    assert_eq!(
        db.int("SELECT change_seq FROM sync_gone_users").await,
        db.int("SELECT seq FROM sync_counter").await
    );

    drop_db(&url, &name, db.pg).await;
}
