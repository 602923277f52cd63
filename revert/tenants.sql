-- Revert pgattest:tenants from pg

BEGIN;

DROP FUNCTION core.register_tenant(text, text);
DROP TABLE core.tenants;

COMMIT;
