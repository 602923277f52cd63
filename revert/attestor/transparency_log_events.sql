-- Revert pgattest:attestor/transparency_log_events from pg

BEGIN;

DROP TABLE attestor.transparency_log_events;

COMMIT;
