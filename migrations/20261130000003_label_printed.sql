-- When a label (a unit's current code) was first put on a sheet for printing. A new label
-- (re-tagging) starts unprinted, so `/beheer` can say how many labels still need printing.
ALTER TABLE unit_tags ADD COLUMN printed_at TEXT;
