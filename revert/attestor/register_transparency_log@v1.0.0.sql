-- Revert pgattest:attestor/register_transparency_log from pg

BEGIN;

DROP FUNCTION attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean);

COMMIT;
