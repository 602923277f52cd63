-- Revert pgattest:attestor/deactivate_transparency_log from pg

BEGIN;

DROP FUNCTION attestor.deactivate_transparency_log(text, text);

COMMIT;
