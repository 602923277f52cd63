-- Deploy pgattest:health/check to pg
-- requires: health/metrics health/thresholds
-- The IETF "Health Check Response Format for HTTP APIs" draft
-- (draft-inadarei-api-health-check): a top-level status, and checks keyed
-- "component:measurement", each a list of objects with componentId (the label),
-- observedValue, observedUnit, status and time. Status values follow the draft: pass,
-- warn, fail; the top level is the worst of the checks. A check whose value is unknown
-- (NULL: an active log that never had a checkpoint) warns, since nothing vouches for it.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION health.check()
RETURNS jsonb
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH judged AS (
        SELECT m.component || ':' || m.measurement AS check_key, m.label, m.value, m.unit,
               CASE WHEN m.value IS NULL AND (t.warn_above IS NOT NULL OR t.fail_above IS NOT NULL) THEN 'warn'
                    WHEN m.value >= t.fail_above THEN 'fail'
                    WHEN m.value >= t.warn_above THEN 'warn'
                    ELSE 'pass' END AS status
          FROM health.metrics() m
          LEFT JOIN health.thresholds t ON t.check_key = m.component || ':' || m.measurement
    ), checks AS (
        SELECT j.check_key,
               jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                   'componentId', j.label, 'observedValue', round(j.value::numeric, 3), 'observedUnit', j.unit,
                   'status', j.status, 'time', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
                   ORDER BY j.label) AS results,
               max(CASE j.status WHEN 'fail' THEN 2 WHEN 'warn' THEN 1 ELSE 0 END) AS severity
          FROM judged j
         GROUP BY j.check_key
    )
    SELECT jsonb_build_object(
               'status', (ARRAY['pass', 'warn', 'fail'])[coalesce(max(c.severity), 0) + 1],
               'description', 'pgattest attestation store',
               'checks', coalesce(jsonb_object_agg(c.check_key, c.results), '{}'::jsonb))
      FROM checks c
$$;

COMMENT ON FUNCTION health.check() IS
    'Health of the pgattest database in the shape of the IETF API health-check draft: {"status": "pass"|"warn"|"fail", "checks": {"component:measurement": [{"componentId", "observedValue", "observedUnit", "status", "time"}]}}, judged against health.thresholds (health.set_threshold). The top-level status is the worst check. Aggregates only. For pgattest_monitor (and pg_monitor members) and admins.';

REVOKE ALL ON FUNCTION health.check() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION health.check() TO pgattest_monitor, pgattest_admin;

COMMIT;
