-- Revert pgattest:proofchain/revoke_trust_anchor from pg

BEGIN;

DROP FUNCTION proofchain.revoke_trust_anchor(uuid, text);

COMMIT;
