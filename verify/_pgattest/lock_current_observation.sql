-- Verify pgattest:_pgattest/lock_current_observation on pg

BEGIN;

DO $verify$
BEGIN
    PERFORM set_config('app.tenant_id', 'verify-no-such-tenant', true);
    BEGIN
        PERFORM _pgattest.lock_current_observation('00000000-0000-0000-0000-000000000000');
        RAISE EXCEPTION '_pgattest.lock_current_observation accepted an unknown observation';
    EXCEPTION WHEN invalid_parameter_value THEN
        NULL;
    END;
    IF has_function_privilege('pgattest_app', '_pgattest.lock_current_observation(uuid)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app must not execute _pgattest.lock_current_observation';
    END IF;
END
$verify$;

ROLLBACK;
