-- Revert pgattest:audit/tenant_tables_audited from pg
-- Removes the audit triggers from every table that has them. Changes after this one
-- (whose tables enable_tenancy audited) are reverted before it, so this leaves exactly
-- the state before the change.

BEGIN;

SET LOCAL ROLE pgattest_owner;

DO $detach$
DECLARE
    g record;
BEGIN
    FOR g IN
        SELECT t.tgname, t.tgrelid::regclass AS tbl
          FROM pg_catalog.pg_trigger t
         WHERE t.tgfoid = '_pgattest.audit_changes()'::regprocedure AND NOT t.tgisinternal
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', g.tgname, g.tbl);
    END LOOP;
END
$detach$;

COMMIT;
