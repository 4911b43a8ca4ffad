-- Reminders: each occasion (a reservation's pickup or return on a given day) is claimed
-- by inserting its key, in the same transaction as its mail; a second instance or a
-- rerun finds the key and sends nothing.
CREATE TABLE reminders_sent (
    occasion  TEXT PRIMARY KEY,
    sent_at   TEXT NOT NULL
);

-- People may switch off reminders and digests (confirmations and notices always go).
ALTER TABLE users ADD COLUMN reminders_off INTEGER NOT NULL DEFAULT 0 CHECK (reminders_off IN (0, 1));

-- Open days between the pickup reminder and the pickup day, per partner service.
ALTER TABLE partners ADD COLUMN pickup_reminder_days INTEGER NOT NULL DEFAULT 2
    CHECK (pickup_reminder_days BETWEEN 0 AND 10);

-- The reminder job looks for confirmed pickups and running loans by date.
CREATE INDEX reservations_by_pickup ON reservations (pickup_date) WHERE status = 'bevestigd';
CREATE INDEX reservations_by_return ON reservations (return_date) WHERE status = 'afgehaald';
