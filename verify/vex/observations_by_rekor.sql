-- Verify pgattest:vex/observations_by_rekor on pg

BEGIN;

SELECT observation_id, content_id, vulnerability_id, product_key, provider, status, justification, statement_timestamp,
       rekor_uuid, rekor_log_index
  FROM vex.observations_by_rekor(repeat('0', 64)) WHERE false;
SELECT observation_id, content_id FROM vex.observations_by_rekor(0::bigint, NULL) WHERE false;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'vex.observations_by_rekor(text)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_app', 'vex.observations_by_rekor(bigint, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'vex.observations_by_rekor(text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'vex.observations_by_rekor is not granted as designed (pgattest_app)';
    END IF;
END
$verify$;

ROLLBACK;
