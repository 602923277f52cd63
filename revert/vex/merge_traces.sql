-- Revert pgattest:vex/merge_traces from pg

BEGIN;

DROP TABLE vex.merge_traces;

COMMIT;
