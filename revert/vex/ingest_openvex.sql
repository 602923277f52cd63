-- Revert pgattest:vex/ingest_openvex from pg

BEGIN;

DROP FUNCTION vex.ingest_openvex(text, text);

COMMIT;
