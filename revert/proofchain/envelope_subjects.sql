-- Revert pgattest:proofchain/envelope_subjects from pg

BEGIN;

DROP TABLE proofchain.envelope_subjects;

COMMIT;
