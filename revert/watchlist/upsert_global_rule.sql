-- Revert pgattest:watchlist/upsert_global_rule from pg

BEGIN;

DROP FUNCTION watchlist.upsert_global_rule(text, text, text, text, text, text, text, boolean, integer);

COMMIT;
