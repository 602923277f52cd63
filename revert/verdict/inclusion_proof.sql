-- Revert pgattest:verdict/inclusion_proof from pg

BEGIN;

DROP FUNCTION verdict.inclusion_proof(bigint, bigint);

COMMIT;
