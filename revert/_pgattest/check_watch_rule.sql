-- Revert pgattest:_pgattest/check_watch_rule from pg

BEGIN;

DROP FUNCTION _pgattest.check_watch_rule(text, text, text, text, text, text, text, boolean, integer);

COMMIT;
