-- Revert pgattest:canonical_json from pg

BEGIN;

DROP FUNCTION proofchain.content_id(text);
DROP FUNCTION proofchain.canonical_json(text);

COMMIT;
