-- Revert pgattest:verdict/consistency_proof from pg

BEGIN;

DROP FUNCTION verdict.consistency_proof(bigint, bigint);

COMMIT;
