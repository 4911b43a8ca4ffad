-- "In cijfers": an index the period figures read without touching the table, and a
-- version number that changes with every record the figures are made of, so the public
-- page's cached figures are checked with one tiny read.

CREATE INDEX reservations_stats ON reservations
    (status, pickup_date, kit_type_id, school_id, quantity, return_date);
CREATE INDEX waitlist_stats ON waitlist (pickup_date, kit_type_id);

CREATE TABLE stats_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO stats_version (id, version) VALUES (1, 0);

CREATE TRIGGER stats_res_i AFTER INSERT ON reservations BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_res_u AFTER UPDATE ON reservations BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_res_d AFTER DELETE ON reservations BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_wait_i AFTER INSERT ON waitlist BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_wait_u AFTER UPDATE ON waitlist BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_schools_i AFTER INSERT ON schools BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_schools_u AFTER UPDATE ON schools BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_schools_d AFTER DELETE ON schools BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_partners_u AFTER UPDATE ON partners BEGIN UPDATE stats_version SET version = version + 1; END;
CREATE TRIGGER stats_kits_u AFTER UPDATE OF partner_id, title, slug ON kit_types BEGIN UPDATE stats_version SET version = version + 1; END;
