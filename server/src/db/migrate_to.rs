//! The SQL side of `leenpunt migrate-to postgres://…`: reading an SQLite installation and
//! writing it into a PostgreSQL database, table by table, and the per-table check (row count
//! and SHA-256) computed the same way on both sides. This file names both engines' types on
//! purpose: it is the one place that talks to two databases at once. The use case (what is
//! refused, in which order things happen, the report) is `service::migrate_to`.
//!
//! Types come from the target: PostgreSQL's `information_schema` says what each column is,
//! and the SQLite value is read as that (`bigint` ← INTEGER, `boolean` ← 0/1, `text`,
//! `bytea`, `double precision`). The checksum renders every value canonically
//! (`n;` for NULL, `i<decimal>;` for integers and flags, `r<bits>;`, `t<len>:<text>;`,
//! `b<len>:<bytes>;`, a newline per row), over the rows ordered by primary key, so the same
//! data gives the same digest on both engines.

use super::DbResult;
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgArguments, PgConnectOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteRow};
use sqlx::{ConnectOptions, Connection, PgConnection, Row, SqliteConnection};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// The migrations' own tables, and the one-row tables the PostgreSQL migrations fill
/// themselves (version counters, the change counter, the `'*'` feed stamp): rows there do
/// not mean a target already holds an installation.
const SEEDED: [&str; 4] = [
    "catalogue_version",
    "stats_version",
    "sync_counter",
    "feed_stamps",
];

/// How many values one `INSERT` carries at most (PostgreSQL allows 65,535 parameters).
const MAX_PARAMS: usize = 20_000;
/// Rows per `INSERT` at most.
const MAX_ROWS: usize = 1_000;

/// The newest PostgreSQL migration this program knows.
pub fn known_postgres_version() -> i64 {
    sqlx::migrate!("../migrations/postgres")
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// What a column holds, as the target declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    /// `boolean` on PostgreSQL, 0/1 on SQLite; rendered as 0/1 in the checksum.
    Flag,
    Real,
    Text,
    Bytes,
}

impl Kind {
    fn of(data_type: &str) -> Option<Kind> {
        Some(match data_type {
            "bigint" | "integer" | "smallint" => Kind::Int,
            "boolean" => Kind::Flag,
            "double precision" | "real" => Kind::Real,
            "text" | "character varying" | "character" => Kind::Text,
            "bytea" => Kind::Bytes,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    /// `GENERATED ALWAYS AS (…) STORED`: computed by the target, checked, never written.
    pub generated: bool,
    /// An identity (or serial) column whose sequence must be moved past the copied ids.
    pub identity: bool,
}

/// A table of the target, as the copy needs it.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    /// In the table's column order.
    pub columns: Vec<Column>,
    /// The primary key's columns (every column when there is none).
    pub key: Vec<String>,
}

impl Table {
    fn select(&self) -> String {
        let cols: Vec<String> = self.columns.iter().map(|c| quote(&c.name)).collect();
        let order: Vec<String> = self
            .key
            .iter()
            .map(|k| format!("{} NULLS FIRST", quote(k)))
            .collect();
        format!(
            "SELECT {} FROM {} ORDER BY {}",
            cols.join(", "),
            quote(&self.name),
            order.join(", ")
        )
    }
}

/// One value on its way from SQLite to PostgreSQL.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

/// A table's row count and SHA-256 (hex) over its rows in primary-key order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSum {
    pub rows: i64,
    pub checksum: String,
}

/// Count and digest of rows, fed one at a time in key order.
#[derive(Default)]
struct Summer {
    rows: i64,
    hash: Sha256,
}

impl Summer {
    fn row(&mut self, values: &[Value]) {
        self.rows += 1;
        for v in values {
            match v {
                Value::Null => self.hash.update(b"n;"),
                Value::Int(n) => self.hash.update(format!("i{n};")),
                Value::Real(x) => self.hash.update(format!("r{:016x};", x.to_bits())),
                Value::Text(s) => {
                    self.hash.update(format!("t{}:", s.len()));
                    self.hash.update(s.as_bytes());
                    self.hash.update(b";");
                }
                Value::Bytes(b) => {
                    self.hash.update(format!("b{}:", b.len()));
                    self.hash.update(b);
                    self.hash.update(b";");
                }
            }
        }
        self.hash.update(b"\n");
    }

    fn finish(self) -> TableSum {
        let digest = self.hash.finalize();
        TableSum {
            rows: self.rows,
            checksum: digest.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

/// `"name"`, with inner quotes doubled.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The SQLite installation, read inside one read transaction (one consistent state).
pub struct Source {
    conn: SqliteConnection,
}

impl Source {
    /// Opens the SQLite database at `url` read-only (it must exist) and starts reading.
    pub async fn open(url: &str) -> DbResult<Source> {
        let mut conn = SqliteConnectOptions::from_str(url)?
            .create_if_missing(false)
            .read_only(true)
            .connect()
            .await?;
        sqlx::query("BEGIN").execute(&mut conn).await?;
        Ok(Source { conn })
    }

    /// The newest migration applied to the source, or `None` when it has no migration
    /// history (not a Leenpunt database).
    pub async fn version(&mut self) -> DbResult<Option<i64>> {
        let has: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&mut self.conn)
        .await?;
        if has == 0 {
            return Ok(None);
        }
        Ok(Some(
            sqlx::query_scalar(
                "SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success = 1",
            )
            .fetch_one(&mut self.conn)
            .await?,
        ))
    }

    /// The source's tables (without SQLite's own and the migration history).
    pub async fn tables(&mut self) -> DbResult<BTreeSet<String>> {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
        )
        .fetch_all(&mut self.conn)
        .await?;
        Ok(names.into_iter().collect())
    }

    /// The columns of a source table (generated ones included).
    pub async fn columns(&mut self, table: &str) -> DbResult<BTreeSet<String>> {
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_xinfo($1)")
            .bind(table)
            .fetch_all(&mut self.conn)
            .await?;
        Ok(names.into_iter().collect())
    }

    /// Every row of `table`, in key order, read as the target's column types say.
    pub async fn rows(&mut self, table: &Table) -> DbResult<Vec<Vec<Value>>> {
        let rows = sqlx::query(&table.select())
            .fetch_all(&mut self.conn)
            .await?;
        rows.iter()
            .map(|r| {
                (0..table.columns.len())
                    .map(|i| sqlite_value(r, i, table.columns[i].kind))
                    .collect()
            })
            .collect()
    }

    pub async fn close(mut self) -> DbResult<()> {
        sqlx::query("ROLLBACK").execute(&mut self.conn).await?;
        self.conn.close().await?;
        Ok(())
    }
}

fn sqlite_value(r: &SqliteRow, i: usize, kind: Kind) -> DbResult<Value> {
    Ok(match kind {
        Kind::Int | Kind::Flag => r.try_get::<Option<i64>, _>(i)?.map(Value::Int),
        Kind::Real => r.try_get::<Option<f64>, _>(i)?.map(Value::Real),
        Kind::Text => r.try_get::<Option<String>, _>(i)?.map(Value::Text),
        Kind::Bytes => r.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Bytes),
    }
    .unwrap_or(Value::Null))
}

fn pg_value(r: &sqlx::postgres::PgRow, i: usize, kind: Kind) -> DbResult<Value> {
    Ok(match kind {
        Kind::Int => r.try_get::<Option<i64>, _>(i)?.map(Value::Int),
        Kind::Flag => r
            .try_get::<Option<bool>, _>(i)?
            .map(|b| Value::Int(i64::from(b))),
        Kind::Real => r.try_get::<Option<f64>, _>(i)?.map(Value::Real),
        Kind::Text => r.try_get::<Option<String>, _>(i)?.map(Value::Text),
        Kind::Bytes => r.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Bytes),
    }
    .unwrap_or(Value::Null))
}

/// The digest of rows read by [`Source::rows`] (what the target must hold).
pub fn sum(rows: &[Vec<Value>]) -> TableSum {
    let mut summer = Summer::default();
    rows.iter().for_each(|r| summer.row(r));
    summer.finish()
}

/// What a target database holds before the move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetState {
    /// The newest applied migration, when the target has a migration history.
    pub version: Option<i64>,
    /// Tables in the target's schema (without the migration history).
    pub tables: Vec<String>,
    /// Tables that hold rows the migrations did not write themselves.
    pub with_rows: Vec<String>,
}

/// The PostgreSQL database the installation moves to.
pub struct Target {
    conn: PgConnection,
    in_transaction: bool,
}

impl Target {
    pub async fn connect(url: &str) -> DbResult<Target> {
        let conn = PgConnectOptions::from_str(url)?.connect().await?;
        Ok(Target {
            conn,
            in_transaction: false,
        })
    }

    /// The target's tables in its current schema.
    async fn table_names(&mut self) -> DbResult<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
               AND table_name <> '_sqlx_migrations' ORDER BY 1",
        )
        .fetch_all(&mut self.conn)
        .await?)
    }

    /// What the target holds now.
    pub async fn state(&mut self) -> DbResult<TargetState> {
        let history: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations')",
        )
        .fetch_one(&mut self.conn)
        .await?;
        let version = if history {
            Some(
                sqlx::query_scalar::<_, i64>(
                    "SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success",
                )
                .fetch_one(&mut self.conn)
                .await?,
            )
        } else {
            None
        };
        let tables = self.table_names().await?;
        let mut with_rows = Vec::new();
        for t in tables.iter().filter(|t| !SEEDED.contains(&t.as_str())) {
            let any: bool =
                sqlx::query_scalar(&format!("SELECT EXISTS (SELECT 1 FROM {})", quote(t)))
                    .fetch_one(&mut self.conn)
                    .await?;
            if any {
                with_rows.push(t.clone());
            }
        }
        Ok(TargetState {
            version,
            tables,
            with_rows,
        })
    }

    /// Applies `migrations/postgres` (sqlx takes its advisory lock meanwhile).
    pub async fn migrate(&mut self) -> DbResult<()> {
        sqlx::migrate!("../migrations/postgres")
            .run(&mut self.conn)
            .await?;
        Ok(())
    }

    /// The target's tables with their columns, parents before the tables that refer to
    /// them (foreign keys); a cycle is refused as an error naming the tables.
    pub async fn schema(&mut self) -> DbResult<Result<Vec<Table>, String>> {
        let names = self.table_names().await?;
        let cols = sqlx::query(
            "SELECT table_name::text, column_name::text, data_type::text, \
                    is_generated = 'ALWAYS', \
                    is_identity = 'YES' OR coalesce(column_default, '') LIKE 'nextval(%' \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
        )
        .fetch_all(&mut self.conn)
        .await?;
        let mut columns: BTreeMap<String, Vec<Column>> = BTreeMap::new();
        for r in &cols {
            let table: String = r.get(0);
            let name: String = r.get(1);
            let ty: String = r.get(2);
            let Some(kind) = Kind::of(&ty) else {
                return Ok(Err(format!(
                    "{table}.{name} has type {ty}, which this program cannot copy"
                )));
            };
            columns.entry(table).or_default().push(Column {
                name,
                kind,
                generated: r.get(3),
                identity: r.get(4),
            });
        }
        let keys = sqlx::query(
            "SELECT c.relname::text, a.attname::text \
             FROM pg_index i \
             JOIN pg_class c ON c.oid = i.indrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() \
             JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, pos) ON true \
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
             WHERE i.indisprimary ORDER BY c.relname, k.pos",
        )
        .fetch_all(&mut self.conn)
        .await?;
        let mut key: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in &keys {
            key.entry(r.get(0)).or_default().push(r.get(1));
        }
        let refs = sqlx::query(
            "SELECT DISTINCT c.relname::text, p.relname::text \
             FROM pg_constraint f \
             JOIN pg_class c ON c.oid = f.conrelid \
             JOIN pg_class p ON p.oid = f.confrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() \
             WHERE f.contype = 'f'",
        )
        .fetch_all(&mut self.conn)
        .await?;
        let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for r in &refs {
            let (child, parent): (String, String) = (r.get(0), r.get(1));
            if child != parent {
                parents.entry(child).or_default().insert(parent);
            }
        }
        let order = match parents_first(&names, &parents) {
            Ok(order) => order,
            Err(e) => return Ok(Err(e)),
        };
        Ok(Ok(order
            .into_iter()
            .map(|name| {
                let columns = columns.remove(&name).unwrap_or_default();
                let key = key
                    .remove(&name)
                    .unwrap_or_else(|| columns.iter().map(|c| c.name.clone()).collect());
                Table { name, columns, key }
            })
            .collect()))
    }

    /// Starts the copy's one transaction: empties every table (the rows the migrations
    /// wrote, or an old installation under `--force`) and switches the tables' own triggers
    /// off, so the copied version counters, change numbers, stamps and audit rows are
    /// written as they are and nothing is added; foreign keys are still checked.
    pub async fn begin(&mut self, tables: &[Table]) -> DbResult<()> {
        sqlx::query("BEGIN").execute(&mut self.conn).await?;
        self.in_transaction = true;
        if tables.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = tables.iter().map(|t| quote(&t.name)).collect();
        sqlx::query(&format!("TRUNCATE {}", names.join(", ")))
            .execute(&mut self.conn)
            .await?;
        for t in &names {
            sqlx::query(&format!("ALTER TABLE {t} DISABLE TRIGGER USER"))
                .execute(&mut self.conn)
                .await?;
        }
        Ok(())
    }

    /// Writes `rows` (as read by [`Source::rows`]) into `table`, in batched multi-row
    /// inserts. Generated columns are left to the target.
    pub async fn insert(&mut self, table: &Table, rows: &[Vec<Value>]) -> DbResult<()> {
        let written: Vec<usize> = (0..table.columns.len())
            .filter(|&i| !table.columns[i].generated)
            .collect();
        if written.is_empty() || rows.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = written
            .iter()
            .map(|&i| quote(&table.columns[i].name))
            .collect();
        let head = format!(
            "INSERT INTO {} ({}) VALUES ",
            quote(&table.name),
            names.join(", ")
        );
        let per_batch = (MAX_PARAMS / written.len()).clamp(1, MAX_ROWS);
        for batch in rows.chunks(per_batch) {
            let mut sql = head.clone();
            let mut n = 0;
            for (r, _) in batch.iter().enumerate() {
                sql.push_str(if r == 0 { "(" } else { ", (" });
                for (c, _) in written.iter().enumerate() {
                    n += 1;
                    if c > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!("${n}"));
                }
                sql.push(')');
            }
            let mut query = sqlx::query_with(&sql, PgArguments::default());
            for row in batch {
                for &i in &written {
                    query = bind(query, table.columns[i].kind, &row[i]);
                }
            }
            query.execute(&mut self.conn).await?;
        }
        Ok(())
    }

    /// Moves every identity sequence of `table` past the largest copied value.
    pub async fn reset_identities(&mut self, table: &Table) -> DbResult<()> {
        for c in table.columns.iter().filter(|c| c.identity) {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence($1, $2), \
                 coalesce((SELECT max({col}) FROM {t}), 0) + 1, false)",
                col = quote(&c.name),
                t = quote(&table.name)
            ))
            .bind(quote(&table.name))
            .bind(&c.name)
            .execute(&mut self.conn)
            .await?;
        }
        Ok(())
    }

    /// Count and digest of `table` as the target holds it now (inside the copy's
    /// transaction), read the same way as the source.
    pub async fn sum(&mut self, table: &Table) -> DbResult<TableSum> {
        let rows = sqlx::query(&table.select())
            .fetch_all(&mut self.conn)
            .await?;
        let mut summer = Summer::default();
        for r in &rows {
            let values = (0..table.columns.len())
                .map(|i| pg_value(r, i, table.columns[i].kind))
                .collect::<DbResult<Vec<Value>>>()?;
            summer.row(&values);
        }
        Ok(summer.finish())
    }

    /// The newest applied migration (inside the copy's transaction).
    pub async fn version(&mut self) -> DbResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success",
        )
        .fetch_one(&mut self.conn)
        .await?)
    }

    /// Switches the triggers back on and commits the copy.
    pub async fn commit(&mut self, tables: &[Table]) -> DbResult<()> {
        for t in tables {
            sqlx::query(&format!(
                "ALTER TABLE {} ENABLE TRIGGER USER",
                quote(&t.name)
            ))
            .execute(&mut self.conn)
            .await?;
        }
        sqlx::query("COMMIT").execute(&mut self.conn).await?;
        self.in_transaction = false;
        Ok(())
    }

    /// Undoes everything since [`Target::begin`] (the triggers come back with it) and
    /// closes the connection.
    pub async fn close(mut self) -> DbResult<()> {
        if self.in_transaction {
            sqlx::query("ROLLBACK").execute(&mut self.conn).await?;
        }
        self.conn.close().await?;
        Ok(())
    }
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, PgArguments>;

fn bind<'q>(query: PgQuery<'q>, kind: Kind, value: &Value) -> PgQuery<'q> {
    match (kind, value) {
        (Kind::Int, Value::Int(n)) => query.bind(*n),
        (Kind::Flag, Value::Int(n)) => query.bind(*n != 0),
        (Kind::Real, Value::Real(x)) => query.bind(*x),
        (Kind::Text, Value::Text(s)) => query.bind(s.clone()),
        (Kind::Bytes, Value::Bytes(b)) => query.bind(b.clone()),
        (Kind::Int, _) => query.bind(None::<i64>),
        (Kind::Flag, _) => query.bind(None::<bool>),
        (Kind::Real, _) => query.bind(None::<f64>),
        (Kind::Text, _) => query.bind(None::<String>),
        (Kind::Bytes, _) => query.bind(None::<Vec<u8>>),
    }
}

/// `names` ordered so that every table comes after the tables it refers to (ties by name).
fn parents_first(
    names: &[String],
    parents: &BTreeMap<String, BTreeSet<String>>,
) -> Result<Vec<String>, String> {
    let mut left: BTreeSet<String> = names.iter().cloned().collect();
    let mut order = Vec::with_capacity(names.len());
    while !left.is_empty() {
        let ready: Vec<String> = left
            .iter()
            .filter(|t| {
                parents
                    .get(*t)
                    .is_none_or(|ps| ps.iter().all(|p| !left.contains(p)))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            return Err(format!(
                "the foreign keys of these tables form a cycle: {}",
                left.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        for t in ready {
            left.remove(&t);
            order.push(t);
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_first_and_cycles_are_named() {
        let names: Vec<String> = ["loans", "units", "kits"].map(String::from).into();
        let mut parents = BTreeMap::new();
        parents.insert("loans".to_string(), BTreeSet::from(["units".to_string()]));
        parents.insert("units".to_string(), BTreeSet::from(["kits".to_string()]));
        assert_eq!(
            parents_first(&names, &parents).unwrap(),
            ["kits", "units", "loans"]
        );
        parents.insert("kits".to_string(), BTreeSet::from(["loans".to_string()]));
        let err = parents_first(&names, &parents).unwrap_err();
        assert!(err.contains("kits, loans, units"), "{err}");
    }

    #[test]
    fn the_checksum_tells_values_apart() {
        let a = sum(&[vec![Value::Int(1), Value::Text("ab".into())]]);
        assert_eq!(a, sum(&[vec![Value::Int(1), Value::Text("ab".into())]]));
        assert_eq!(a.rows, 1);
        // NULL, an empty text and the text "n;" are three different things.
        let null = sum(&[vec![Value::Null]]);
        let empty = sum(&[vec![Value::Text(String::new())]]);
        let tricky = sum(&[vec![Value::Text("n;".into())]]);
        assert_ne!(null, empty);
        assert_ne!(null, tricky);
        assert_ne!(empty, tricky);
        // 1 as a number is not "1" as text; the row boundary counts.
        assert_ne!(
            sum(&[vec![Value::Int(1)]]),
            sum(&[vec![Value::Text("1".into())]])
        );
        assert_ne!(
            sum(&[vec![Value::Int(1), Value::Int(2)]]),
            sum(&[vec![Value::Int(1)], vec![Value::Int(2)]])
        );
        assert_eq!(sum(&[]).rows, 0);
    }
}
