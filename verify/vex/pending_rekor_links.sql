-- Verify pgattest:vex/pending_rekor_links on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_worker', 'vex.pending_rekor_links(integer)', 'EXECUTE')
       OR has_function_privilege('pgattest_app', 'vex.pending_rekor_links(integer)', 'EXECUTE') THEN
        RAISE EXCEPTION 'vex.pending_rekor_links is not granted as designed (pgattest_worker only)';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_proc WHERE oid = 'vex.pending_rekor_links(integer)'::regprocedure
                      AND pg_get_userbyid(proowner) = 'pgattest_system' AND prosecdef) THEN
        RAISE EXCEPTION 'vex.pending_rekor_links must run as pgattest_system (observations of every tenant)';
    END IF;
    IF NOT has_column_privilege('pgattest_system', 'vex.observations', 'rekor_linked_at', 'UPDATE')
       OR NOT has_table_privilege('pgattest_system', 'vex.observations', 'SELECT') THEN
        RAISE EXCEPTION 'pgattest_system lacks the privileges vex.pending_rekor_links needs on vex.observations';
    END IF;
    IF pg_get_function_result('vex.pending_rekor_links(integer)'::regprocedure)
       <> 'TABLE(tenant_id text, observation_id uuid, content_id text, statement_text text, created_at timestamp with time zone)' THEN
        RAISE EXCEPTION 'vex.pending_rekor_links returns the wrong columns';
    END IF;
END
$verify$;

ROLLBACK;
