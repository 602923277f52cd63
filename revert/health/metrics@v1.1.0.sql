-- Revert pgattest:health/metrics from pg

BEGIN;

REVOKE SELECT ON attestor.split_views FROM pgattest_system;
DROP FUNCTION health.metrics();

COMMIT;
