-- Revert pgattest:proofchain/dsse_envelopes from pg

BEGIN;

DROP TABLE proofchain.dsse_envelopes;

COMMIT;
