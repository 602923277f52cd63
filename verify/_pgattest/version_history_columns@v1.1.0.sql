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
END
$verify$;

ROLLBACK;
