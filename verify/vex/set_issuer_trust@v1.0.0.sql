-- Verify pgattest:vex/set_issuer_trust on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'vex.set_issuer_trust(text, integer, numeric)', 'EXECUTE')
       OR has_function_privilege('pgattest_app', 'vex.set_issuer_trust(text, integer, numeric)', 'EXECUTE')
       OR NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'vex.set_issuer_trust(text, integer, numeric)'::regprocedure) THEN
        RAISE EXCEPTION 'vex.set_issuer_trust is not granted as designed (pgattest_admin, security definer)';
    END IF;
END
$verify$;

ROLLBACK;
