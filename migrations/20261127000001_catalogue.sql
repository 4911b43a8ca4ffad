-- The catalogue: partner services, pickup points, trainings, kit types and their units.
-- Dates and times are ISO-8601 text (UTC for timestamps). Codes are the wire codes of
-- the shared enums, guarded by CHECK constraints.

CREATE TABLE partners (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description     TEXT NOT NULL DEFAULT '',
    website         TEXT,
    email           TEXT,
    phone           TEXT,
    -- Default loan rules for this partner's kit types.
    lead_days       INTEGER NOT NULL DEFAULT 2   CHECK (lead_days >= 0),
    horizon_days    INTEGER NOT NULL DEFAULT 365 CHECK (horizon_days >= 1),
    min_loan_days   INTEGER NOT NULL DEFAULT 1   CHECK (min_loan_days >= 1),
    max_loan_days   INTEGER NOT NULL DEFAULT 21  CHECK (max_loan_days >= min_loan_days),
    buffer_days     INTEGER NOT NULL DEFAULT 1   CHECK (buffer_days >= 0),
    max_per_school  INTEGER NOT NULL DEFAULT 1   CHECK (max_per_school >= 1),
    needs_approval  INTEGER NOT NULL DEFAULT 0   CHECK (needs_approval IN (0, 1))
);

CREATE TABLE pickup_points (
    id             INTEGER PRIMARY KEY,
    partner_id     INTEGER NOT NULL REFERENCES partners(id),
    slug           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    street         TEXT NOT NULL,
    postcode       TEXT NOT NULL,
    municipality   TEXT NOT NULL,
    opening_hours  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pickup_points_partner ON pickup_points(partner_id);

CREATE TABLE training_types (
    id                INTEGER PRIMARY KEY,
    partner_id        INTEGER NOT NULL REFERENCES partners(id),
    slug              TEXT NOT NULL UNIQUE,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes > 0),
    -- NULL: the qualification never expires.
    validity_months   INTEGER CHECK (validity_months IS NULL OR validity_months > 0)
);

CREATE TABLE kit_types (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    summary       TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL CHECK (kind IN ('uitleen', 'lespakket', 'bezoek')),
    partner_id    INTEGER NOT NULL REFERENCES partners(id),
    external_url  TEXT,
    -- Loan rules; NULL means the partner's default.
    lead_days       INTEGER CHECK (lead_days >= 0),
    horizon_days    INTEGER CHECK (horizon_days >= 1),
    min_loan_days   INTEGER CHECK (min_loan_days >= 1),
    max_loan_days   INTEGER CHECK (max_loan_days >= 1),
    buffer_days     INTEGER CHECK (buffer_days >= 0),
    max_per_school  INTEGER CHECK (max_per_school >= 1),
    needs_approval  INTEGER CHECK (needs_approval IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX kit_types_partner ON kit_types(partner_id);

CREATE TABLE kit_type_themes (
    kit_type_id  INTEGER NOT NULL REFERENCES kit_types(id) ON DELETE CASCADE,
    theme        TEXT NOT NULL CHECK (theme IN ('stem', 'natuur-milieu', 'geletterdheid', 'erfgoed',
                     'vrede', 'landbouw-voeding', 'wereldburgerschap', 'europa', 'talent-loopbaan')),
    PRIMARY KEY (kit_type_id, theme)
) WITHOUT ROWID;

CREATE TABLE kit_type_levels (
    kit_type_id  INTEGER NOT NULL REFERENCES kit_types(id) ON DELETE CASCADE,
    level        TEXT NOT NULL CHECK (level IN ('kleuter', 'lager', 'so-1', 'so-2', 'so-3',
                     'buitengewoon', 'volwassenen')),
    PRIMARY KEY (kit_type_id, level)
) WITHOUT ROWID;

CREATE TABLE kit_type_pickup_points (
    kit_type_id      INTEGER NOT NULL REFERENCES kit_types(id) ON DELETE CASCADE,
    pickup_point_id  INTEGER NOT NULL REFERENCES pickup_points(id),
    PRIMARY KEY (kit_type_id, pickup_point_id)
) WITHOUT ROWID;

-- A kit type may require several trainings; all must be held.
CREATE TABLE kit_type_trainings (
    kit_type_id       INTEGER NOT NULL REFERENCES kit_types(id) ON DELETE CASCADE,
    training_type_id  INTEGER NOT NULL REFERENCES training_types(id) ON DELETE RESTRICT,
    PRIMARY KEY (kit_type_id, training_type_id)
) WITHOUT ROWID;

-- The contents list, checked at hand-over and return.
CREATE TABLE kit_parts (
    kit_type_id     INTEGER NOT NULL REFERENCES kit_types(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    expected_count  INTEGER NOT NULL CHECK (expected_count > 0),
    PRIMARY KEY (kit_type_id, position)
) WITHOUT ROWID;

CREATE TABLE kit_photos (
    kit_type_id  INTEGER NOT NULL REFERENCES kit_types(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    url          TEXT NOT NULL,
    alt          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kit_type_id, position)
) WITHOUT ROWID;

CREATE TABLE units (
    id               INTEGER PRIMARY KEY,
    kit_type_id      INTEGER NOT NULL REFERENCES kit_types(id),
    inventory_code   TEXT NOT NULL UNIQUE,
    status           TEXT NOT NULL DEFAULT 'in-dienst'
                         CHECK (status IN ('in-dienst', 'onderhoud', 'afgevoerd')),
    created_at       TEXT NOT NULL
);
CREATE INDEX units_kit_type ON units(kit_type_id, status);

CREATE TABLE schools (
    id                 INTEGER PRIMARY KEY,
    instellingsnummer  TEXT NOT NULL UNIQUE CHECK (length(instellingsnummer) = 6),
    name               TEXT NOT NULL,
    street             TEXT NOT NULL DEFAULT '',
    postcode           TEXT NOT NULL DEFAULT '',
    municipality       TEXT NOT NULL DEFAULT '',
    network            TEXT NOT NULL CHECK (network IN ('go', 'katholiek', 'gemeentelijk', 'provinciaal', 'privaat')),
    -- `;`-separated level codes.
    levels             TEXT NOT NULL DEFAULT ''
);

-- Full-text index over the catalogue; rowid = kit_types.id. Diacritics are folded, so
-- "creatie" finds "créatie"; prefix indexes keep type-ahead queries fast.
CREATE VIRTUAL TABLE kit_search USING fts5(
    title, summary, description, themes, partner,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3 4'
);

-- Bumped by every change that alters search results, so each server instance knows when
-- its in-memory facet index is stale.
CREATE TABLE catalogue_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO catalogue_version (id, version) VALUES (1, 0);

CREATE TRIGGER kit_types_ver_i AFTER INSERT ON kit_types BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER kit_types_ver_u AFTER UPDATE ON kit_types BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER kit_types_ver_d AFTER DELETE ON kit_types BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER kit_themes_ver_i AFTER INSERT ON kit_type_themes BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER kit_themes_ver_d AFTER DELETE ON kit_type_themes BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER kit_levels_ver_i AFTER INSERT ON kit_type_levels BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER kit_levels_ver_d AFTER DELETE ON kit_type_levels BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER kit_pp_ver_i AFTER INSERT ON kit_type_pickup_points BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER kit_pp_ver_d AFTER DELETE ON kit_type_pickup_points BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER kit_trainings_ver_i AFTER INSERT ON kit_type_trainings BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER kit_trainings_ver_d AFTER DELETE ON kit_type_trainings BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER kit_photos_ver_i AFTER INSERT ON kit_photos BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER kit_photos_ver_d AFTER DELETE ON kit_photos BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER units_ver_i AFTER INSERT ON units BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER units_ver_u AFTER UPDATE OF status ON units BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER units_ver_d AFTER DELETE ON units BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER partners_ver_u AFTER UPDATE ON partners BEGIN UPDATE catalogue_version SET version = version + 1; END;
CREATE TRIGGER pickup_ver_u AFTER UPDATE ON pickup_points BEGIN UPDATE catalogue_version SET version = version + 1; END;
