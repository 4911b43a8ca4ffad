-- Personal access tokens for integrations (issue 18). A token acts as its owner, with at
-- most the owner's rights ('read': safe methods only). Only the SHA-256 of the secret is
-- stored: a leaked database does not leak live tokens.
CREATE TABLE access_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    hash          TEXT NOT NULL UNIQUE,
    scope         TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL CHECK (expires_at > created_at),
    last_used_at  TEXT,
    revoked_at    TEXT
);
CREATE INDEX access_tokens_user ON access_tokens (user_id, created_at);

-- Which token did it: a write made with a token names it next to the person. No foreign
-- key: the audit log refuses updates, so a deleted token must not cascade into it.
ALTER TABLE audit_log ADD COLUMN token_id INTEGER;

-- A booking is audited by the database itself (reservations_audit_insert): the token it
-- was made with travels in the new row so the trigger can name it.
ALTER TABLE reservations ADD COLUMN token_id INTEGER;
DROP TRIGGER reservations_audit_insert;
CREATE TRIGGER reservations_audit_insert AFTER INSERT ON reservations
BEGIN
    INSERT INTO audit_log (at, actor_id, action, subject, detail, token_id)
    VALUES (
        NEW.created_at,
        CASE WHEN NEW.status = 'aangeboden' THEN NULL ELSE NEW.user_id END,
        CASE WHEN NEW.status = 'aangeboden' THEN 'waitlist.offer' ELSE 'reservation.create' END,
        'reservation:' || NEW.id,
        NEW.quantity || ' × ' || (SELECT slug FROM kit_types WHERE id = NEW.kit_type_id)
            || ' ' || NEW.pickup_date || '..' || NEW.return_date,
        NEW.token_id
    );
END;
