-- Revert pgattest:verdict/verify from pg

BEGIN;

DROP FUNCTION verdict.verify(bigint, bigint);

COMMIT;
