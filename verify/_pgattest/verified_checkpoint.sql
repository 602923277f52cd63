-- Verify pgattest:_pgattest/verified_checkpoint on pg

BEGIN;

DO $verify$
BEGIN
    BEGIN
        PERFORM _pgattest.verified_checkpoint('0000000000000000000000000000000000000000000000000000000000000000', 'x');
        RAISE EXCEPTION 'no error';
    EXCEPTION WHEN SQLSTATE '22023' THEN
        NULL;  -- an unknown log is refused before the note is read
    END;
    IF has_function_privilege('pgattest_worker', '_pgattest.verified_checkpoint(text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.verified_checkpoint must not be executable by the client roles';
    END IF;
    IF position('rekor_v2' IN pg_get_functiondef('_pgattest.verified_checkpoint(text, text)'::regprocedure)) = 0 THEN
        RAISE EXCEPTION '_pgattest.verified_checkpoint does not bind a Rekor v2 checkpoint''s origin';
    END IF;
END
$verify$;

ROLLBACK;
