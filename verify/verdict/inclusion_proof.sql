-- Verify pgattest:verdict/inclusion_proof on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'verdict.inclusion_proof(bigint, bigint)', 'EXECUTE') THEN
        RAISE EXCEPTION 'verdict.inclusion_proof must be executable by pgattest_app';
    END IF;
END
$verify$;

ROLLBACK;
