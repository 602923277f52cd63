-- Verify pgattest:_pgattest/observations_immutable on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_proc
                    WHERE oid = '_pgattest.observations_immutable()'::regprocedure
                      AND prorettype = 'trigger'::regtype AND pg_get_userbyid(proowner) = 'pgattest_owner'
                      AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp']) THEN
        RAISE EXCEPTION '_pgattest.observations_immutable() must be a trigger function of pgattest_owner with a pinned search_path';
    END IF;
END
$verify$;

ROLLBACK;
