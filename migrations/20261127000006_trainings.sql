-- Trainings unlock kits: sessions, registrations, attendance and the qualifications it
-- grants, and reservations held on the condition that a training is attended.
-- Instants are UTC RFC 3339 text; days are `YYYY-MM-DD` (local, Europe/Brussels).

CREATE TABLE training_sessions (
    id                  INTEGER PRIMARY KEY,
    training_type_id    INTEGER NOT NULL REFERENCES training_types(id) ON DELETE RESTRICT,
    starts_at           TEXT NOT NULL,
    ends_at             TEXT NOT NULL CHECK (ends_at > starts_at),
    place               TEXT NOT NULL CHECK (length(place) BETWEEN 1 AND 300),
    capacity            INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
    registration_opens  TEXT NOT NULL,
    registration_closes TEXT NOT NULL CHECK (registration_closes > registration_opens),
    -- Set when the session was called off; registrations stay for the record.
    cancelled_at        TEXT,
    -- Set once the release job handled the conditional reservations of a past session.
    settled_at          TEXT,
    created_at          TEXT NOT NULL
);
CREATE INDEX training_sessions_type ON training_sessions (training_type_id, starts_at);
CREATE INDEX training_sessions_start ON training_sessions (starts_at);

CREATE TABLE training_session_trainers (
    session_id  INTEGER NOT NULL REFERENCES training_sessions(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (session_id, user_id)
) WITHOUT ROWID;

-- ingeschreven: has a seat; wachtlijst: waiting for one (first come, first served);
-- geannuleerd: withdrew. `attended` is recorded by the trainer (walk-ins are added as
-- registered and attended at once).
CREATE TABLE training_registrations (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES training_sessions(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    status      TEXT NOT NULL CHECK (status IN ('ingeschreven', 'wachtlijst', 'geannuleerd')),
    attended    INTEGER NOT NULL DEFAULT 0 CHECK (attended IN (0, 1)),
    walk_in     INTEGER NOT NULL DEFAULT 0 CHECK (walk_in IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (session_id, user_id)
);
CREATE INDEX training_registrations_user ON training_registrations (user_id, status);
CREATE INDEX training_registrations_seats ON training_registrations (session_id, status, id);

-- Who may borrow what: granted by attendance (session_id set) or by an admin (reason set).
-- A revoked qualification keeps its row, with who revoked it and why.
CREATE TABLE qualifications (
    id                INTEGER PRIMARY KEY,
    user_id           INTEGER NOT NULL REFERENCES users(id),
    training_type_id  INTEGER NOT NULL REFERENCES training_types(id) ON DELETE RESTRICT,
    session_id        INTEGER REFERENCES training_sessions(id),
    granted_on        TEXT NOT NULL,
    -- Last day it is valid; NULL: it never expires.
    valid_until       TEXT CHECK (valid_until IS NULL OR valid_until >= granted_on),
    granted_by        INTEGER REFERENCES users(id),
    reason            TEXT NOT NULL DEFAULT '',
    revoked_at        TEXT,
    revoked_by        INTEGER REFERENCES users(id),
    revoke_reason     TEXT,
    created_at        TEXT NOT NULL,
    CHECK (revoked_at IS NULL OR length(revoke_reason) > 0)
);
CREATE INDEX qualifications_user ON qualifications (user_id, training_type_id);
-- One qualification per attended session.
CREATE UNIQUE INDEX qualifications_session ON qualifications (user_id, session_id)
    WHERE session_id IS NOT NULL;

-- A reservation held until its borrower attends these sessions: confirmed when attendance
-- is recorded for all of them, released if one passes without it.
CREATE TABLE reservation_conditions (
    reservation_id  INTEGER NOT NULL REFERENCES reservations(id) ON DELETE CASCADE,
    session_id      INTEGER NOT NULL REFERENCES training_sessions(id),
    PRIMARY KEY (reservation_id, session_id)
) WITHOUT ROWID;
CREATE INDEX reservation_conditions_session ON reservation_conditions (session_id);
