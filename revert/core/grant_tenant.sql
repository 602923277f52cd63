-- Revert pgattest:core/grant_tenant from pg

BEGIN;

DROP FUNCTION core.grant_tenant(name, text);

COMMIT;
