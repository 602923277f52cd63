-- Revert pgattest:proofchain/rfc6962_node_hash from pg

BEGIN;

DROP FUNCTION proofchain.rfc6962_node_hash(bytea, bytea);

COMMIT;
