-- Mail goes through an outbox written in the same transaction as the change that causes
-- it; a worker delivers it over SMTP, or, without SMTP, it stays readable in the
-- development mailbox.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    to_addr     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    -- When a failed delivery may be tried again.
    next_try_at TEXT NOT NULL,
    last_error  TEXT
);
CREATE INDEX outbox_unsent ON outbox (sent_at, next_try_at);

-- Single-use, expiring links sent by mail: e-mail confirmation, password reset, invitation.
-- Only the SHA-256 of the token is stored.
CREATE TABLE email_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('confirm', 'reset', 'invite')),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);
