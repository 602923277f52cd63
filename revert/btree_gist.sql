-- Revert pgattest:btree_gist from pg
-- RESTRICT: fails while an index or constraint (or periods) still uses it.

BEGIN;

DROP EXTENSION btree_gist;

COMMIT;
