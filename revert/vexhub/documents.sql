-- Revert pgattest:vexhub/documents from pg

BEGIN;

DROP TABLE vexhub.documents;

COMMIT;
