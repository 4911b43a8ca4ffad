-- A teacher's cart (issue 20): several kit types in one request.
--
-- `requests`: one per pickup point per sent cart; each of its lines is a reservation of
-- its own (`reservations.request_id`), so availability, approval per line, hand-over and
-- the life cycle keep working line by line. The Idempotency-Key of a sent cart is kept on
-- each request it made, so a retry answers the same requests.
CREATE TABLE requests (
    id                      INTEGER PRIMARY KEY,
    user_id                 INTEGER NOT NULL REFERENCES users(id),
    school_id               INTEGER NOT NULL REFERENCES schools(id),
    pickup_point_id         INTEGER NOT NULL REFERENCES pickup_points(id),
    idempotency_key         TEXT,
    -- SHA-256 of what the cart asked, to refuse the same key for another cart
    idempotency_fingerprint TEXT,
    created_at              TEXT NOT NULL
);
CREATE UNIQUE INDEX requests_idempotency ON requests (user_id, idempotency_key, pickup_point_id);
CREATE INDEX requests_user ON requests (user_id, created_at);

ALTER TABLE reservations ADD COLUMN request_id INTEGER REFERENCES requests(id);
CREATE INDEX reservations_request ON reservations (request_id);

-- The cart itself, one per person, on the server (several devices, several instances).
-- Dates chosen once for the whole cart; a line may have its own.
CREATE TABLE carts (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    pickup_date TEXT,
    return_date TEXT,
    updated_at  TEXT NOT NULL
);
CREATE TABLE cart_lines (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES carts(user_id) ON DELETE CASCADE,
    kit_type_id     INTEGER NOT NULL REFERENCES kit_types(id) ON DELETE CASCADE,
    pickup_point_id INTEGER NOT NULL REFERENCES pickup_points(id) ON DELETE CASCADE,
    quantity        INTEGER NOT NULL CHECK (quantity > 0 AND quantity <= 999),
    -- Empty: the cart's dates.
    pickup_date     TEXT,
    return_date     TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX cart_lines_user ON cart_lines (user_id, id);
