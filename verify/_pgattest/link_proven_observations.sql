-- Verify pgattest:_pgattest/link_proven_observations on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'proofchain.rekor_entries'::regclass
                    AND tgname = 'link_proven_observations' AND tgenabled = 'O'
                    AND tgfoid = '_pgattest.link_proven_observations()'::regprocedure) THEN
        RAISE EXCEPTION 'the trigger linking proven VEX observations is missing or disabled';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_proc
                    WHERE oid = '_pgattest.link_proven_observations()'::regprocedure
                      AND pg_get_userbyid(proowner) = 'pgattest_system' AND prosecdef
                      AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp']) THEN
        RAISE EXCEPTION 'the linking trigger must run as pgattest_system (entries of every tenant) with a pinned search_path';
    END IF;
    IF EXISTS (SELECT FROM pg_proc p, aclexplode(p.proacl) a
                WHERE p.oid = '_pgattest.link_proven_observations()'::regprocedure AND a.grantee = 0) THEN
        RAISE EXCEPTION '_pgattest.link_proven_observations() must not be executable by PUBLIC';
    END IF;
    -- Without these every completion that links would fail, and its whole batch with it.
    IF NOT has_function_privilege('pgattest_system', '_pgattest.link_observations(_pgattest.observation_link[])', 'EXECUTE')
       OR NOT has_column_privilege('pgattest_system', 'vex.observations', 'rekor_entry_id', 'UPDATE')
       OR NOT has_column_privilege('pgattest_system', 'vexhub.statements', 'rekor_entry_id', 'UPDATE')
       OR NOT has_column_privilege('pgattest_system', 'vex.delta_changes', 'new_rekor_entry_id', 'UPDATE')
       OR NOT has_table_privilege('pgattest_system', 'vex.observation_submissions', 'SELECT') THEN
        RAISE EXCEPTION 'pgattest_system lacks a privilege the linking trigger needs';
    END IF;
END
$verify$;

ROLLBACK;
