-- Refused no-JavaScript forms, kept for half an hour so the form comes back filled in with
-- its messages, on whichever server instance the next request lands. Only the SHA-256 of
-- the draft's id (which travels in the URL) is stored; a draft is its owner's alone.
CREATE TABLE form_drafts (
    id_hash     TEXT PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    -- JSON: [[name, value], …] as typed, and [{field, message}, …].
    fields      TEXT NOT NULL,
    errors      TEXT NOT NULL
);
CREATE INDEX form_drafts_created ON form_drafts (created_at);
CREATE INDEX form_drafts_owner ON form_drafts (owner_id, created_at);
