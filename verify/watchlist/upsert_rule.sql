-- Verify pgattest:watchlist/upsert_rule on pg

BEGIN;

SELECT has_function_privilege('pgattest_app', 'watchlist.upsert_rule(text, text, text, text, text, text, text, boolean, integer)', 'execute');

ROLLBACK;
