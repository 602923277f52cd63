-- Verify pgattest:attestor/update_transparency_log on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'attestor.update_transparency_log(text, text, text, timestamptz, timestamptz, boolean, boolean, bigint, bigint, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'attestor.update_transparency_log(text, text, text, timestamptz, timestamptz, boolean, boolean, bigint, bigint, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.update_transparency_log must be executable by pgattest_admin only';
    END IF;
END
$verify$;

ROLLBACK;
