-- Revert pgattest:proofchain/dsse_pae from pg

BEGIN;

DROP FUNCTION proofchain.dsse_pae(text, bytea);

COMMIT;
