-- Revert pgattest:vexhub/statements from pg

BEGIN;

DROP TABLE vexhub.statements;

COMMIT;
