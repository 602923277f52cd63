-- Verify pgattest:_pgattest/store_checkpoint on pg

BEGIN;

DO $verify$
BEGIN
    IF (SELECT prosrc FROM pg_proc WHERE oid = '_pgattest.store_checkpoint(text, text)'::regprocedure)
       NOT LIKE '%_pgattest.store_verified_checkpoint(%' THEN
        RAISE EXCEPTION '_pgattest.store_checkpoint does not store through _pgattest.store_verified_checkpoint';
    END IF;
    IF has_function_privilege('pgattest_worker', '_pgattest.store_checkpoint(text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.store_checkpoint must not be executable by the client roles';
    END IF;
END
$verify$;

ROLLBACK;
