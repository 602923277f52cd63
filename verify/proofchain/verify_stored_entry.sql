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
    -- Without a SET, the window is held against the checkpoint's verification time.
    IF position('cp.verified_at' IN pg_get_functiondef('proofchain.verify_stored_entry(uuid)'::regprocedure)) = 0 THEN
        RAISE EXCEPTION 'proofchain.verify_stored_entry does not hold the key window against the checkpoint''s time';
    END IF;
END
$verify$;

ROLLBACK;
