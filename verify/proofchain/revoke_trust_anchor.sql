-- Verify pgattest:proofchain/revoke_trust_anchor on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'proofchain.revoke_trust_anchor(uuid, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_app', 'proofchain.revoke_trust_anchor(uuid, text)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'proofchain.revoke_trust_anchor(uuid, text)', 'EXECUTE') THEN
        RAISE EXCEPTION 'proofchain.revoke_trust_anchor must be executable by pgattest_admin only';
    END IF;
    IF NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'proofchain.revoke_trust_anchor(uuid, text)'::regprocedure) THEN
        RAISE EXCEPTION 'proofchain.revoke_trust_anchor must be SECURITY DEFINER (pgattest_admin cannot write the table)';
    END IF;
END
$verify$;

ROLLBACK;
