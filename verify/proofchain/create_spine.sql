-- Verify pgattest:proofchain/create_spine on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'proofchain.create_spine(uuid, text[], text, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'proofchain.create_spine(uuid, text[], text, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'proofchain.create_spine must be executable by pgattest_app only';
    END IF;
    IF NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'proofchain.create_spine(uuid, text[], text, text)'::regprocedure) THEN
        RAISE EXCEPTION 'proofchain.create_spine must be SECURITY DEFINER (pgattest_app cannot write spines)';
    END IF;
END
$verify$;

ROLLBACK;
