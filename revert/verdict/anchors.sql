-- Revert pgattest:verdict/anchors from pg

BEGIN;

DROP TABLE verdict.anchors;

COMMIT;
