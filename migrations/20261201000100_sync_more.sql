-- The change sequence of 20261201000080_sync_changes for one more synced collection:
-- schools. Same counter, same two columns, same triggers.
ALTER TABLE schools ADD COLUMN change_seq INTEGER;
ALTER TABLE schools ADD COLUMN changed_at TEXT;

-- The sync triggers below re-update the row to store its number. The other AFTER UPDATE
-- triggers on `schools` (statistics version, feed stamps) must not see that update as a
-- change: they are recreated as they were plus `WHEN NEW.change_seq IS OLD.change_seq`
-- (an update by the application leaves `change_seq` alone; only the sync triggers set
-- it). Dropped first, so the numbering of existing rows below does not fire them either.
DROP TRIGGER stats_schools_u;
DROP TRIGGER feed_stamps_schools_u;

-- Existing rows, in id order, after the reservations and units, before the triggers exist.
UPDATE schools SET change_seq = c.seq + n.rn, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM schools) AS n, sync_counter AS c
 WHERE n.id = schools.id;
UPDATE sync_counter SET seq = seq + (SELECT count(*) FROM schools);

CREATE UNIQUE INDEX schools_change_seq ON schools(change_seq);

CREATE TRIGGER stats_schools_u AFTER UPDATE ON schools
WHEN NEW.change_seq IS OLD.change_seq
BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER feed_stamps_schools_u AFTER UPDATE ON schools
WHEN NEW.change_seq IS OLD.change_seq
BEGIN
    UPDATE feed_stamps SET stamp = random() WHERE scope = '*' AND id = 0;
END;

CREATE TRIGGER schools_sync_i AFTER INSERT ON schools
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE schools SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER schools_sync_u AFTER UPDATE ON schools
WHEN NEW.change_seq IS OLD.change_seq
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE schools SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
