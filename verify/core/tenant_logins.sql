-- Verify pgattest:core/tenant_logins on pg

BEGIN;

SELECT tenant_id, login, granted_at, granted_by FROM core.tenant_logins WHERE false;

DO $verify$
BEGIN
    IF has_table_privilege('pgattest_app', 'core.tenant_logins', 'SELECT')
       OR has_table_privilege('public', 'core.tenant_logins', 'SELECT') THEN
        RAISE EXCEPTION 'core.tenant_logins must not be readable by applications or PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
