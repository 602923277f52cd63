-- Revert pgattest:proofchain/spines from pg

BEGIN;

DROP TABLE proofchain.spines;

COMMIT;
