-- Verify pgattest:verdict/consistency_proof on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'verdict.consistency_proof(bigint, bigint)', 'EXECUTE') THEN
        RAISE EXCEPTION 'verdict.consistency_proof must be executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
