-- Verify pgattest:_pgattest/watch_match on pg

BEGIN;

SELECT (NULL::_pgattest.watch_match).rule_id, (NULL::_pgattest.watch_match).seen_at;

ROLLBACK;
