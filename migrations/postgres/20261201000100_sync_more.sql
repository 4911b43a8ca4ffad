-- PostgreSQL counterpart of ../20261201000100_sync_more.sql: the change sequence for
-- schools, with the counter and trigger function of 20261201000080_sync_changes.sql.
ALTER TABLE schools ADD COLUMN change_seq BIGINT;
ALTER TABLE schools ADD COLUMN changed_at TEXT;

-- The other AFTER UPDATE triggers on `schools` must not see the sync trigger's own update
-- as a change: recreated as they were plus the guard (dropped before the numbering of
-- existing rows, so it does not fire them either).
DROP TRIGGER stats_schools_u ON schools;
DROP TRIGGER feed_stamps_schools_u ON schools;

-- Existing rows, in id order, after the reservations and units, before the triggers exist.
UPDATE schools SET change_seq = c.seq + n.rn, changed_at = leenpunt_now()
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM schools) AS n, sync_counter AS c
 WHERE n.id = schools.id;
UPDATE sync_counter SET seq = seq + (SELECT count(*) FROM schools);

CREATE UNIQUE INDEX schools_change_seq ON schools (change_seq);

CREATE TRIGGER stats_schools_u AFTER UPDATE ON schools
    FOR EACH ROW WHEN (NEW.change_seq IS NOT DISTINCT FROM OLD.change_seq)
    EXECUTE FUNCTION bump_stats_version();
CREATE TRIGGER feed_stamps_schools_u AFTER UPDATE ON schools
    FOR EACH ROW WHEN (NEW.change_seq IS NOT DISTINCT FROM OLD.change_seq)
    EXECUTE FUNCTION feed_stamps_everything();

CREATE TRIGGER schools_sync_i AFTER INSERT ON schools
    FOR EACH ROW EXECUTE FUNCTION sync_take_next();
CREATE TRIGGER schools_sync_u AFTER UPDATE ON schools
    FOR EACH ROW WHEN (NEW.change_seq IS NOT DISTINCT FROM OLD.change_seq)
    EXECUTE FUNCTION sync_take_next();
