//! The SQL that differs per engine, kept together (docs/database-seam.md).
//!
//! Most statements are one text for both engines (`$N` placeholders, `ON CONFLICT`,
//! `RETURNING`, `coalesce`, `CASE`, `EXISTS`, ISO dates as text). What is left goes through
//! the functions below, which write the fragment in the dialect of the connection's engine.

use super::Conn;

/// The database engine behind a connection or a [`super::Db`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine a database URL names (`sqlite:` or `postgres:`/`postgresql:`).
    pub fn from_url(url: &str) -> Option<Engine> {
        if url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }

    /// The engine of an open connection.
    pub fn of(conn: &Conn) -> Engine {
        if conn.backend_name().eq_ignore_ascii_case("postgresql") {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }

    /// `json_group_array(json_array(cols…))` read as text: a JSON array of arrays, one per
    /// row (`[]` when there is none on both engines).
    pub fn json_rows(self, cols: &str) -> String {
        match self {
            Engine::Sqlite => format!("json_group_array(json_array({cols}))"),
            Engine::Postgres => {
                format!("coalesce(json_agg(json_build_array({cols}))::text, '[]')")
            }
        }
    }

    /// [`Engine::json_rows`] in the order of `order`.
    pub fn json_rows_ordered(self, cols: &str, order: &str) -> String {
        match self {
            Engine::Sqlite => format!("json_group_array(json_array({cols}) ORDER BY {order})"),
            Engine::Postgres => {
                format!("coalesce(json_agg(json_build_array({cols}) ORDER BY {order})::text, '[]')")
            }
        }
    }

    /// A nested JSON value (a `json_rows` query, given without parentheses) inside
    /// `json_array(…)`: SQLite needs
    /// `json(…)` so it is not quoted as a string; PostgreSQL reads the text back as JSON.
    pub fn json_value(self, sub: &str) -> String {
        match self {
            Engine::Sqlite => format!("json(({sub}))"),
            Engine::Postgres => format!("(({sub}))::json"),
        }
    }

    /// The aggregate joining `expr` as text, separated by `sep` (an SQL string literal).
    pub fn group_concat(self, expr: &str, sep: &str) -> String {
        match self {
            Engine::Sqlite => format!("group_concat({expr}, {sep})"),
            Engine::Postgres => format!("string_agg(({expr})::text, {sep})"),
        }
    }

    /// [`Engine::group_concat`] in the order of `order`.
    pub fn group_concat_ordered(self, expr: &str, sep: &str, order: &str) -> String {
        match self {
            Engine::Sqlite => format!("group_concat({expr}, {sep} ORDER BY {order})"),
            Engine::Postgres => format!("string_agg(({expr})::text, {sep} ORDER BY {order})"),
        }
    }

    /// The distinct values of `expr` joined by commas (no order promised).
    pub fn group_concat_distinct(self, expr: &str) -> String {
        match self {
            Engine::Sqlite => format!("group_concat(DISTINCT {expr})"),
            Engine::Postgres => format!("string_agg(DISTINCT ({expr})::text, ',')"),
        }
    }

    /// `FROM reservations r`, on SQLite with the index that bounds each span class's range
    /// (its planner does not pick it alone); PostgreSQL's planner needs no hint.
    pub fn reservations_indexed_by(self, index: &str) -> String {
        match self {
            Engine::Sqlite => format!("reservations r INDEXED BY {index}"),
            Engine::Postgres => "reservations r".to_owned(),
        }
    }

    /// Text equality that ignores ASCII case (`COLLATE NOCASE` uses SQLite's index).
    pub fn eq_nocase(self, column: &str, value: &str) -> String {
        match self {
            Engine::Sqlite => format!("{column} = {value} COLLATE NOCASE"),
            Engine::Postgres => format!("lower({column}) = lower({value})"),
        }
    }

    /// `LIKE` that ignores ASCII case, as SQLite's `LIKE` does (`ILIKE` on PostgreSQL,
    /// whose `LIKE` minds case; both fold ASCII only in a `C` database).
    pub fn like(self) -> &'static str {
        match self {
            Engine::Sqlite => "LIKE",
            Engine::Postgres => "ILIKE",
        }
    }

    /// The number after `prefix` in `subject` (`user:12` → 12), NULL when the rest is not
    /// digits (SQLite's CAST would read junk as 0; PostgreSQL's would fail).
    pub fn id_after_prefix(self, subject: &str, prefix: &str) -> String {
        let n = prefix.len() + 1;
        match self {
            Engine::Sqlite => format!(
                "CASE WHEN {subject} GLOB '{prefix}[0-9]*' AND substr({subject}, {n}) NOT GLOB '*[^0-9]*' \
                 THEN CAST(substr({subject}, {n}) AS INTEGER) END"
            ),
            Engine::Postgres => format!(
                "CASE WHEN {subject} ~ '^{prefix}[0-9]{{1,18}}$' \
                 THEN CAST(substr({subject}, {n}) AS BIGINT) END"
            ),
        }
    }

    /// The position of `needle` in `haystack` (1-based, 0 when absent).
    pub fn instr(self, haystack: &str, needle: &str) -> String {
        match self {
            Engine::Sqlite => format!("instr({haystack}, {needle})"),
            Engine::Postgres => format!("strpos({haystack}, {needle})"),
        }
    }

    /// The larger of two values (SQLite's scalar `max`).
    pub fn greatest(self, a: &str, b: &str) -> String {
        match self {
            Engine::Sqlite => format!("max({a}, {b})"),
            Engine::Postgres => format!("greatest({a}, {b})"),
        }
    }

    /// The smaller of two values (SQLite's scalar `min`).
    pub fn least(self, a: &str, b: &str) -> String {
        match self {
            Engine::Sqlite => format!("min({a}, {b})"),
            Engine::Postgres => format!("least({a}, {b})"),
        }
    }

    /// The largest of several values (SQLite's scalar `max`); NULLs as [`Engine::greatest`].
    pub fn greatest_of(self, items: &[&str]) -> String {
        let list = items.join(", ");
        match self {
            Engine::Sqlite => format!("max({list})"),
            Engine::Postgres => format!("greatest({list})"),
        }
    }

    /// A key that finds a row again within the transaction that read it, as text, and
    /// the test of a row against a bound key: SQLite's `rowid`; PostgreSQL's `ctid`
    /// (stable until the row is updated, which the reader does last).
    pub fn row_locator(self) -> (&'static str, &'static str) {
        match self {
            Engine::Sqlite => ("CAST(rowid AS TEXT)", "rowid = CAST($2 AS INTEGER)"),
            Engine::Postgres => ("CAST(ctid AS TEXT)", "ctid = CAST($2 AS tid)"),
        }
    }

    /// An expression that orders a table's rows by insertion, for ties on a stored time:
    /// SQLite's `rowid`; PostgreSQL's inserting transaction id (`xmin`; every insert of
    /// such a table is a transaction of its own).
    pub fn insertion_order(self) -> &'static str {
        match self {
            Engine::Sqlite => "rowid",
            Engine::Postgres => "CAST(CAST(xmin AS TEXT) AS BIGINT)",
        }
    }

    /// A character by its code (`char(30)` / `chr(30)`).
    pub fn chr(self, code: u32) -> String {
        match self {
            Engine::Sqlite => format!("char({code})"),
            Engine::Postgres => format!("chr({code})"),
        }
    }

    /// An ISO day or instant (text) as a number of days, for differences: SQLite's
    /// `julianday`; on PostgreSQL the epoch in days (connections run in UTC, so a bare
    /// day is its midnight UTC, as in SQLite).
    pub fn julian(self, expr: &str) -> String {
        match self {
            Engine::Sqlite => format!("julianday({expr})"),
            Engine::Postgres => {
                format!("(extract(epoch from CAST({expr} AS timestamptz)) / 86400.0)")
            }
        }
    }

    /// The sum of a numeric expression as a real, 0.0 over no rows (SQLite's `total`).
    /// Give a condition as `CASE WHEN … THEN 1 ELSE 0 END`.
    pub fn total(self, expr: &str) -> String {
        match self {
            Engine::Sqlite => format!("total({expr})"),
            Engine::Postgres => {
                format!("CAST(coalesce(sum({expr}), 0) AS double precision)")
            }
        }
    }

    /// The ISO day `days` days after the ISO day (or instant) `expr`, as text.
    pub fn add_days(self, expr: &str, days: i64) -> String {
        match self {
            Engine::Sqlite => format!("date({expr}, '{days:+} days')"),
            Engine::Postgres => {
                format!("to_char(CAST(substr({expr}, 1, 10) AS date) + {days}, 'YYYY-MM-DD')")
            }
        }
    }

    /// The statement that opens a write transaction: SQLite takes the write lock at once
    /// (one writer); PostgreSQL's writers serialise on row locks instead.
    pub fn begin(self) -> &'static str {
        match self {
            Engine::Sqlite => "BEGIN IMMEDIATE",
            Engine::Postgres => "BEGIN",
        }
    }

    /// Appended to a `SELECT` that locks the rows a transaction is about to decide on
    /// (nothing on SQLite, where `BEGIN IMMEDIATE` already serialises writers).
    pub fn for_update(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE",
        }
    }

    /// Appended to a `SELECT` that claims job rows: rows another instance holds are
    /// skipped, so each is handled once.
    pub fn skip_locked(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_the_engine() {
        assert_eq!(Engine::from_url("sqlite://data/l.db"), Some(Engine::Sqlite));
        assert_eq!(Engine::from_url("sqlite::memory:"), Some(Engine::Sqlite));
        assert_eq!(
            Engine::from_url("postgres://u:p@h/db"),
            Some(Engine::Postgres)
        );
        assert_eq!(
            Engine::from_url("postgresql://u@h/db"),
            Some(Engine::Postgres)
        );
        assert_eq!(Engine::from_url("mysql://x"), None);
    }

    #[tokio::test]
    async fn a_connection_knows_its_engine_and_the_fragments_run() {
        let db = super::super::Db::open("sqlite::memory:").await.unwrap();
        let mut conn = db.read().await.unwrap();
        let e = Engine::of(&conn);
        assert_eq!(e, Engine::Sqlite);
        let sql = format!(
            "SELECT {}, {}, {}, {} FROM (SELECT 1 AS a UNION ALL SELECT 2)",
            e.json_rows("a, 'x'"),
            e.group_concat("a", "','"),
            e.greatest("1", "2"),
            e.instr("'abc'", "'c'"),
        );
        let row: (String, String, i64, i64) =
            sqlx::query_as(&sql).fetch_one(&mut *conn).await.unwrap();
        assert_eq!(row, ("[[1,\"x\"],[2,\"x\"]]".into(), "1,2".into(), 2, 3));
    }
}
