-- Catalogue search now runs in memory over the catalogue index (server/src/domain/
-- text_index.rs), the same on every database engine; the FTS5 table is no longer read.
DROP TABLE IF EXISTS kit_search;
