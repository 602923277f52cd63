-- Verify pgattest:_pgattest/touch_updated_at on pg

BEGIN;

DO $verify$
BEGIN
    IF (SELECT prorettype FROM pg_catalog.pg_proc WHERE oid = '_pgattest.touch_updated_at()'::regprocedure)
       <> 'trigger'::regtype THEN
        RAISE EXCEPTION '_pgattest.touch_updated_at() is not a trigger function';
    END IF;
    IF has_function_privilege('public', '_pgattest.touch_updated_at()', 'EXECUTE') THEN
        RAISE EXCEPTION 'PUBLIC must not execute _pgattest.touch_updated_at()';
    END IF;
END
$verify$;

ROLLBACK;
