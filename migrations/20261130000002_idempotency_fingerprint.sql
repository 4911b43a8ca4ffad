-- What the first request with an Idempotency-Key asked for (a SHA-256 of the request), so
-- the same key with a different request is refused instead of answered with the first.
ALTER TABLE reservations ADD COLUMN idempotency_fingerprint TEXT;
