-- Verify pgattest:_pgattest/triage_views on pg

BEGIN;

SELECT view_name, refreshed_at, refresh_duration FROM _pgattest.triage_views WHERE false;
DO $verify$
BEGIN
    IF has_table_privilege('pgattest_app', '_pgattest.triage_views', 'SELECT') THEN
        RAISE EXCEPTION 'pgattest_app must not read _pgattest.triage_views';
    END IF;
END
$verify$;

ROLLBACK;
