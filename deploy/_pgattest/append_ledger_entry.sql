-- Deploy pgattest:_pgattest/append_ledger_entry to pg
-- requires: roles schemas core/require_tenant core/current_tenant verdict/ledger_entries _pgattest/ledger_leaf _pgattest/lock_ledger
-- requires: proofchain/rekor_entries proofchain/dsse_envelopes proofchain/spines
-- The one way into the verdict ledger (verdict.append, trustverdict.store and
-- trustverdict.delete call it). Appenders of one tenant are serialized by a
-- transaction-scoped advisory lock on the tenant (held to commit, released by it, so it
-- works behind a transaction-pooling PgBouncer); other tenants take other locks and never
-- wait. Under the lock the head is read, the new entry chained to it and inserted, so
-- concurrent appenders make one chain with a gapless sequence. The primary key
-- (tenant_id, seq) is the backstop: a second entry for one seq can never be stored.
-- A caller in REPEATABLE READ or SERIALIZABLE reads the head from its snapshot; when
-- another transaction appended since, its insert conflicts and it gets 40001 (retry).
--
-- It runs as pgattest_system (BYPASSRLS), with the tenant from core.require_tenant()
-- named in every statement: under row-level security each of its statements would call
-- core.current_tenant() again, which measured at more than the rest of an append
-- together (bench/ledger.py; three policy checks per append, inside the per-tenant lock,
-- so they cap every tenant's append rate). It reads and writes only the caller's tenant.

BEGIN;

-- No SET ROLE: the deploying superuser creates it and hands it to pgattest_system.

CREATE OR REPLACE FUNCTION _pgattest.append_ledger_entry(
    kind text, subject_digest text, decision text, reason text, policy_digest text,
    rekor_entry_ids uuid[], spine_ids uuid[], envelope_ids uuid[], vex_content_ids text[], trust_verdict_ids text[])
RETURNS verdict.ledger_entries
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    head record;
    missing text;
    entry verdict.ledger_entries;
BEGIN
    IF subject_digest IS NULL OR decision IS NULL OR reason IS NULL THEN
        RAISE EXCEPTION '% is NULL', CASE WHEN subject_digest IS NULL THEN 'subject_digest'
                                          WHEN decision IS NULL THEN 'decision' ELSE 'reason' END
            USING ERRCODE = '22004', HINT = 'A ledger entry needs a subject digest, a decision and a reason.';
    END IF;
    -- (length plus an unbounded class: cheaper than a '{64}' bound, see verdict/ledger_entries)
    IF length(subject_digest) <> 71 OR subject_digest !~ '^sha256:[0-9a-f]*$' THEN
        RAISE EXCEPTION 'subject_digest % is not sha256:<64 lower-case hex>', quote_literal(left(subject_digest, 80))
            USING ERRCODE = '22023', HINT = 'Name the subject by its digest, e.g. sha256:e3b0c442...';
    END IF;
    IF decision NOT IN ('pass', 'warn', 'fail') THEN
        RAISE EXCEPTION 'decision % is not pass, warn or fail', quote_literal(left(decision, 80))
            USING ERRCODE = '22023', HINT = 'Use pass, warn or fail.';
    END IF;
    IF length(policy_digest) <> 71 OR policy_digest !~ '^sha256:[0-9a-f]*$' THEN
        RAISE EXCEPTION 'policy_digest % is not sha256:<64 lower-case hex>', quote_literal(left(policy_digest, 80))
            USING ERRCODE = '22023', HINT = 'Name the policy by its digest, or pass NULL.';
    END IF;
    IF length(reason) > 4096 THEN
        RAISE EXCEPTION 'reason is % characters long, over the limit of 4096', length(reason)
            USING ERRCODE = '54000', HINT = 'Keep the reason short; reference long evidence by digest.';
    END IF;
    rekor_entry_ids := coalesce(rekor_entry_ids, '{}');
    spine_ids := coalesce(spine_ids, '{}');
    envelope_ids := coalesce(envelope_ids, '{}');
    vex_content_ids := coalesce(vex_content_ids, '{}');
    trust_verdict_ids := coalesce(trust_verdict_ids, '{}');
    IF greatest(cardinality(rekor_entry_ids), cardinality(spine_ids), cardinality(envelope_ids),
                cardinality(vex_content_ids), cardinality(trust_verdict_ids)) > 256 THEN
        RAISE EXCEPTION 'a proof reference list has more than 256 elements'
            USING ERRCODE = '54000', HINT = 'Reference at most 256 items of each kind per entry.';
    END IF;
    IF array_position(rekor_entry_ids, NULL) IS NOT NULL OR array_position(spine_ids, NULL) IS NOT NULL
       OR array_position(envelope_ids, NULL) IS NOT NULL OR array_position(vex_content_ids, NULL) IS NOT NULL
       OR array_position(trust_verdict_ids, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'a proof reference list has a NULL element'
            USING ERRCODE = '22004', HINT = 'Pass only ids, or an empty array.';
    END IF;
    SELECT min(v) INTO missing FROM unnest(vex_content_ids || trust_verdict_ids) AS v
     WHERE length(v) <> 71 OR v !~ '^sha256:[0-9a-f]*$';
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'content id % is not sha256:<64 lower-case hex>', quote_literal(left(missing, 80))
            USING ERRCODE = '22023', HINT = 'VEX and trust verdict ids are content ids (vex.verdict_id, trustverdict.store).';
    END IF;
    -- References name the tenant's own objects (checked only when there are any).
    IF cardinality(rekor_entry_ids) + cardinality(envelope_ids) + cardinality(spine_ids) > 0 THEN
    SELECT min(r.what || ' ' || r.ref) INTO missing
      FROM (SELECT 'rekor entry' AS what, x::text AS ref FROM unnest(rekor_entry_ids) x
             WHERE NOT EXISTS (SELECT FROM proofchain.rekor_entries e WHERE e.tenant_id = tenant AND e.id = x)
            UNION ALL
            SELECT 'envelope', x::text FROM unnest(envelope_ids) x
             WHERE NOT EXISTS (SELECT FROM proofchain.dsse_envelopes e WHERE e.tenant_id = tenant AND e.id = x)
            UNION ALL
            SELECT 'spine', x::text FROM unnest(spine_ids) x
             WHERE NOT EXISTS (SELECT FROM proofchain.spines s WHERE s.tenant_id = tenant AND s.id = x)) r;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION '% is not a % of tenant %', split_part(missing, ' ', 3), split_part(missing, ' ', 1) || ' '
                        || split_part(missing, ' ', 2), tenant
            USING ERRCODE = '23503', HINT = 'Reference only the tenant''s stored Rekor entries, envelopes and spines.';
    END IF;
    END IF;

    PERFORM _pgattest.lock_ledger(tenant);
    SELECT e.seq, e.entry_hash, e.recorded_at INTO head
      FROM verdict.ledger_entries e WHERE e.tenant_id = tenant ORDER BY e.seq DESC LIMIT 1;

    entry.tenant_id := tenant;
    entry.seq := coalesce(head.seq, 0) + 1;
    entry.id := gen_random_uuid();
    -- Never before the previous entry, whatever the clock does.
    entry.recorded_at := greatest(clock_timestamp(), head.recorded_at);
    entry.prev_hash := coalesce(head.entry_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
    entry.entry_hash := sha256('\x00'::bytea || _pgattest.ledger_leaf(
        tenant, entry.seq, entry.id, kind, entry.recorded_at, subject_digest, decision, reason, policy_digest,
        rekor_entry_ids, spine_ids, envelope_ids, vex_content_ids, trust_verdict_ids, entry.prev_hash));
    INSERT INTO verdict.ledger_entries AS e
           (id, tenant_id, seq, kind, subject_digest, decision, reason, policy_digest, rekor_entry_ids, spine_ids,
            envelope_ids, vex_content_ids, trust_verdict_ids, recorded_at, prev_hash, entry_hash)
    VALUES (entry.id, tenant, entry.seq, kind, subject_digest, decision, reason, policy_digest, rekor_entry_ids,
            spine_ids, envelope_ids, vex_content_ids, trust_verdict_ids, entry.recorded_at, entry.prev_hash, entry.entry_hash)
    ON CONFLICT (tenant_id, seq) DO NOTHING
    RETURNING e.* INTO entry;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'ledger entry % of tenant % was appended by a concurrent transaction', entry.seq, tenant
            USING ERRCODE = '40001',
                  HINT = 'This transaction read the ledger head from an older snapshot (REPEATABLE READ or SERIALIZABLE): retry it.';
    END IF;
    RETURN entry;
END
$$;

COMMENT ON FUNCTION _pgattest.append_ledger_entry(text, text, text, text, text, uuid[], uuid[], uuid[], text[], text[]) IS
    'Appends an entry of kind to the current tenant''s verdict ledger under the tenant''s transaction-scoped lock and returns it. Checks every argument (22004, 22023, 54000 over the limits, 23503 for a reference to no stored object of the tenant); 40001 when a REPEATABLE READ caller''s snapshot missed a concurrent append. Internal: verdict.append and the trustverdict functions call it.';
REVOKE ALL ON FUNCTION _pgattest.append_ledger_entry(text, text, text, text, text, uuid[], uuid[], uuid[], text[], text[]) FROM PUBLIC;
ALTER FUNCTION _pgattest.append_ledger_entry(text, text, text, text, text, uuid[], uuid[], uuid[], text[], text[]) OWNER TO pgattest_system;
-- Its callers (verdict.append, trustverdict.store and delete) run as pgattest_owner.
GRANT EXECUTE ON FUNCTION _pgattest.append_ledger_entry(text, text, text, text, text, uuid[], uuid[], uuid[], text[], text[]) TO pgattest_owner;
GRANT EXECUTE ON FUNCTION _pgattest.lock_ledger(text) TO pgattest_system;
GRANT EXECUTE ON FUNCTION core.require_tenant(), core.current_tenant() TO pgattest_system;
GRANT EXECUTE ON FUNCTION _pgattest.ledger_leaf(text, bigint, uuid, text, timestamptz, text, text, text, text, uuid[], uuid[], uuid[], text[], text[], bytea) TO pgattest_system;
GRANT SELECT, INSERT ON verdict.ledger_entries TO pgattest_system;
GRANT SELECT ON proofchain.spines TO pgattest_system;

COMMIT;
