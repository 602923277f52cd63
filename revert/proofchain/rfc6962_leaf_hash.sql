-- Revert pgattest:proofchain/rfc6962_leaf_hash from pg

BEGIN;

DROP FUNCTION proofchain.rfc6962_leaf_hash(bytea);

COMMIT;
