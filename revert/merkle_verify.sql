-- Revert pgattest:merkle_verify from pg

BEGIN;

DROP FUNCTION proofchain.verify_consistency(bigint, bigint, bytea, bytea, bytea[]);
DROP FUNCTION proofchain.verify_inclusion(bytea, bigint, bigint, bytea[], bytea);
DROP FUNCTION proofchain.rfc6962_node_hash(bytea, bytea);
DROP FUNCTION proofchain.rfc6962_leaf_hash(bytea);

COMMIT;
