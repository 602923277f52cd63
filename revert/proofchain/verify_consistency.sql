-- Revert pgattest:proofchain/verify_consistency from pg

BEGIN;

DROP FUNCTION proofchain.verify_consistency(bigint, bigint, bytea, bytea, bytea[]);

COMMIT;
