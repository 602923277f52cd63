-- Revert pgattest:proofchain/dsse_envelopes_signed_digest from pg
-- Rows keep the digests this change gave them (a revert keeps data); the envelope store
-- of v1.0.0 then stores such an envelope again once, under its old digest, when it is
-- submitted again.

BEGIN;

SET LOCAL ROLE pgattest_owner;

COMMENT ON COLUMN proofchain.dsse_envelopes.content_digest IS NULL;

COMMIT;
