-- Revert pgattest:trust_anchors from pg

BEGIN;

DROP FUNCTION proofchain.revoke_trust_anchor(uuid, text);
DROP FUNCTION proofchain.add_trust_anchor(text, text, text[], timestamptz, timestamptz);
DROP TABLE proofchain.trust_anchors;

COMMIT;
