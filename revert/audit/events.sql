-- Revert pgattest:audit/events from pg

BEGIN;

DROP TABLE audit.events;

COMMIT;
