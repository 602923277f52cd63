-- Verify pgattest:_pgattest/check_watch_rule on pg

BEGIN;

SELECT '_pgattest.check_watch_rule(text, text, text, text, text, text, text, boolean, integer)'::regprocedure;

ROLLBACK;
