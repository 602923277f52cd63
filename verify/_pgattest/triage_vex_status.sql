-- Verify pgattest:_pgattest/triage_vex_status on pg

BEGIN;

SELECT tenant_id, status, observations, current_observations, vulnerabilities, products, pending_rekor_links
  FROM _pgattest.triage_vex_status WHERE false;
SELECT 1 / count(*) FROM _pgattest.triage_views WHERE view_name = '_pgattest.triage_vex_status';
DO $verify$
BEGIN
    IF has_table_privilege('pgattest_app', '_pgattest.triage_vex_status', 'SELECT') THEN
        RAISE EXCEPTION 'pgattest_app must not read _pgattest.triage_vex_status';
    END IF;
END
$verify$;

ROLLBACK;
