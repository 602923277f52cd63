-- Revert pgattest:trustverdict/verdict_counts from pg

BEGIN;

DROP TABLE trustverdict.verdict_counts;

COMMIT;
