-- Secret calendar feeds, and the pickup points' hand-over hours for timed events.

-- The hours a pickup point hands kits over ("09:00".."12:00"); NULL: no fixed hours, so
-- pickup and return show as all-day events.
ALTER TABLE pickup_points ADD COLUMN handover_from TEXT
    CHECK (handover_from IS NULL OR handover_from GLOB '[0-2][0-9]:[0-5][0-9]');
ALTER TABLE pickup_points ADD COLUMN handover_until TEXT
    CHECK (handover_until IS NULL OR handover_until GLOB '[0-2][0-9]:[0-5][0-9]');

-- A subscription link: the random token is only known to its owner (stored hashed).
CREATE TABLE calendar_feeds (
    id               INTEGER PRIMARY KEY,
    token_hash       TEXT NOT NULL UNIQUE,
    owner_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    scope            TEXT NOT NULL CHECK (scope IN ('user', 'school', 'kit', 'pickup')),
    school_id        INTEGER REFERENCES schools(id),
    kit_type_id      INTEGER REFERENCES kit_types(id),
    pickup_point_id  INTEGER REFERENCES pickup_points(id),
    created_at       TEXT NOT NULL,
    revoked_at       TEXT,
    CHECK ((scope = 'school') = (school_id IS NOT NULL)),
    CHECK ((scope = 'kit') = (kit_type_id IS NOT NULL)),
    CHECK ((scope = 'pickup') = (pickup_point_id IS NOT NULL))
);
CREATE INDEX calendar_feeds_owner ON calendar_feeds (owner_id, revoked_at);
