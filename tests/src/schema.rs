//! Looking at the database itself, the same question on either engine: its tables and
//! columns, its clock and its health. Test code that would otherwise name SQLite's
//! catalogue (`sqlite_master`, `pragma_table_xinfo`, `PRAGMA integrity_check`,
//! `strftime`) asks here.

use leenpunt_server::db::{Db, Engine};

/// The application's tables by name (not sqlx's `_sqlx_migrations`), sorted.
pub async fn tables(db: &Db) -> Vec<String> {
    let sql = match db.engine() {
        Engine::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' \
             ORDER BY name"
        }
        Engine::Postgres => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name NOT LIKE '\\_sqlx%' ORDER BY table_name"
        }
    };
    sqlx::query_scalar(sql)
        .fetch_all(db.pool())
        .await
        .expect("list the tables")
}

/// The columns of `table` (generated ones included), in their order.
pub async fn columns(db: &Db, table: &str) -> Vec<String> {
    let sql = match db.engine() {
        Engine::Sqlite => "SELECT name FROM pragma_table_xinfo($1) ORDER BY cid",
        Engine::Postgres => {
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 \
             ORDER BY ordinal_position"
        }
    };
    sqlx::query_scalar(sql)
        .bind(table)
        .fetch_all(db.pool())
        .await
        .expect("list the columns")
}

/// The database's clock as the triggers write it (`changed_at`): RFC 3339 UTC text with
/// milliseconds, `2026-12-01T04:10:00.123Z`.
pub async fn now(db: &Db) -> String {
    let sql = match db.engine() {
        Engine::Sqlite => "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        Engine::Postgres => "SELECT leenpunt_now()",
    };
    sqlx::query_scalar(sql)
        .fetch_one(db.pool())
        .await
        .expect("the database's clock")
}

/// Panics unless the stored data is sound: SQLite's `PRAGMA integrity_check` (pages,
/// indexes against their tables, constraints); on PostgreSQL `amcheck` on every B-tree
/// index of the schema, its entries in order and each table row found in it
/// (`bt_index_check` with `heapallindexed`).
pub async fn check_integrity(db: &Db) {
    match db.engine() {
        Engine::Sqlite => {
            let report: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(db.pool())
                .await
                .expect("integrity check");
            assert_eq!(report, ["ok"], "PRAGMA integrity_check");
        }
        Engine::Postgres => {
            let mut conn = db.writer().acquire().await.expect("a connection");
            sqlx::query("CREATE EXTENSION IF NOT EXISTS amcheck")
                .execute(&mut *conn)
                .await
                .expect("amcheck (PostgreSQL's contrib)");
            let checked: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM (SELECT bt_index_check(c.oid, true) FROM pg_index i \
                 JOIN pg_class c ON c.oid = i.indexrelid \
                 JOIN pg_am a ON a.oid = c.relam \
                 WHERE a.amname = 'btree' \
                 AND c.relnamespace = current_schema()::regnamespace) AS checked",
            )
            .fetch_one(&mut *conn)
            .await
            .expect("bt_index_check");
            assert!(checked > 0, "no index was checked");
        }
    }
}

/// Makes the trigger `name`, which refuses `event` on `table` (`INSERT`, `UPDATE OF
/// disabled_at`) for the rows where `when` holds (`NEW.action = 'login'`), or for every
/// row: the statement fails with the error `test: refused`, as a broken write would.
pub async fn refusing_trigger(db: &Db, name: &str, event: &str, table: &str, when: Option<&str>) {
    let statements = match db.engine() {
        Engine::Sqlite => {
            let when = when.map(|w| format!("WHEN {w} ")).unwrap_or_default();
            vec![format!(
                "CREATE TRIGGER {name} BEFORE {event} ON {table} {when}\
                 BEGIN SELECT RAISE(ABORT, 'test: refused'); END"
            )]
        }
        Engine::Postgres => {
            let when = when.map(|w| format!("WHEN ({w}) ")).unwrap_or_default();
            vec![
                "CREATE OR REPLACE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql \
                 AS $$ BEGIN RAISE EXCEPTION 'test: refused'; END $$"
                    .to_owned(),
                format!(
                    "CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW {when}\
                     EXECUTE FUNCTION test_refuse()"
                ),
            ]
        }
    };
    for sql in statements {
        sqlx::query(&sql)
            .execute(db.writer())
            .await
            .expect("create a refusing trigger");
    }
}

/// Drops a trigger made by [`refusing_trigger`].
pub async fn drop_trigger(db: &Db, name: &str, table: &str) {
    let sql = match db.engine() {
        Engine::Sqlite => format!("DROP TRIGGER {name}"),
        Engine::Postgres => format!("DROP TRIGGER {name} ON {table}"),
    };
    sqlx::query(&sql)
        .execute(db.writer())
        .await
        .expect("drop the trigger");
}
