-- Verify pgattest:attestor/trusted_root on pg

BEGIN;

DO $verify$
BEGIN
    IF attestor.trusted_root('0000000000000000000000000000000000000000000000000000000000000000') -> 'tlogs' <> '[]' THEN
        RAISE EXCEPTION 'attestor.trusted_root returns a log that is not registered';
    END IF;
    IF (SELECT prosrc FROM pg_proc WHERE oid = 'attestor.trusted_root(text)'::regprocedure)
       NOT LIKE '%_pgattest.log_validity(%' THEN
        RAISE EXCEPTION 'attestor.trusted_root does not read the window through _pgattest.log_validity';
    END IF;
    IF NOT has_function_privilege('pgattest_app', 'attestor.trusted_root(text)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_worker', 'attestor.trusted_root(text)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_admin', 'attestor.trusted_root(text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.trusted_root must be executable by the client roles';
    END IF;
END
$verify$;

ROLLBACK;
