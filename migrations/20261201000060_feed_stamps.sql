-- Change stamps for calendar feeds (issue 16): a full GET of an unchanged feed must not
-- run the fingerprint query over all its events.
--
-- Every write to what a feed's fingerprint reads sets a fresh random stamp on the scopes
-- it touches, in the same statement (triggers, so no writer can forget: API, jobs,
-- imports, restores, raw SQL in tests). A server remembers, per feed, the fingerprint it
-- read together with the stamps; while the stamps read back unchanged, nothing the
-- fingerprint depends on changed, and the remembered one is still the database's.
-- Random rather than counted, so a restored older database (or another process on the
-- same file) can never show a stamp that once meant other content.
--
-- scope: '*' (everything: labels, kit types, training sessions), 'user', 'school',
-- 'kit' or 'pickup' (calendar_feeds.scope), with the id of the user, school, kit type or
-- pickup point ('*': 0).
CREATE TABLE feed_stamps (
    scope  TEXT NOT NULL,
    id     INTEGER NOT NULL,
    stamp  INTEGER NOT NULL,
    PRIMARY KEY (scope, id)
) WITHOUT ROWID;
INSERT INTO feed_stamps (scope, id, stamp) VALUES ('*', 0, random());

-- A reservation is in its borrower's, school's, kit type's and pickup point's feeds.
CREATE TRIGGER feed_stamps_res_i AFTER INSERT ON reservations BEGIN
    INSERT INTO feed_stamps (scope, id, stamp) VALUES
        ('user', NEW.user_id, random()), ('school', NEW.school_id, random()),
        ('kit', NEW.kit_type_id, random()), ('pickup', NEW.pickup_point_id, random())
    ON CONFLICT (scope, id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER feed_stamps_res_u AFTER UPDATE ON reservations BEGIN
    INSERT INTO feed_stamps (scope, id, stamp) VALUES
        ('user', NEW.user_id, random()), ('school', NEW.school_id, random()),
        ('kit', NEW.kit_type_id, random()), ('pickup', NEW.pickup_point_id, random()),
        ('user', OLD.user_id, random()), ('school', OLD.school_id, random()),
        ('kit', OLD.kit_type_id, random()), ('pickup', OLD.pickup_point_id, random())
    ON CONFLICT (scope, id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER feed_stamps_res_d AFTER DELETE ON reservations BEGIN
    INSERT INTO feed_stamps (scope, id, stamp) VALUES
        ('user', OLD.user_id, random()), ('school', OLD.school_id, random()),
        ('kit', OLD.kit_type_id, random()), ('pickup', OLD.pickup_point_id, random())
    ON CONFLICT (scope, id) DO UPDATE SET stamp = excluded.stamp;
END;

-- A personal feed shows one's bookings at the schools one teaches at (user_roles), and
-- the training sessions one is on the list of or gives.
CREATE TRIGGER feed_stamps_roles_i AFTER INSERT ON user_roles BEGIN
    INSERT INTO feed_stamps (scope, id, stamp) VALUES ('user', NEW.user_id, random())
    ON CONFLICT (scope, id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER feed_stamps_roles_u AFTER UPDATE ON user_roles BEGIN
    INSERT INTO feed_stamps (scope, id, stamp) VALUES
        ('user', NEW.user_id, random()), ('user', OLD.user_id, random())
    ON CONFLICT (scope, id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER feed_stamps_roles_d AFTER DELETE ON user_roles BEGIN
    INSERT INTO feed_stamps (scope, id, stamp) VALUES ('user', OLD.user_id, random())
    ON CONFLICT (scope, id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER feed_stamps_reg_i AFTER INSERT ON training_registrations BEGIN
    INSERT INTO feed_stamps (scope, id, stamp) VALUES ('user', NEW.user_id, random())
    ON CONFLICT (scope, id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER feed_stamps_reg_u AFTER UPDATE ON training_registrations BEGIN
    INSERT INTO feed_stamps (scope, id, stamp) VALUES
        ('user', NEW.user_id, random()), ('user', OLD.user_id, random())
    ON CONFLICT (scope, id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER feed_stamps_reg_d AFTER DELETE ON training_registrations BEGIN
    INSERT INTO feed_stamps (scope, id, stamp) VALUES ('user', OLD.user_id, random())
    ON CONFLICT (scope, id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER feed_stamps_trainers_i AFTER INSERT ON training_session_trainers BEGIN
    INSERT INTO feed_stamps (scope, id, stamp) VALUES ('user', NEW.user_id, random())
    ON CONFLICT (scope, id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER feed_stamps_trainers_u AFTER UPDATE ON training_session_trainers BEGIN
    INSERT INTO feed_stamps (scope, id, stamp) VALUES
        ('user', NEW.user_id, random()), ('user', OLD.user_id, random())
    ON CONFLICT (scope, id) DO UPDATE SET stamp = excluded.stamp;
END;
CREATE TRIGGER feed_stamps_trainers_d AFTER DELETE ON training_session_trainers BEGIN
    INSERT INTO feed_stamps (scope, id, stamp) VALUES ('user', OLD.user_id, random())
    ON CONFLICT (scope, id) DO UPDATE SET stamp = excluded.stamp;
END;

-- Labels and sessions are shown in many feeds: their (rare) changes stamp everything.
CREATE TRIGGER feed_stamps_kits_u AFTER UPDATE ON kit_types BEGIN
    UPDATE feed_stamps SET stamp = random() WHERE scope = '*' AND id = 0;
END;
CREATE TRIGGER feed_stamps_kits_d AFTER DELETE ON kit_types BEGIN
    UPDATE feed_stamps SET stamp = random() WHERE scope = '*' AND id = 0;
END;
CREATE TRIGGER feed_stamps_schools_u AFTER UPDATE ON schools BEGIN
    UPDATE feed_stamps SET stamp = random() WHERE scope = '*' AND id = 0;
END;
CREATE TRIGGER feed_stamps_schools_d AFTER DELETE ON schools BEGIN
    UPDATE feed_stamps SET stamp = random() WHERE scope = '*' AND id = 0;
END;
CREATE TRIGGER feed_stamps_points_u AFTER UPDATE ON pickup_points BEGIN
    UPDATE feed_stamps SET stamp = random() WHERE scope = '*' AND id = 0;
END;
CREATE TRIGGER feed_stamps_points_d AFTER DELETE ON pickup_points BEGIN
    UPDATE feed_stamps SET stamp = random() WHERE scope = '*' AND id = 0;
END;
CREATE TRIGGER feed_stamps_types_u AFTER UPDATE ON training_types BEGIN
    UPDATE feed_stamps SET stamp = random() WHERE scope = '*' AND id = 0;
END;
CREATE TRIGGER feed_stamps_types_d AFTER DELETE ON training_types BEGIN
    UPDATE feed_stamps SET stamp = random() WHERE scope = '*' AND id = 0;
END;
CREATE TRIGGER feed_stamps_sessions_i AFTER INSERT ON training_sessions BEGIN
    UPDATE feed_stamps SET stamp = random() WHERE scope = '*' AND id = 0;
END;
CREATE TRIGGER feed_stamps_sessions_u AFTER UPDATE ON training_sessions BEGIN
    UPDATE feed_stamps SET stamp = random() WHERE scope = '*' AND id = 0;
END;
CREATE TRIGGER feed_stamps_sessions_d AFTER DELETE ON training_sessions BEGIN
    UPDATE feed_stamps SET stamp = random() WHERE scope = '*' AND id = 0;
END;
