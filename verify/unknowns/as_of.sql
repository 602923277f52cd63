-- Verify pgattest:unknowns/as_of on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'unknowns.as_of(timestamptz, timestamptz, uuid)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute unknowns.as_of';
    END IF;
    IF (SELECT prosecdef FROM pg_proc WHERE oid = 'unknowns.as_of(timestamptz, timestamptz, uuid)'::regprocedure) THEN
        RAISE EXCEPTION 'unknowns.as_of must run with the caller''s rights';
    END IF;
END
$verify$;

ROLLBACK;
