-- Verify pgattest:_pgattest/triage_vex_status_rows on pg

BEGIN;

DO $verify$
BEGIN
    IF (SELECT proowner::regrole::text FROM pg_proc WHERE oid = '_pgattest.triage_vex_status_rows()'::regprocedure) <> 'pgattest_system' THEN
        RAISE EXCEPTION '_pgattest.triage_vex_status_rows() must belong to pgattest_system';
    END IF;
    IF has_function_privilege('pgattest_app', '_pgattest.triage_vex_status_rows()', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not execute _pgattest.triage_vex_status_rows()';
    END IF;
END
$verify$;

ROLLBACK;
