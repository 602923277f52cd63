-- Revert pgattest:dsse_verify from pg

BEGIN;

DROP FUNCTION proofchain.verify_dsse(jsonb, text);
DROP FUNCTION proofchain.dsse_pae(text, bytea);

COMMIT;
