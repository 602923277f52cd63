-- Deploy pgattest:verdict/append to pg
-- requires: roles schemas verdict/ledger_entries _pgattest/append_ledger_entry
-- A tenant's decision about a subject, appended to its verdict ledger.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION verdict.append(
    subject_digest text, decision text, reason text, policy_digest text DEFAULT NULL,
    rekor_entry_ids uuid[] DEFAULT '{}', spine_ids uuid[] DEFAULT '{}', envelope_ids uuid[] DEFAULT '{}',
    vex_content_ids text[] DEFAULT '{}', trust_verdict_ids text[] DEFAULT '{}')
RETURNS verdict.ledger_entries
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT * FROM _pgattest.append_ledger_entry('decision', subject_digest, decision, reason, policy_digest,
                                                rekor_entry_ids, spine_ids, envelope_ids, vex_content_ids, trust_verdict_ids)
$$;

COMMENT ON FUNCTION verdict.append(text, text, text, text, uuid[], uuid[], uuid[], text[], text[]) IS
    'Appends a decision (pass, warn, fail) about subject_digest (sha256:<hex>) to the current tenant''s verdict ledger, with its reason (at most 4096 characters), the policy digest and the proofs it rests on (the tenant''s Rekor entry ids, spine ids, envelope ids; VEX and trust verdict content ids; at most 256 of each), and returns the entry (seq, entry_hash, prev_hash, recorded_at, ...). Concurrent appenders of one tenant are serialized until commit (a transaction-scoped lock, safe behind transaction pooling) and form one chain; other tenants are not blocked. For pgattest_app. Raises 42501 without a tenant, 22004 for a NULL argument or element, 22023 for a malformed digest or decision, 54000 over the limits, 23503 for a reference the tenant does not hold, 40001 when a REPEATABLE READ transaction''s snapshot missed a concurrent append (retry).';
REVOKE ALL ON FUNCTION verdict.append(text, text, text, text, uuid[], uuid[], uuid[], text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.append(text, text, text, text, uuid[], uuid[], uuid[], text[], text[]) TO pgattest_app;

COMMIT;
