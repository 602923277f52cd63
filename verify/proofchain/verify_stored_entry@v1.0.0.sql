-- Verify pgattest:proofchain/verify_stored_entry on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'proofchain.verify_stored_entry(uuid)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'proofchain.verify_stored_entry(uuid)', 'EXECUTE') THEN
        RAISE EXCEPTION 'proofchain.verify_stored_entry must be executable by pgattest_app and pgattest_admin only';
    END IF;
    IF NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'proofchain.verify_stored_entry(uuid)'::regprocedure) THEN
        RAISE EXCEPTION 'proofchain.verify_stored_entry must be SECURITY DEFINER';
    END IF;
END
$verify$;

ROLLBACK;
