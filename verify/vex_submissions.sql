-- Verify pgattest:vex_submissions on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'proofchain.rekor_entries'::regclass
                    AND tgname = 'link_proven_observations' AND tgenabled = 'O') THEN
        RAISE EXCEPTION 'the trigger linking proven VEX observations is missing or disabled';
    END IF;
    IF to_regclass('vex.observations_unlinked_content') IS NULL THEN
        RAISE EXCEPTION 'the index of unlinked observations by content id is missing';
    END IF;
    IF NOT has_function_privilege('pgattest_app', 'vex.submit_observation(uuid, jsonb, text)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_app', 'vex.update_status(uuid, jsonb, text, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'vex.submit_observation(uuid, jsonb, text)', 'EXECUTE')
       OR NOT has_column_privilege('pgattest_system', 'vex.delta_changes', 'new_rekor_entry_id', 'UPDATE') THEN
        RAISE EXCEPTION 'the VEX submission functions are not granted as designed';
    END IF;
    IF (SELECT pg_get_userbyid(proowner) FROM pg_proc
         WHERE oid = '_pgattest.link_proven_observations()'::regprocedure) <> 'pgattest_system' THEN
        RAISE EXCEPTION 'the linking trigger must run as pgattest_system (entries of every tenant)';
    END IF;
END
$verify$;

ROLLBACK;
