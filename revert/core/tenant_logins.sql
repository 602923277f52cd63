-- Revert pgattest:core/tenant_logins from pg
-- Bindings are configuration, not tenant data: reverting removes them (an admin
-- re-grants after a redeploy; the revert of core/current_tenant stops honouring them).

BEGIN;

DROP TABLE core.tenant_logins;

COMMIT;
