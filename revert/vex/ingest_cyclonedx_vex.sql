-- Revert pgattest:vex/ingest_cyclonedx_vex from pg

BEGIN;

DROP FUNCTION vex.ingest_cyclonedx_vex(text, text);

COMMIT;
