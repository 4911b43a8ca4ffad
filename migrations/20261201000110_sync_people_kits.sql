-- The change sequence of 20261201000080_sync_changes for the last two synced collections:
-- people (`users`) and kit types. Same counter, same two columns.
--
-- A change an integration sees takes the next number; nothing else does:
-- * people: name, e-mail, confirmed, disabled, erased; a role given, changed or taken
--   away; the name of a school or partner service they hold a role at (the people API
--   shows roles with their scope's name). Signing in (`last_sign_in_at`), the language,
--   the password and the reminders setting are not shown, so they do not count.
-- * kit types: the row itself; its themes, levels, photos, parts, pickup points and
--   required trainings.
-- Related rows number the person or kit type themselves (setting `change_seq`), so the
-- guarded triggers below (catalogue version, feed stamps, the sync trigger) do not see
-- that as a change of the row.
ALTER TABLE users ADD COLUMN change_seq INTEGER;
ALTER TABLE users ADD COLUMN changed_at TEXT;
ALTER TABLE kit_types ADD COLUMN change_seq INTEGER;
ALTER TABLE kit_types ADD COLUMN changed_at TEXT;

-- An account that is removed (never confirmed, removed by the retention rules) leaves its
-- id and change number here, so an integration learns to delete its copy.
CREATE TABLE sync_gone_users (
    user_id     INTEGER PRIMARY KEY,
    change_seq  INTEGER NOT NULL UNIQUE,
    changed_at  TEXT NOT NULL
);

-- `kit_types` has two AFTER UPDATE triggers that fire on every update (catalogue version,
-- feed stamps): recreated as they were plus `WHEN NEW.change_seq IS OLD.change_seq`, so
-- the sync numbering is not a change to them. Dropped first, so the numbering of existing
-- rows below does not fire them either. (`stats_kits_u` is `UPDATE OF partner_id, title,
-- slug` and never sees the sync columns.)
DROP TRIGGER kit_types_ver_u;
DROP TRIGGER feed_stamps_kits_u;

-- Existing rows, in id order, after the earlier collections, before the triggers exist.
UPDATE users SET change_seq = c.seq + n.rn, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM users) AS n, sync_counter AS c
 WHERE n.id = users.id;
UPDATE sync_counter SET seq = seq + (SELECT count(*) FROM users);
UPDATE kit_types SET change_seq = c.seq + n.rn, changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM kit_types) AS n, sync_counter AS c
 WHERE n.id = kit_types.id;
UPDATE sync_counter SET seq = seq + (SELECT count(*) FROM kit_types);

CREATE UNIQUE INDEX users_change_seq ON users(change_seq);
CREATE UNIQUE INDEX kit_types_change_seq ON kit_types(change_seq);

CREATE TRIGGER kit_types_ver_u AFTER UPDATE ON kit_types
WHEN NEW.change_seq IS OLD.change_seq
BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER feed_stamps_kits_u AFTER UPDATE ON kit_types
WHEN NEW.change_seq IS OLD.change_seq
BEGIN
    UPDATE feed_stamps SET stamp = random() WHERE scope = '*' AND id = 0;
END;

-- People.
CREATE TRIGGER users_sync_i AFTER INSERT ON users
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE users SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER users_sync_u AFTER UPDATE OF email, name, confirmed_at, disabled_at, erased_at ON users
WHEN NEW.change_seq IS OLD.change_seq
 AND (NEW.email IS NOT OLD.email OR NEW.name IS NOT OLD.name
      OR NEW.confirmed_at IS NOT OLD.confirmed_at OR NEW.disabled_at IS NOT OLD.disabled_at
      OR NEW.erased_at IS NOT OLD.erased_at)
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE users SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER users_sync_d AFTER DELETE ON users
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    INSERT INTO sync_gone_users (user_id, change_seq, changed_at)
    VALUES (OLD.id, (SELECT seq FROM sync_counter), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ON CONFLICT (user_id) DO UPDATE SET change_seq = excluded.change_seq,
        changed_at = excluded.changed_at;
END;
CREATE TRIGGER user_roles_sync_i AFTER INSERT ON user_roles
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE users SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.user_id;
END;
CREATE TRIGGER user_roles_sync_u AFTER UPDATE ON user_roles
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE users SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.user_id;
    -- A role moved to another person: the first one too.
    UPDATE sync_counter SET seq = seq + 1 WHERE OLD.user_id IS NOT NEW.user_id;
    UPDATE users SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     WHERE id = OLD.user_id AND OLD.user_id IS NOT NEW.user_id;
END;
CREATE TRIGGER user_roles_sync_d AFTER DELETE ON user_roles
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE users SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = OLD.user_id;
END;
-- A renamed school or partner service: everyone holding a role there, each with a number
-- of their own (the counter plus their rank among them).
CREATE TRIGGER schools_sync_people AFTER UPDATE OF name ON schools
WHEN NEW.name IS NOT OLD.name
BEGIN
    UPDATE users SET change_seq = (SELECT seq FROM sync_counter)
            + (SELECT count(DISTINCT r.user_id) FROM user_roles r
                WHERE r.school_id = NEW.id AND r.user_id <= users.id),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     WHERE id IN (SELECT user_id FROM user_roles WHERE school_id = NEW.id);
    UPDATE sync_counter SET seq = seq
        + (SELECT count(DISTINCT user_id) FROM user_roles WHERE school_id = NEW.id);
END;
CREATE TRIGGER partners_sync_people AFTER UPDATE OF name ON partners
WHEN NEW.name IS NOT OLD.name
BEGIN
    UPDATE users SET change_seq = (SELECT seq FROM sync_counter)
            + (SELECT count(DISTINCT r.user_id) FROM user_roles r
                WHERE r.partner_id = NEW.id AND r.user_id <= users.id),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     WHERE id IN (SELECT user_id FROM user_roles WHERE partner_id = NEW.id);
    UPDATE sync_counter SET seq = seq
        + (SELECT count(DISTINCT user_id) FROM user_roles WHERE partner_id = NEW.id);
END;

-- Kit types.
CREATE TRIGGER kit_types_sync_i AFTER INSERT ON kit_types
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER kit_types_sync_u AFTER UPDATE ON kit_types
WHEN NEW.change_seq IS OLD.change_seq
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;
CREATE TRIGGER kit_type_themes_sync_i AFTER INSERT ON kit_type_themes
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.kit_type_id;
END;
CREATE TRIGGER kit_type_themes_sync_d AFTER DELETE ON kit_type_themes
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = OLD.kit_type_id;
END;
CREATE TRIGGER kit_type_levels_sync_i AFTER INSERT ON kit_type_levels
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.kit_type_id;
END;
CREATE TRIGGER kit_type_levels_sync_d AFTER DELETE ON kit_type_levels
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = OLD.kit_type_id;
END;
CREATE TRIGGER kit_photos_sync_i AFTER INSERT ON kit_photos
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.kit_type_id;
END;
CREATE TRIGGER kit_photos_sync_u AFTER UPDATE ON kit_photos
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.kit_type_id;
END;
CREATE TRIGGER kit_photos_sync_d AFTER DELETE ON kit_photos
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = OLD.kit_type_id;
END;
CREATE TRIGGER kit_parts_sync_i AFTER INSERT ON kit_parts
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.kit_type_id;
END;
CREATE TRIGGER kit_parts_sync_u AFTER UPDATE ON kit_parts
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.kit_type_id;
END;
CREATE TRIGGER kit_parts_sync_d AFTER DELETE ON kit_parts
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = OLD.kit_type_id;
END;
CREATE TRIGGER kit_type_pickup_points_sync_i AFTER INSERT ON kit_type_pickup_points
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.kit_type_id;
END;
CREATE TRIGGER kit_type_pickup_points_sync_d AFTER DELETE ON kit_type_pickup_points
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = OLD.kit_type_id;
END;
CREATE TRIGGER kit_type_trainings_sync_i AFTER INSERT ON kit_type_trainings
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.kit_type_id;
END;
CREATE TRIGGER kit_type_trainings_sync_d AFTER DELETE ON kit_type_trainings
BEGIN
    UPDATE sync_counter SET seq = seq + 1;
    UPDATE kit_types SET change_seq = (SELECT seq FROM sync_counter),
        changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = OLD.kit_type_id;
END;
