-- Verify pgattest:attestor/deactivate_transparency_log on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'attestor.deactivate_transparency_log(text, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'attestor.deactivate_transparency_log(text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.deactivate_transparency_log must be executable by pgattest_admin only';
    END IF;
END
$verify$;

ROLLBACK;
