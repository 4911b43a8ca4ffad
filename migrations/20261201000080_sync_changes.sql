-- A change sequence for the collections an integration syncs (issue 18): every insert or
-- update of a reservation or a unit takes the next number of one counter, so a client can
-- page by `change_seq` and never miss a change (SQLite has one writer: the numbers come in
-- commit order). `changed_at` is the database's wall time of that change (for
-- `updated_since`); the tables' own `updated_at`, where they have one, stays the
-- application's clock.
CREATE TABLE sync_counter (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL
);
INSERT INTO sync_counter (id, seq) VALUES (1, 0);

ALTER TABLE reservations ADD COLUMN change_seq INTEGER;
ALTER TABLE reservations ADD COLUMN changed_at TEXT;
ALTER TABLE units ADD COLUMN change_seq INTEGER;
ALTER TABLE units ADD COLUMN changed_at TEXT;

-- Existing rows, in id order, before the triggers exist.
UPDATE reservations SET change_seq = n.rn, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM reservations) AS n
 WHERE n.id = reservations.id;
UPDATE sync_counter SET seq = seq + (SELECT count(*) FROM reservations);
UPDATE units SET change_seq = c.seq + n.rn, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM units) AS n, sync_counter AS c
 WHERE n.id = units.id;
UPDATE sync_counter SET seq = seq + (SELECT count(*) FROM units);

CREATE UNIQUE INDEX reservations_change_seq ON reservations(change_seq);
CREATE UNIQUE INDEX units_change_seq ON units(change_seq);

-- The UPDATE triggers fire only for updates that leave `change_seq` alone, so the
-- triggers' own updates never fire them again (and recursive_triggers is off anyway).
CREATE TRIGGER reservations_sync_i AFTER INSERT ON reservations
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE reservations SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER reservations_sync_u AFTER UPDATE ON reservations
WHEN NEW.change_seq IS OLD.change_seq
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE reservations SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER units_sync_i AFTER INSERT ON units
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE units SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER units_sync_u AFTER UPDATE ON units
WHEN NEW.change_seq IS OLD.change_seq
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE units SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;

-- A unit as synced shows its current label and open loan: a new or retired label, a
-- hand-over and a return count as changes of the unit (touching a column the catalogue's
-- own triggers do not watch).
CREATE TRIGGER unit_tags_sync_i AFTER INSERT ON unit_tags
BEGIN
    UPDATE units SET inventory_code = inventory_code WHERE id = NEW.unit_id;
END;
CREATE TRIGGER unit_tags_sync_u AFTER UPDATE OF retired_at ON unit_tags
BEGIN
    UPDATE units SET inventory_code = inventory_code WHERE id = NEW.unit_id;
END;
CREATE TRIGGER loan_lines_sync_i AFTER INSERT ON loan_lines
BEGIN
    UPDATE units SET inventory_code = inventory_code WHERE id = NEW.unit_id;
END;
CREATE TRIGGER loan_lines_sync_u AFTER UPDATE OF returned_at ON loan_lines
BEGIN
    UPDATE units SET inventory_code = inventory_code WHERE id = NEW.unit_id;
END;
