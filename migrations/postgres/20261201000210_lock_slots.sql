-- Rows to lock by name (issue 17): `db::lock_names` hashes a name (a login address, a desk
-- scan's idempotency key) to one of these 4,096 slots and holds the slot's row
-- (`SELECT … FOR UPDATE`) until its transaction ends, so transactions deciding about the same
-- name take turns even when no row for the name exists yet. Row locks rather than advisory
-- locks, so it also runs on PostgreSQL-compatible distributed engines. On SQLite the table
-- exists for the same schema, and the file's write lock already orders writers.
CREATE TABLE lock_slots (
    slot BIGINT PRIMARY KEY
);
INSERT INTO lock_slots (slot) SELECT generate_series(0, 4095);
