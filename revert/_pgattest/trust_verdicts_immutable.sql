-- Revert pgattest:_pgattest/trust_verdicts_immutable from pg

BEGIN;

DROP FUNCTION _pgattest.trust_verdicts_immutable();

COMMIT;
