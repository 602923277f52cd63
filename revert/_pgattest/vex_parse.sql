-- Revert pgattest:_pgattest/vex_parse from pg

BEGIN;

DROP FUNCTION _pgattest.vex_parse(text, text);

COMMIT;
