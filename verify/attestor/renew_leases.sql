-- Verify pgattest:attestor/renew_leases on pg

BEGIN;

DO $verify$
DECLARE
    f regprocedure := 'attestor.renew_leases(text, uuid[], interval)'::regprocedure;
BEGIN
    IF NOT has_function_privilege('pgattest_worker', f, 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.renew_leases is not granted to pgattest_worker';
    END IF;
    IF has_function_privilege('pgattest_app', f, 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not renew leases';
    END IF;
    IF (SELECT proowner <> 'pgattest_system'::regrole OR NOT prosecdef FROM pg_proc WHERE oid = f) THEN
        RAISE EXCEPTION 'attestor.renew_leases must be SECURITY DEFINER, owned by pgattest_system';
    END IF;
END
$verify$;

ROLLBACK;
