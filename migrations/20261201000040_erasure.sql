-- Erasure and inactive accounts (issue 21).

-- When a person last signed in (every new session is a sign-in), so the retention job can
-- find accounts inactive for three school years; and when an account was erased.
ALTER TABLE users ADD COLUMN last_sign_in_at TEXT;
ALTER TABLE users ADD COLUMN erased_at TEXT;
UPDATE users SET last_sign_in_at = (SELECT max(created_at) FROM sessions WHERE user_id = users.id);
CREATE TRIGGER users_last_sign_in AFTER INSERT ON sessions
BEGIN
    UPDATE users SET last_sign_in_at = NEW.created_at WHERE id = NEW.user_id;
END;

-- A person's request to delete their account, decided by an admin.
CREATE TABLE erasure_requests (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    requested_at  TEXT NOT NULL,
    decided_at    TEXT,
    decided_by    INTEGER REFERENCES users(id),
    -- erased: the account was erased; refused: an admin said no (with a reason).
    outcome       TEXT CHECK (outcome IN ('erased', 'refused')),
    reason        TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    CHECK ((decided_at IS NULL) = (outcome IS NULL))
);
CREATE UNIQUE INDEX erasure_requests_pending ON erasure_requests (user_id) WHERE decided_at IS NULL;

-- The farewell mail to an erased person is the last place their address lives: it is
-- removed as soon as it is sent (the retention job removes it a day later if it never is).
ALTER TABLE outbox ADD COLUMN forget_after_send INTEGER NOT NULL DEFAULT 0
    CHECK (forget_after_send IN (0, 1));
CREATE TRIGGER outbox_forget_after_send AFTER UPDATE OF sent_at ON outbox
WHEN NEW.sent_at IS NOT NULL AND NEW.forget_after_send = 1
BEGIN
    DELETE FROM outbox WHERE id = NEW.id;
END;

-- The audit log stays append-only; a row may lose its person (actor and detail blanked)
-- and, when its subject names an address (`school-request:<address>`), keep only the
-- subject's kind (`school-request:verwijderd`).
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
          AND (NEW.subject = OLD.subject
               OR (instr(OLD.subject, ':') > 0
                   AND NEW.subject = substr(OLD.subject, 1, instr(OLD.subject, ':')) || 'verwijderd'))
          AND NEW.actor_id IS NULL AND NEW.detail = '')
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (a row may only lose its person)'); END;
