-- Verify pgattest:_pgattest/triage_unknowns_by_kind_rows on pg

BEGIN;

DO $verify$
BEGIN
    IF (SELECT proowner::regrole::text FROM pg_proc WHERE oid = '_pgattest.triage_unknowns_by_kind_rows()'::regprocedure) <> 'pgattest_system' THEN
        RAISE EXCEPTION '_pgattest.triage_unknowns_by_kind_rows() must belong to pgattest_system';
    END IF;
    IF has_function_privilege('pgattest_app', '_pgattest.triage_unknowns_by_kind_rows()', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not execute _pgattest.triage_unknowns_by_kind_rows()';
    END IF;
    IF NOT has_column_privilege('pgattest_system', 'unknowns.unknowns', 'kind', 'SELECT') THEN
        RAISE EXCEPTION 'pgattest_system cannot read unknowns.unknowns.kind';
    END IF;
END
$verify$;

ROLLBACK;
