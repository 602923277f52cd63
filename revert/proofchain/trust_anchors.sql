-- Revert pgattest:proofchain/trust_anchors from pg

BEGIN;

DROP TABLE proofchain.trust_anchors;

COMMIT;
