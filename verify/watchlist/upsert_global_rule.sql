-- Verify pgattest:watchlist/upsert_global_rule on pg

BEGIN;

SELECT has_function_privilege('pgattest_admin', 'watchlist.upsert_global_rule(text, text, text, text, text, text, text, boolean, integer)', 'execute');

ROLLBACK;
