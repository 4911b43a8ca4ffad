-- QR labels and hand-over: tags on units, loan lines binding units to reservations,
-- maintenance tickets, and the overdue mark.

-- Every label code ever issued. A unit's current label is the one not retired; a re-tag
-- retires the old code (scanning it says "this label was replaced").
CREATE TABLE unit_tags (
    code        TEXT PRIMARY KEY CHECK (length(code) = 9),
    unit_id     INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    retired_at  TEXT
) WITHOUT ROWID;
CREATE UNIQUE INDEX unit_tags_current ON unit_tags (unit_id) WHERE retired_at IS NULL;

-- A unit handed over for a reservation, and its return.
CREATE TABLE loan_lines (
    id              INTEGER PRIMARY KEY,
    reservation_id  INTEGER NOT NULL REFERENCES reservations(id),
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    handed_out_at   TEXT NOT NULL,
    handed_out_by   INTEGER REFERENCES users(id),
    returned_at     TEXT,
    returned_by     INTEGER REFERENCES users(id),
    -- The contents as counted at the return: JSON [[part, expected, counted], …].
    parts_counted   TEXT,
    damage_note     TEXT NOT NULL DEFAULT '',
    late            INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    -- Why desk staff handed over despite a missing qualification.
    override_reason TEXT
);
-- The database itself refuses a unit on two open loans (two desks scanning at once).
CREATE UNIQUE INDEX loan_lines_open_unit ON loan_lines (unit_id) WHERE returned_at IS NULL;
CREATE INDEX loan_lines_reservation ON loan_lines (reservation_id);
CREATE INDEX loan_lines_unit ON loan_lines (unit_id, handed_out_at);

CREATE TABLE maintenance_tickets (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    reservation_id  INTEGER REFERENCES reservations(id),
    opened_at       TEXT NOT NULL,
    opened_by       INTEGER REFERENCES users(id),
    -- What was missing: JSON [[part, missing], …].
    shortfall       TEXT NOT NULL DEFAULT '[]',
    note            TEXT NOT NULL DEFAULT '',
    closed_at       TEXT,
    closed_by       INTEGER REFERENCES users(id)
);
CREATE INDEX maintenance_tickets_unit ON maintenance_tickets (unit_id, opened_at);

-- Set once the daily job found the loan overdue and mailed the borrower.
ALTER TABLE reservations ADD COLUMN overdue_since TEXT;
