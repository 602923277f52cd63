-- Verify pgattest:_pgattest/store_observations on pg

BEGIN;

DO $verify$
BEGIN
    IF pg_get_function_result('_pgattest.store_observations(jsonb, text, text)'::regprocedure)
       <> 'TABLE(observation_id uuid, content_id text)' THEN
        RAISE EXCEPTION '_pgattest.store_observations must return (observation_id uuid, content_id text)';
    END IF;
    IF has_function_privilege('public', '_pgattest.store_observations(jsonb, text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.store_observations must not be executable by PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
