-- Verify pgattest:proofchain/add_trust_anchor on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin', 'proofchain.add_trust_anchor(text, text, text[], timestamptz, timestamptz)', 'EXECUTE')
       OR has_function_privilege('pgattest_app', 'proofchain.add_trust_anchor(text, text, text[], timestamptz, timestamptz)', 'EXECUTE')
       OR has_function_privilege('pgattest_worker', 'proofchain.add_trust_anchor(text, text, text[], timestamptz, timestamptz)', 'EXECUTE') THEN
        RAISE EXCEPTION 'proofchain.add_trust_anchor must be executable by pgattest_admin only';
    END IF;
    IF NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'proofchain.add_trust_anchor(text, text, text[], timestamptz, timestamptz)'::regprocedure) THEN
        RAISE EXCEPTION 'proofchain.add_trust_anchor must be SECURITY DEFINER (pgattest_admin cannot write the table)';
    END IF;
END
$verify$;

ROLLBACK;
