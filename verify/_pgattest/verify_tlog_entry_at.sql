-- Verify pgattest:_pgattest/verify_tlog_entry_at on pg

BEGIN;

DO $verify$
BEGIN
    PERFORM '_pgattest.verify_tlog_entry_at(jsonb, jsonb, boolean, double precision)'::regprocedure;
    IF has_function_privilege('pgattest_app', '_pgattest.verify_tlog_entry_at(jsonb, jsonb, boolean, double precision)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.verify_tlog_entry_at is executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
