-- Deploy pgattest:btree_gist to pg
-- requires: schemas
-- btree_gist lets one GiST index or exclusion constraint mix equality on scalars
-- (tenant_id, id) with range overlap: unknowns.unknowns' valid periods of one unknown
-- never overlap (EXCLUDE ... WITH &&), and its history is searched by system and valid
-- time bounds in one index. A contrib extension, trusted, kept in public where CREATE
-- EXTENSION puts it (its operator classes are found by type, not by search_path).

BEGIN;

CREATE EXTENSION IF NOT EXISTS btree_gist;

COMMIT;
