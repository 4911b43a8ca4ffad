-- Reservations, open days and closed periods.

-- Weekdays a pickup point is open, as a bit set (bit 0 = Monday): 31 = Monday to Friday.
ALTER TABLE pickup_points ADD COLUMN open_weekdays INTEGER NOT NULL DEFAULT 31
    CHECK (open_weekdays BETWEEN 0 AND 127);

-- Closed periods, both ends included: public and school holidays (pickup_point_id NULL:
-- every pickup point) and a pickup point's own closures.
CREATE TABLE closed_periods (
    id               INTEGER PRIMARY KEY,
    pickup_point_id  INTEGER REFERENCES pickup_points(id) ON DELETE CASCADE,
    first_day        TEXT NOT NULL CHECK (first_day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    last_day         TEXT NOT NULL CHECK (last_day >= first_day),
    reason           TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 200)
);
CREATE INDEX closed_periods_last_day ON closed_periods (last_day);

CREATE TABLE reservations (
    id               INTEGER PRIMARY KEY,
    kit_type_id      INTEGER NOT NULL REFERENCES kit_types(id),
    pickup_point_id  INTEGER NOT NULL REFERENCES pickup_points(id),
    school_id        INTEGER NOT NULL REFERENCES schools(id),
    user_id          INTEGER NOT NULL REFERENCES users(id),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    pickup_date      TEXT NOT NULL,
    return_date      TEXT NOT NULL CHECK (return_date >= pickup_date),
    -- Last day the units are held: the return day plus the turnaround buffer.
    held_until       TEXT NOT NULL CHECK (held_until >= return_date),
    status           TEXT NOT NULL CHECK (status IN ('aangeboden', 'aangevraagd', 'bevestigd', 'afgehaald',
                         'teruggebracht', 'geannuleerd', 'geweigerd', 'niet-afgehaald')),
    note             TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    -- Why staff rejected or cancelled it.
    reason           TEXT,
    -- Units left service and this reservation no longer fits: staff and borrower are told.
    at_risk          INTEGER NOT NULL DEFAULT 0 CHECK (at_risk IN (0, 1)),
    idempotency_key  TEXT,
    -- An offer from the waiting list lapses at this instant unless accepted.
    offer_expires_at TEXT,
    -- Increases on every change (calendar SEQUENCE).
    revision         INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
-- Availability reads only the reservations that hold units, by kit type and date range.
CREATE INDEX reservations_holding ON reservations (kit_type_id, held_until, pickup_date)
    WHERE status IN ('aangeboden', 'aangevraagd', 'bevestigd', 'afgehaald');
-- "What is free from X to Y" reads every kit type's holds over a range.
CREATE INDEX reservations_holding_days ON reservations (held_until, pickup_date)
    WHERE status IN ('aangeboden', 'aangevraagd', 'bevestigd', 'afgehaald');
CREATE UNIQUE INDEX reservations_idempotency ON reservations (user_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX reservations_user ON reservations (user_id, pickup_date);
CREATE INDEX reservations_school ON reservations (school_id, pickup_date);
CREATE INDEX reservations_pickup_point ON reservations (pickup_point_id, pickup_date);
CREATE INDEX reservations_status ON reservations (status, pickup_date);

-- Teachers waiting for a kit type over a date range, first come first served.
CREATE TABLE waitlist (
    id               INTEGER PRIMARY KEY,
    kit_type_id      INTEGER NOT NULL REFERENCES kit_types(id),
    pickup_point_id  INTEGER NOT NULL REFERENCES pickup_points(id),
    school_id        INTEGER NOT NULL REFERENCES schools(id),
    user_id          INTEGER NOT NULL REFERENCES users(id),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    pickup_date      TEXT NOT NULL,
    return_date      TEXT NOT NULL CHECK (return_date >= pickup_date),
    -- wachtend: waiting; aangeboden: offered (see reservation_id); ingetrokken: withdrawn;
    -- vervallen: the dates passed without an offer.
    status           TEXT NOT NULL CHECK (status IN ('wachtend', 'aangeboden', 'ingetrokken', 'vervallen')),
    reservation_id   INTEGER REFERENCES reservations(id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX waitlist_waiting ON waitlist (kit_type_id, status, id);
CREATE INDEX waitlist_user ON waitlist (user_id, status);
CREATE UNIQUE INDEX waitlist_once ON waitlist (user_id, kit_type_id, pickup_date, return_date)
    WHERE status = 'wachtend';

-- Every new reservation is audited by the database itself, in the same statement: booked
-- by its borrower, or offered from the waiting list by the system.
CREATE TRIGGER reservations_audit_insert AFTER INSERT ON reservations
BEGIN
    INSERT INTO audit_log (at, actor_id, action, subject, detail)
    VALUES (
        NEW.created_at,
        CASE WHEN NEW.status = 'aangeboden' THEN NULL ELSE NEW.user_id END,
        CASE WHEN NEW.status = 'aangeboden' THEN 'waitlist.offer' ELSE 'reservation.create' END,
        'reservation:' || NEW.id,
        NEW.quantity || ' × ' || (SELECT slug FROM kit_types WHERE id = NEW.kit_type_id)
            || ' ' || NEW.pickup_date || '..' || NEW.return_date
    );
END;
