-- Revert pgattest:core/revoke_tenant from pg

BEGIN;

DROP FUNCTION core.revoke_tenant(name, text);

COMMIT;
