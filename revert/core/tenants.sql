-- Revert pgattest:core/tenants from pg

BEGIN;

DROP TABLE core.tenants;

COMMIT;
