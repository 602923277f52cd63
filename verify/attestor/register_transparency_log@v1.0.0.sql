-- Verify pgattest:attestor/register_transparency_log on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean)', 'EXECUTE')
       OR has_function_privilege('pgattest_app', 'attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.register_transparency_log must be executable by pgattest_admin only';
    END IF;
    IF NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean)'::regprocedure) THEN
        RAISE EXCEPTION 'attestor.register_transparency_log must be SECURITY DEFINER (pgattest_admin cannot write the table)';
    END IF;
END
$verify$;

ROLLBACK;
