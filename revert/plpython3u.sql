-- Revert pgattest:plpython3u from pg
-- RESTRICT: fails while any function still uses the language.

BEGIN;

DROP EXTENSION plpython3u;

COMMIT;
