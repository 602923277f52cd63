-- Revert pgattest:core/set_tenant from pg

BEGIN;

DROP FUNCTION core.set_tenant(text);

COMMIT;
