-- Revert pgattest:attestor/rekor_checkpoints from pg

BEGIN;

DROP TABLE attestor.rekor_checkpoints;

COMMIT;
