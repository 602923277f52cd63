-- Verify pgattest:_pgattest/attest_observation on pg

BEGIN;

DO $verify$
BEGIN
    IF has_function_privilege('public', '_pgattest.attest_observation(vex.observations, uuid)', 'EXECUTE')
       OR NOT EXISTS (SELECT FROM pg_proc WHERE oid = '_pgattest.attest_observation(vex.observations, uuid)'::regprocedure
                         AND NOT prosecdef AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp']) THEN
        RAISE EXCEPTION '_pgattest.attest_observation must be an internal invoker function with a pinned search_path';
    END IF;
END
$verify$;

ROLLBACK;
