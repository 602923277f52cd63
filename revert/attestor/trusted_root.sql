-- Revert pgattest:attestor/trusted_root from pg

BEGIN;

DROP FUNCTION attestor.trusted_root(text);

COMMIT;
