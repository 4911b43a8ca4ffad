-- People, their roles, sessions, login throttling and the audit log.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- argon2id PHC string; NULL until an invited person sets a password.
    password_hash  TEXT,
    lang           TEXT NOT NULL DEFAULT 'nl' CHECK (lang IN ('nl', 'en')),
    confirmed_at   TEXT,
    disabled_at    TEXT,
    created_at     TEXT NOT NULL
);

-- Roles are data: one row per role held, scoped to a school (teacher) or a partner
-- service (ambassador, trainer, partner-admin); admin is global.
CREATE TABLE user_roles (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('teacher', 'ambassador', 'trainer', 'partner-admin', 'admin')),
    school_id   INTEGER REFERENCES schools(id),
    partner_id  INTEGER REFERENCES partners(id),
    CHECK ((role = 'teacher') = (school_id IS NOT NULL)),
    CHECK ((role IN ('ambassador', 'trainer', 'partner-admin')) = (partner_id IS NOT NULL))
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles (user_id, role, coalesce(school_id, 0), coalesce(partner_id, 0));

-- Server-side sessions. The cookie carries a random id; only its SHA-256 is stored, so a
-- leaked database does not leak live sessions.
CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins, for throttling per account and per client address.
CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY,
    email   TEXT NOT NULL,
    client  TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_client ON login_failures (client, at);

-- Every change: who, when, what. Append-only, enforced by the database.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor_id  INTEGER REFERENCES users(id),
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
