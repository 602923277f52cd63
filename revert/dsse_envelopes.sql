-- Revert pgattest:dsse_envelopes from pg

BEGIN;

DROP TABLE proofchain.envelope_subjects;
DROP TABLE proofchain.dsse_envelopes;

COMMIT;
