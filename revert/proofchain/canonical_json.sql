-- Revert pgattest:proofchain/canonical_json from pg

BEGIN;

DROP FUNCTION proofchain.canonical_json(text);

COMMIT;
