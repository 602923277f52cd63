-- Verify pgattest:_pgattest/trust_verdicts_immutable on pg

BEGIN;

SELECT '_pgattest.trust_verdicts_immutable()'::regprocedure;

ROLLBACK;
