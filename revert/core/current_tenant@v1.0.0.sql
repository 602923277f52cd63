-- Revert pgattest:core/current_tenant from pg

BEGIN;

DROP FUNCTION core.current_tenant();

COMMIT;
