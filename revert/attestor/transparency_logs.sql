-- Revert pgattest:attestor/transparency_logs from pg

BEGIN;

DROP TABLE attestor.transparency_logs;

COMMIT;
