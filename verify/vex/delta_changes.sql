-- Verify pgattest:vex/delta_changes on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, change_kind, vulnerability_id, product_key, provider, old_observation_id,
       new_observation_id, old_status, new_status, reason_code, old_rekor_entry_id, new_rekor_entry_id
  FROM vex.delta_changes WHERE false;

DO $verify$
BEGIN
    IF NOT has_table_privilege('pgattest_app', 'vex.delta_changes', 'SELECT')
       OR has_table_privilege('pgattest_app', 'vex.delta_changes', 'INSERT') THEN
        RAISE EXCEPTION 'vex.delta_changes is not granted as designed (read-only for pgattest_app)';
    END IF;
END
$verify$;

ROLLBACK;
