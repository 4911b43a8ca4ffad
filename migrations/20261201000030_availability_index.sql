-- Availability reads only the holds that overlap the asked window (issue 16).
--
-- The old indexes ran from `held_until >= from`: every booking of the kit type ending after
-- the window's start, the future ones after the window included, was visited and thrown
-- away. A hold that overlaps [from, to] has pickup_date <= to and held_until >= from; if
-- its span (held_until - pickup_date) is below L days it also has pickup_date > from - L.
-- So holds are put in span classes (below 16, 64, 256 days, longer) and each class is read
-- as one index range on pickup_date, bounded on both sides: the rows visited are the
-- window's own plus at most a class's width before it (see db::reservations::overlapping,
-- whose SPAN_LIMITS must match the expression below).
--
-- The class is a generated column, so no writer (booking, change of dates, imports,
-- restores, raw SQL) can leave it stale, and there is nothing to recount.
-- PostgreSQL: `GENERATED ALWAYS AS (CASE WHEN held_until - pickup_date < 16 … END) STORED`
-- on date columns.
ALTER TABLE reservations ADD COLUMN hold_span_class INTEGER GENERATED ALWAYS AS (
    CASE
        WHEN julianday(held_until) - julianday(pickup_date) < 16 THEN 0
        WHEN julianday(held_until) - julianday(pickup_date) < 64 THEN 1
        WHEN julianday(held_until) - julianday(pickup_date) < 256 THEN 2
        ELSE 3
    END
) VIRTUAL;

DROP INDEX reservations_holding;
DROP INDEX reservations_holding_days;

-- One kit type's holds (availability, booking, changes of dates, offers): covering, so
-- the table itself is not read.
CREATE INDEX reservations_holding_span
    ON reservations (kit_type_id, hold_span_class, pickup_date, held_until, quantity, school_id)
    WHERE status IN ('aangeboden', 'aangevraagd', 'bevestigd', 'afgehaald');
-- Every kit type's holds over a range ("what is free from X to Y").
CREATE INDEX reservations_holding_span_all
    ON reservations (hold_span_class, pickup_date, held_until, kit_type_id, quantity, school_id)
    WHERE status IN ('aangeboden', 'aangevraagd', 'bevestigd', 'afgehaald');
