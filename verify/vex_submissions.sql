-- Verify pgattest:vex_submissions on pg

BEGIN;

SELECT tenant_id, observation_id, envelope_id FROM vex.observation_submissions WHERE false;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'proofchain.rekor_entries'::regclass
                    AND tgname = 'link_proven_observations' AND tgenabled = 'O') THEN
        RAISE EXCEPTION 'the trigger linking proven VEX observations is missing or disabled';
    END IF;
    IF NOT has_function_privilege('pgattest_app', 'vex.submit_observation(uuid, jsonb, text)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_app', 'vex.update_status(uuid, jsonb, text, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'vex.submit_observation(uuid, jsonb, text)', 'EXECUTE')
       OR EXISTS (SELECT FROM pg_proc p, aclexplode(p.proacl) a
                   WHERE p.oid IN ('vex.submit_observation(uuid, jsonb, text)'::regprocedure,
                                   'vex.update_status(uuid, jsonb, text, text)'::regprocedure,
                                   '_pgattest.link_proven_observations()'::regprocedure)
                     AND a.grantee = 0) THEN
        RAISE EXCEPTION 'the VEX submission functions are not granted as designed';
    END IF;
    -- Without these every completion that links would fail, and its whole batch with it.
    IF NOT has_column_privilege('pgattest_system', 'vex.observations', 'rekor_entry_id', 'UPDATE')
       OR NOT has_column_privilege('pgattest_system', 'vexhub.statements', 'rekor_entry_id', 'UPDATE')
       OR NOT has_column_privilege('pgattest_system', 'vex.delta_changes', 'new_rekor_entry_id', 'UPDATE')
       OR NOT has_table_privilege('pgattest_system', 'vex.observation_submissions', 'SELECT') THEN
        RAISE EXCEPTION 'pgattest_system lacks a privilege the linking trigger needs';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_proc
                    WHERE oid = '_pgattest.link_proven_observations()'::regprocedure
                      AND pg_get_userbyid(proowner) = 'pgattest_system' AND prosecdef
                      AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp']) THEN
        RAISE EXCEPTION 'the linking trigger must run as pgattest_system (entries of every tenant) with a pinned search_path';
    END IF;
    IF to_regclass('_pgattest.vex_submissions_parked') IS NOT NULL THEN
        RAISE EXCEPTION 'parked VEX submissions were not restored';
    END IF;
END
$verify$;

ROLLBACK;
