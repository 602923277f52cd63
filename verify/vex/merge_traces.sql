-- Verify pgattest:vex/merge_traces on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, vulnerability_id, product_key, effective_status, justification,
       winner_observation_id, has_conflict, sources, trace_digest
  FROM vex.merge_traces WHERE false;

DO $verify$
BEGIN
    IF NOT has_table_privilege('pgattest_app', 'vex.merge_traces', 'SELECT')
       OR has_table_privilege('pgattest_app', 'vex.merge_traces', 'INSERT') THEN
        RAISE EXCEPTION 'vex.merge_traces is not granted as designed (read-only for pgattest_app)';
    END IF;
END
$verify$;

ROLLBACK;
