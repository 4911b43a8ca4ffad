-- The first answer to a desk scan (hand-over or return) sent with an Idempotency-Key, so
-- the offline queue can replay a scan whose answer was lost without it being applied
-- twice. Written in the scan's own transaction; kept a week (the daily hand-over job
-- removes older keys).
CREATE TABLE desk_idempotency (
    user_id INTEGER NOT NULL REFERENCES users(id),
    key TEXT NOT NULL,
    -- 'handover' or 'return'
    operation TEXT NOT NULL,
    -- SHA-256 of what the scan asked, to refuse the same key for a different scan
    fingerprint TEXT NOT NULL,
    -- the first answer's JSON
    answer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX desk_idempotency_created ON desk_idempotency (created_at);
