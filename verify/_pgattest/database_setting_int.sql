-- Verify pgattest:_pgattest/database_setting_int on pg

BEGIN;

DO $verify$
BEGIN
    -- A session value is not the database's.
    PERFORM set_config('pgattest.verify_database_setting', '7', true);
    IF _pgattest.database_setting_int('pgattest.verify_database_setting', 42) IS DISTINCT FROM 42 THEN
        RAISE EXCEPTION '_pgattest.database_setting_int reads the session''s value';
    END IF;
    IF has_function_privilege('public', '_pgattest.database_setting_int(text, integer)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.database_setting_int must not be executable by PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
