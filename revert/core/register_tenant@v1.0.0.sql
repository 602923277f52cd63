-- Revert pgattest:core/register_tenant from pg

BEGIN;

DROP FUNCTION core.register_tenant(text, text);

COMMIT;
