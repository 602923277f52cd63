-- Verify pgattest:_pgattest/audit_changes on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT (SELECT prosecdef AND proowner = 'pgattest_system'::regrole
              FROM pg_catalog.pg_proc WHERE oid = '_pgattest.audit_changes()'::regprocedure) THEN
        RAISE EXCEPTION '_pgattest.audit_changes() must be SECURITY DEFINER owned by pgattest_system';
    END IF;
END
$verify$;

ROLLBACK;
