-- Revert pgattest:core/require_tenant from pg

BEGIN;

DROP FUNCTION core.require_tenant();

COMMIT;
