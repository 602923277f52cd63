-- Deploy pgattest:trustverdict/delete to pg
-- requires: roles schemas core/require_tenant trustverdict/verdicts trustverdict/verdict_counts
-- requires: _pgattest/lock_ledger _pgattest/append_ledger_entry verdict/ledger_entries
-- A deletion is a tombstone: the verdict is no longer returned, the row stays with when
-- and why, and the ledger records it.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION trustverdict.delete(content_id text, reason text)
RETURNS TABLE (deleted_at timestamptz, ledger_seq bigint)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    v trustverdict.verdicts;
    entry verdict.ledger_entries;
BEGIN
    IF content_id IS NULL OR reason IS NULL THEN
        RAISE EXCEPTION '% is NULL', CASE WHEN content_id IS NULL THEN 'content_id' ELSE 'reason' END
            USING ERRCODE = '22004', HINT = 'Name the verdict and say why it is deleted.';
    END IF;
    IF length(btrim(reason)) = 0 OR length(reason) > 1024 THEN
        RAISE EXCEPTION 'reason must be 1 to 1024 characters, got %', length(reason)
            USING ERRCODE = '22023', HINT = 'Say briefly why the verdict is deleted.';
    END IF;
    PERFORM _pgattest.lock_ledger(tenant);
    SELECT * INTO v FROM trustverdict.verdicts t WHERE t.tenant_id = tenant AND t.content_id = delete.content_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no trust verdict % for tenant %', quote_literal(left(content_id, 80)), tenant
            USING ERRCODE = '22023', HINT = 'Pass a content id trustverdict.store returned.';
    END IF;
    IF v.deleted_at IS NOT NULL THEN
        RAISE EXCEPTION 'trust verdict % was deleted already, at %', v.content_id, v.deleted_at
            USING ERRCODE = '55000', HINT = 'A deletion is recorded once.';
    END IF;
    entry := _pgattest.append_ledger_entry('trust_verdict_deleted', v.subject_digest, v.decision,
                                           left('trust verdict deleted: ' || reason, 4096), v.policy_digest,
                                           '{}', '{}', '{}', '{}', ARRAY[v.content_id]);
    UPDATE trustverdict.verdicts t SET deleted_at = now(), deletion_reason = reason
     WHERE t.tenant_id = tenant AND t.id = v.id;
    IF v.superseded_at IS NULL THEN
        UPDATE trustverdict.verdict_counts c SET verdicts = c.verdicts - 1
         WHERE c.tenant_id = tenant AND c.issuer = v.issuer AND c.decision = v.decision
           AND c.score_bucket = least(floor(v.score * 10), 9);
    END IF;
    RETURN QUERY SELECT now(), entry.seq;
END
$$;

COMMENT ON FUNCTION trustverdict.delete(text, text) IS
    'Deletes the current tenant''s trust verdict content_id with a reason (1 to 1024 characters), as a tombstone: trustverdict.get and trustverdict.query no longer return it, the row keeps deleted_at and deletion_reason, and a ledger entry (kind trust_verdict_deleted) records it; returns deleted_at and that entry''s seq. The verdict it superseded stays superseded. For pgattest_app. Raises 42501 without a tenant, 22004 for NULL, 22023 for an unknown id or a bad reason, 55000 when deleted already.';
REVOKE ALL ON FUNCTION trustverdict.delete(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION trustverdict.delete(text, text) TO pgattest_app;

COMMIT;
