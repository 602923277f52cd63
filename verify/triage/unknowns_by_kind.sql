-- Verify pgattest:triage/unknowns_by_kind on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'triage.unknowns_by_kind()', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute triage.unknowns_by_kind()';
    END IF;
END
$verify$;

ROLLBACK;
