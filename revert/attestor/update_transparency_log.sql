-- Revert pgattest:attestor/update_transparency_log from pg

BEGIN;

DROP FUNCTION attestor.update_transparency_log(text, text, text, timestamptz, timestamptz, boolean, boolean, bigint, bigint, text);

COMMIT;
