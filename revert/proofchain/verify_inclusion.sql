-- Revert pgattest:proofchain/verify_inclusion from pg

BEGIN;

DROP FUNCTION proofchain.verify_inclusion(bytea, bigint, bigint, bytea[], bytea);

COMMIT;
