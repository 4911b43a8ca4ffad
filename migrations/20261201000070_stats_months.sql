-- "In cijfers": a version per calendar month of pickup days. Every transaction that
-- inserts, deletes or changes what a loan row says (status, dates, quantity, kit type,
-- school) raises the months it touches, so the loan rows a server keeps per month are
-- checked with one small read and rebuilt only for the months that changed.

CREATE TABLE stats_months (
    month    TEXT PRIMARY KEY,
    version  INTEGER NOT NULL
);

INSERT INTO stats_months (month, version)
    SELECT DISTINCT substr(pickup_date, 1, 7), 1 FROM reservations WHERE true
    ON CONFLICT (month) DO NOTHING;

CREATE TRIGGER stats_months_i AFTER INSERT ON reservations BEGIN
    INSERT INTO stats_months (month, version) VALUES (substr(NEW.pickup_date, 1, 7), 1)
        ON CONFLICT (month) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER stats_months_u
AFTER UPDATE OF status, pickup_date, return_date, quantity, kit_type_id, school_id ON reservations BEGIN
    INSERT INTO stats_months (month, version) VALUES (substr(OLD.pickup_date, 1, 7), 1)
        ON CONFLICT (month) DO UPDATE SET version = version + 1;
    INSERT INTO stats_months (month, version) VALUES (substr(NEW.pickup_date, 1, 7), 1)
        ON CONFLICT (month) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER stats_months_d AFTER DELETE ON reservations BEGIN
    INSERT INTO stats_months (month, version) VALUES (substr(OLD.pickup_date, 1, 7), 1)
        ON CONFLICT (month) DO UPDATE SET version = version + 1;
END;
