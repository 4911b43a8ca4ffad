-- PostgreSQL counterpart of ../20261201000110_sync_people_kits.sql: the change sequence
-- for people (`users`) and kit types, with the counter, `leenpunt_now()` and
-- `sync_take_next()` of 20261201000080_sync_changes.sql. Related rows number the person
-- or kit type themselves (setting `change_seq`), so the guarded triggers do not see that
-- as a change of the row.
ALTER TABLE users ADD COLUMN change_seq BIGINT;
ALTER TABLE users ADD COLUMN changed_at TEXT;
ALTER TABLE kit_types ADD COLUMN change_seq BIGINT;
ALTER TABLE kit_types ADD COLUMN changed_at TEXT;

-- A removed account's id and change number, so an integration learns to delete its copy.
CREATE TABLE sync_gone_users (
    user_id     BIGINT PRIMARY KEY,
    change_seq  BIGINT NOT NULL UNIQUE,
    changed_at  TEXT NOT NULL
);

-- Recreated below with the guard (dropped before the numbering of existing rows).
DROP TRIGGER kit_types_ver_u ON kit_types;
DROP TRIGGER feed_stamps_kits_u ON kit_types;

-- Existing rows, in id order, after the earlier collections, before the triggers exist.
UPDATE users SET change_seq = c.seq + n.rn, changed_at = leenpunt_now()
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM users) AS n, sync_counter AS c
 WHERE n.id = users.id;
UPDATE sync_counter SET seq = seq + (SELECT count(*) FROM users);
UPDATE kit_types SET change_seq = c.seq + n.rn, changed_at = leenpunt_now()
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM kit_types) AS n, sync_counter AS c
 WHERE n.id = kit_types.id;
UPDATE sync_counter SET seq = seq + (SELECT count(*) FROM kit_types);

CREATE UNIQUE INDEX users_change_seq ON users (change_seq);
CREATE UNIQUE INDEX kit_types_change_seq ON kit_types (change_seq);

CREATE TRIGGER kit_types_ver_u AFTER UPDATE ON kit_types
    FOR EACH ROW WHEN (NEW.change_seq IS NOT DISTINCT FROM OLD.change_seq)
    EXECUTE FUNCTION bump_catalogue_version();
CREATE TRIGGER feed_stamps_kits_u AFTER UPDATE ON kit_types
    FOR EACH ROW WHEN (NEW.change_seq IS NOT DISTINCT FROM OLD.change_seq)
    EXECUTE FUNCTION feed_stamps_everything();

-- The next number for one row of `tbl` (no row: the number is simply not used).
CREATE FUNCTION sync_number(tbl TEXT, row_id BIGINT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    next BIGINT;
BEGIN
    UPDATE sync_counter SET seq = seq + 1 RETURNING seq INTO next;
    EXECUTE format('UPDATE %I SET change_seq = $1, changed_at = leenpunt_now() WHERE id = $2', tbl)
        USING next, row_id;
END
$$;

-- People.
CREATE TRIGGER users_sync_i AFTER INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION sync_take_next();
CREATE TRIGGER users_sync_u AFTER UPDATE OF email, name, confirmed_at, disabled_at, erased_at ON users
    FOR EACH ROW WHEN (NEW.change_seq IS NOT DISTINCT FROM OLD.change_seq
        AND (NEW.email IS DISTINCT FROM OLD.email OR NEW.name IS DISTINCT FROM OLD.name
             OR NEW.confirmed_at IS DISTINCT FROM OLD.confirmed_at
             OR NEW.disabled_at IS DISTINCT FROM OLD.disabled_at
             OR NEW.erased_at IS DISTINCT FROM OLD.erased_at))
    EXECUTE FUNCTION sync_take_next();

CREATE FUNCTION sync_gone_user() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    next BIGINT;
BEGIN
    UPDATE sync_counter SET seq = seq + 1 RETURNING seq INTO next;
    INSERT INTO sync_gone_users (user_id, change_seq, changed_at)
    VALUES (OLD.id, next, leenpunt_now())
    ON CONFLICT (user_id) DO UPDATE SET change_seq = excluded.change_seq,
        changed_at = excluded.changed_at;
    RETURN NULL;
END
$$;
CREATE TRIGGER users_sync_d AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION sync_gone_user();

-- A role given, changed or taken away: its person (both, if it moved).
CREATE FUNCTION sync_touch_role_holder() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM sync_number('users', NEW.user_id);
    END IF;
    IF TG_OP = 'UPDATE' THEN
        PERFORM sync_number('users', OLD.user_id) WHERE OLD.user_id IS DISTINCT FROM NEW.user_id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM sync_number('users', OLD.user_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER user_roles_sync_i AFTER INSERT ON user_roles
    FOR EACH ROW EXECUTE FUNCTION sync_touch_role_holder();
CREATE TRIGGER user_roles_sync_u AFTER UPDATE ON user_roles
    FOR EACH ROW EXECUTE FUNCTION sync_touch_role_holder();
CREATE TRIGGER user_roles_sync_d AFTER DELETE ON user_roles
    FOR EACH ROW EXECUTE FUNCTION sync_touch_role_holder();

-- A renamed school or partner service: everyone holding a role there, in id order.
CREATE FUNCTION sync_touch_people_of() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    person BIGINT;
BEGIN
    FOR person IN
        SELECT DISTINCT user_id FROM user_roles
         WHERE (TG_TABLE_NAME = 'schools' AND school_id = NEW.id)
            OR (TG_TABLE_NAME = 'partners' AND partner_id = NEW.id)
         ORDER BY user_id
    LOOP
        PERFORM sync_number('users', person);
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER schools_sync_people AFTER UPDATE OF name ON schools
    FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name)
    EXECUTE FUNCTION sync_touch_people_of();
CREATE TRIGGER partners_sync_people AFTER UPDATE OF name ON partners
    FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name)
    EXECUTE FUNCTION sync_touch_people_of();

-- Kit types.
CREATE TRIGGER kit_types_sync_i AFTER INSERT ON kit_types
    FOR EACH ROW EXECUTE FUNCTION sync_take_next();
CREATE TRIGGER kit_types_sync_u AFTER UPDATE ON kit_types
    FOR EACH ROW WHEN (NEW.change_seq IS NOT DISTINCT FROM OLD.change_seq)
    EXECUTE FUNCTION sync_take_next();

-- A theme, level, photo, part, pickup point or required training added, changed or taken
-- away: its kit type.
CREATE FUNCTION sync_touch_kit_type() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM sync_number('kit_types', OLD.kit_type_id);
    ELSE
        PERFORM sync_number('kit_types', NEW.kit_type_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER kit_type_themes_sync_i AFTER INSERT ON kit_type_themes
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
CREATE TRIGGER kit_type_themes_sync_d AFTER DELETE ON kit_type_themes
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
CREATE TRIGGER kit_type_levels_sync_i AFTER INSERT ON kit_type_levels
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
CREATE TRIGGER kit_type_levels_sync_d AFTER DELETE ON kit_type_levels
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
CREATE TRIGGER kit_photos_sync_i AFTER INSERT ON kit_photos
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
CREATE TRIGGER kit_photos_sync_u AFTER UPDATE ON kit_photos
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
CREATE TRIGGER kit_photos_sync_d AFTER DELETE ON kit_photos
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
CREATE TRIGGER kit_parts_sync_i AFTER INSERT ON kit_parts
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
CREATE TRIGGER kit_parts_sync_u AFTER UPDATE ON kit_parts
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
CREATE TRIGGER kit_parts_sync_d AFTER DELETE ON kit_parts
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
CREATE TRIGGER kit_type_pickup_points_sync_i AFTER INSERT ON kit_type_pickup_points
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
CREATE TRIGGER kit_type_pickup_points_sync_d AFTER DELETE ON kit_type_pickup_points
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
CREATE TRIGGER kit_type_trainings_sync_i AFTER INSERT ON kit_type_trainings
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
CREATE TRIGGER kit_type_trainings_sync_d AFTER DELETE ON kit_type_trainings
    FOR EACH ROW EXECUTE FUNCTION sync_touch_kit_type();
