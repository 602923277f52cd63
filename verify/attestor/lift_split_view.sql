-- Verify pgattest:attestor/lift_split_view on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'attestor.lift_split_view(text, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'attestor.lift_split_view(text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.lift_split_view must be executable by pgattest_admin only';
    END IF;
END
$verify$;

ROLLBACK;
