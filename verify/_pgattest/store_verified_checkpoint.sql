-- Verify pgattest:_pgattest/store_verified_checkpoint on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_system', '_pgattest.store_verified_checkpoint(text, text, text, bigint, bytea, jsonb)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', '_pgattest.store_verified_checkpoint(text, text, text, bigint, bytea, jsonb)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.store_verified_checkpoint must be executable by pgattest_system only';
    END IF;
END
$verify$;

ROLLBACK;
