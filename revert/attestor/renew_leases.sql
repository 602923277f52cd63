-- Revert pgattest:attestor/renew_leases from pg

BEGIN;

DROP FUNCTION attestor.renew_leases(text, uuid[], interval);

COMMIT;
