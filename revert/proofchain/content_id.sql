-- Revert pgattest:proofchain/content_id from pg

BEGIN;

DROP FUNCTION proofchain.content_id(text);

COMMIT;
