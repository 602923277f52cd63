-- Revert pgattest:_pgattest/complete_claimed from pg

BEGIN;

DROP FUNCTION _pgattest.complete_claimed(_pgattest.completion[]);

COMMIT;
