-- Verify pgattest:_pgattest/triage_unknowns_by_kind on pg

BEGIN;

SELECT tenant_id, kind, open, resolved FROM _pgattest.triage_unknowns_by_kind WHERE false;
SELECT 1 / count(*) FROM _pgattest.triage_views WHERE view_name = '_pgattest.triage_unknowns_by_kind';
DO $verify$
BEGIN
    IF has_table_privilege('pgattest_app', '_pgattest.triage_unknowns_by_kind', 'SELECT') THEN
        RAISE EXCEPTION 'pgattest_app must not read _pgattest.triage_unknowns_by_kind';
    END IF;
END
$verify$;

ROLLBACK;
