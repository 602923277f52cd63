-- Verify pgattest:_pgattest/version_history_columns on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_event_trigger
                    WHERE evtname = 'pgattest_version_history_columns' AND evtenabled <> 'D'
                      AND evtfoid = '_pgattest.version_history_columns()'::regprocedure) THEN
        RAISE EXCEPTION 'event trigger pgattest_version_history_columns is missing or disabled';
    END IF;
    IF has_function_privilege('pgattest_app', '_pgattest.version_history_columns()', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not execute _pgattest.version_history_columns()';
    END IF;
    -- An event trigger runs its function as whoever issues the DDL: only a superuser may own it.
    IF NOT EXISTS (SELECT FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner
                    WHERE p.oid = '_pgattest.version_history_columns()'::regprocedure AND r.rolsuper AND p.prosecdef) THEN
        RAISE EXCEPTION '_pgattest.version_history_columns() must be SECURITY DEFINER and owned by a superuser';
    END IF;
END
$verify$;

ROLLBACK;
