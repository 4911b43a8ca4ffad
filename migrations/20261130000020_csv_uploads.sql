-- CSV files uploaded in the browser (catalogue, closed days), kept between the preview and
-- the confirmation so that exactly the previewed file is imported, once. Only the SHA-256
-- of the upload's token is stored. `applied_at` is set in the import's own transaction, so
-- a second confirmation (a double click, a retried request) finds it set and writes nothing.
CREATE TABLE csv_uploads (
    id             INTEGER PRIMARY KEY,
    token_hash     TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('catalogue', 'closed-days')),
    user_id        INTEGER NOT NULL REFERENCES users (id),
    file_name      TEXT NOT NULL,
    content        TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    applied_at     TEXT,
    created_count  INTEGER,
    updated_count  INTEGER
);
CREATE INDEX csv_uploads_expiry ON csv_uploads (expires_at);
