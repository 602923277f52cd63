-- Revert pgattest:vex/ingest_csaf_vex from pg

BEGIN;

DROP FUNCTION vex.ingest_csaf_vex(text, text);

COMMIT;
