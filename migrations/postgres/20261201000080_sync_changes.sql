-- PostgreSQL counterpart of ../20261201000080_sync_changes.sql: a change sequence for the
-- collections an integration syncs. Every insert or update of a reservation or a unit
-- takes the next number of one counter. The counter's row stays locked until the writer
-- commits, so here too the numbers come in commit order.
CREATE TABLE sync_counter (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL
);
INSERT INTO sync_counter (id, seq) VALUES (1, 0);

ALTER TABLE reservations ADD COLUMN change_seq BIGINT;
ALTER TABLE reservations ADD COLUMN changed_at TEXT;
ALTER TABLE units ADD COLUMN change_seq BIGINT;
ALTER TABLE units ADD COLUMN changed_at TEXT;

-- The database's wall time as SQLite's strftime('%Y-%m-%dT%H:%M:%fZ', 'now') writes it
-- (milliseconds, `Z`); like SQLite's 'now', fixed for the statement.
CREATE FUNCTION leenpunt_now() RETURNS TEXT
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- Existing rows, in id order, before the triggers exist.
UPDATE reservations SET change_seq = n.rn, changed_at = leenpunt_now()
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM reservations) AS n
 WHERE n.id = reservations.id;
UPDATE sync_counter SET seq = seq + (SELECT count(*) FROM reservations);
UPDATE units SET change_seq = c.seq + n.rn, changed_at = leenpunt_now()
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM units) AS n, sync_counter AS c
 WHERE n.id = units.id;
UPDATE sync_counter SET seq = seq + (SELECT count(*) FROM units);

CREATE UNIQUE INDEX reservations_change_seq ON reservations (change_seq);
CREATE UNIQUE INDEX units_change_seq ON units (change_seq);

-- The row that fired it (reservations or units) takes the next number. The UPDATE
-- triggers fire only for updates that leave `change_seq` alone, so this function's own
-- update does not fire them again.
CREATE FUNCTION sync_take_next() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    next BIGINT;
BEGIN
    UPDATE sync_counter SET seq = seq + 1 RETURNING seq INTO next;
    EXECUTE format('UPDATE %I SET change_seq = $1, changed_at = leenpunt_now() WHERE id = $2',
                   TG_TABLE_NAME)
        USING next, NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER reservations_sync_i AFTER INSERT ON reservations
    FOR EACH ROW EXECUTE FUNCTION sync_take_next();
CREATE TRIGGER reservations_sync_u AFTER UPDATE ON reservations
    FOR EACH ROW WHEN (NEW.change_seq IS NOT DISTINCT FROM OLD.change_seq)
    EXECUTE FUNCTION sync_take_next();
CREATE TRIGGER units_sync_i AFTER INSERT ON units
    FOR EACH ROW EXECUTE FUNCTION sync_take_next();
CREATE TRIGGER units_sync_u AFTER UPDATE ON units
    FOR EACH ROW WHEN (NEW.change_seq IS NOT DISTINCT FROM OLD.change_seq)
    EXECUTE FUNCTION sync_take_next();

-- A unit as synced shows its current label and open loan: a new or retired label, a
-- hand-over and a return count as changes of the unit (touching a column the catalogue's
-- own triggers do not watch).
CREATE FUNCTION sync_touch_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE units SET inventory_code = inventory_code WHERE id = NEW.unit_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER unit_tags_sync_i AFTER INSERT ON unit_tags
    FOR EACH ROW EXECUTE FUNCTION sync_touch_unit();
CREATE TRIGGER unit_tags_sync_u AFTER UPDATE OF retired_at ON unit_tags
    FOR EACH ROW EXECUTE FUNCTION sync_touch_unit();
CREATE TRIGGER loan_lines_sync_i AFTER INSERT ON loan_lines
    FOR EACH ROW EXECUTE FUNCTION sync_touch_unit();
CREATE TRIGGER loan_lines_sync_u AFTER UPDATE OF returned_at ON loan_lines
    FOR EACH ROW EXECUTE FUNCTION sync_touch_unit();
