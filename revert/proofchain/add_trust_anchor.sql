-- Revert pgattest:proofchain/add_trust_anchor from pg

BEGIN;

DROP FUNCTION proofchain.add_trust_anchor(text, text, text[], timestamptz, timestamptz);

COMMIT;
