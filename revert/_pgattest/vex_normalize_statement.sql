-- Revert pgattest:_pgattest/vex_normalize_statement from pg

BEGIN;

DROP FUNCTION _pgattest.vex_normalize_statement(text, text);

COMMIT;
