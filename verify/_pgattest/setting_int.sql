-- Verify pgattest:_pgattest/setting_int on pg

BEGIN;

DO $verify$
BEGIN
    IF _pgattest.setting_int('pgattest.no_such_setting', 42) IS DISTINCT FROM 42 THEN
        RAISE EXCEPTION '_pgattest.setting_int does not fall back when the setting is unset';
    END IF;
    IF NOT has_function_privilege('pgattest_system', '_pgattest.setting_int(text, integer)', 'EXECUTE')
       OR has_function_privilege('pgattest_app', '_pgattest.setting_int(text, integer)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.setting_int must be granted to pgattest_system only';
    END IF;
END
$verify$;

ROLLBACK;
