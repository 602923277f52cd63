-- Verify pgattest:health/metrics on pg

BEGIN;

DO $verify$
DECLARE
    keys text[];
BEGIN
    SELECT array_agg(DISTINCT component || ':' || measurement) INTO keys FROM health.metrics();
    IF NOT keys @> ARRAY['database:responseTime', 'connections:utilization', 'queue:depth', 'queue:dead',
                         'transactions:xminAge', 'transactions:wraparoundUsed', 'vex:pendingLinks',
                         'ledger:anchorAge', 'ledger:tenantsBehind', 'triage:staleness', 'watchlist:scanLag',
                         'watchlist:undeliveredAlerts', 'audit:partitionsAhead'] THEN
        RAISE EXCEPTION 'health.metrics() lacks figures: it reports %', keys;
    END IF;
    IF NOT has_function_privilege('pgattest_monitor', 'health.metrics()', 'EXECUTE')
       OR has_function_privilege('pgattest_app', 'health.metrics()', 'EXECUTE') THEN
        RAISE EXCEPTION 'health.metrics() is for pgattest_monitor and admins only';
    END IF;
    IF (SELECT proowner::regrole::text FROM pg_proc WHERE oid = 'health.metrics()'::regprocedure) <> 'pgattest_system' THEN
        RAISE EXCEPTION 'health.metrics() must belong to pgattest_system to read across tenants';
    END IF;
END
$verify$;

ROLLBACK;
