-- Revert pgattest:vex/issuers from pg

BEGIN;

DROP TABLE vex.issuers;

COMMIT;
