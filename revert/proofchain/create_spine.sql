-- Revert pgattest:proofchain/create_spine from pg

BEGIN;

DROP FUNCTION proofchain.create_spine(uuid, text[], text, text);

COMMIT;
