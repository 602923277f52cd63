-- Revert pgattest:tenant_context from pg

BEGIN;

DROP FUNCTION core.require_tenant();
DROP FUNCTION core.current_tenant();

COMMIT;
