-- Verify pgattest:_pgattest/triage_vex_top on pg

BEGIN;

SELECT tenant_id, dimension, item, affected, under_investigation, fixed, not_affected, total, rank
  FROM _pgattest.triage_vex_top WHERE false;
SELECT 1 / count(*) FROM _pgattest.triage_views WHERE view_name = '_pgattest.triage_vex_top';
DO $verify$
BEGIN
    IF has_table_privilege('pgattest_app', '_pgattest.triage_vex_top', 'SELECT') THEN
        RAISE EXCEPTION 'pgattest_app must not read _pgattest.triage_vex_top';
    END IF;
END
$verify$;

ROLLBACK;
