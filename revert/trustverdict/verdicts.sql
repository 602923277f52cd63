-- Revert pgattest:trustverdict/verdicts from pg

BEGIN;

DROP TABLE trustverdict.verdicts;

COMMIT;
