-- Deploy pgattest:verdict/verify to pg
-- requires: roles schemas core/require_tenant verdict/ledger_entries verdict/anchors _pgattest/ledger_leaf
-- requires: _pgattest/ledger_tree_roots proofchain/dsse_envelopes
-- Verification of a tenant's ledger, set-based: every entry of the range is checked on
-- its own against its predecessor (a window over one index scan, no row-by-row walk in
-- plpgsql): its bytes hash to its entry_hash (an edited byte in any column), its
-- predecessor exists (a deleted entry) and its prev_hash is that predecessor's hash (a
-- reordered or replaced entry). A rewritten middle with a recomputed suffix and a
-- truncated tail leave a valid chain: they are found against the anchors, whose roots
-- are recomputed over the stored hashes in one pass (_pgattest.ledger_tree_roots), and
-- each anchor's checkpoint must be the one its logged, signed statement names.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION verdict.verify(from_seq bigint DEFAULT NULL, to_seq bigint DEFAULT NULL)
RETURNS TABLE (valid boolean, checked_from bigint, checked_to bigint, entries_checked bigint, anchors_checked integer,
               broken_seq bigint, problem text, detail text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    zero CONSTANT bytea := '\x0000000000000000000000000000000000000000000000000000000000000000';
    head bigint;
    lo bigint;
    hi bigint;
    first_bad bigint;
    chain record;
    bad record;
    leaves bytea;
    n_leaves bigint;
    max_anchored bigint;
BEGIN
    IF from_seq < 1 OR to_seq < 1 OR to_seq < from_seq THEN
        RAISE EXCEPTION 'no range of entries from % to %', from_seq, to_seq
            USING ERRCODE = '22023', HINT = 'Sequence numbers start at 1; from_seq <= to_seq (NULL: from the last anchor, to the head).';
    END IF;
    SELECT e.seq INTO head FROM verdict.ledger_entries e WHERE e.tenant_id = tenant ORDER BY e.seq DESC LIMIT 1;
    SELECT max(a.tree_size), count(*) INTO max_anchored, anchors_checked FROM verdict.anchors a WHERE a.tenant_id = tenant;
    lo := coalesce(from_seq, max_anchored, 1);
    hi := coalesce(to_seq, head, 0);
    checked_from := lo;
    checked_to := hi;
    SELECT NULL::bigint AS seq, NULL::text AS problem, NULL::text AS detail INTO chain;
    bad := chain;

    -- Every link on its own; the entry before the range is read to check the first link.
    SELECT count(*) FILTER (WHERE c.seq >= lo),
           min(c.seq) FILTER (WHERE c.seq >= lo AND (c.computed <> c.entry_hash
                                                     OR c.seq > 1 AND c.before_seq IS DISTINCT FROM c.seq - 1
                                                     OR c.prev_hash <> CASE WHEN c.seq = 1 THEN zero ELSE c.before_hash END))
      INTO entries_checked, first_bad
      FROM (SELECT e.seq, e.entry_hash, e.prev_hash,
                   lag(e.seq) OVER w AS before_seq, lag(e.entry_hash) OVER w AS before_hash,
                   sha256('\x00'::bytea || _pgattest.ledger_leaf(
                       e.tenant_id, e.seq, e.id, e.kind, e.recorded_at, e.subject_digest, e.decision, e.reason,
                       e.policy_digest, e.rekor_entry_ids, e.spine_ids, e.envelope_ids, e.vex_content_ids,
                       e.trust_verdict_ids, e.prev_hash)) AS computed
              FROM verdict.ledger_entries e
             WHERE e.tenant_id = tenant AND e.seq BETWEEN lo - 1 AND hi
            WINDOW w AS (ORDER BY e.seq)) c;

    IF first_bad IS NOT NULL THEN
        -- The first bad entry and the entry stored before it (if any, from lo - 1 on).
        SELECT CASE WHEN c.seq > 1 AND c.before_seq IS DISTINCT FROM c.seq - 1
                    THEN coalesce(c.before_seq + 1, greatest(lo - 1, 1)) ELSE c.seq END AS seq,
               CASE WHEN c.seq > 1 AND c.before_seq IS DISTINCT FROM c.seq - 1 THEN 'missing'
                    WHEN c.computed <> c.entry_hash THEN 'altered'
                    WHEN c.seq = 1 THEN 'bad_genesis'
                    ELSE 'broken_link' END AS problem,
               CASE WHEN c.seq > 1 AND c.before_seq IS DISTINCT FROM c.seq - 1
                    THEN format('entries %s to %s are missing (deleted): entry %s follows entry %s',
                                coalesce(c.before_seq + 1, greatest(lo - 1, 1)), c.seq - 1, c.seq, coalesce(c.before_seq::text, 'none'))
                    WHEN c.computed <> c.entry_hash
                    THEN format('entry %s does not hash to its entry_hash (a column or the hash was edited)', c.seq)
                    WHEN c.seq = 1 THEN 'entry 1 does not start the chain (its prev_hash is not 32 zero bytes)'
                    ELSE format('entry %s does not name entry %s''s hash as its prev_hash (reordered or replaced)',
                                c.seq, c.seq - 1) END AS detail
          INTO chain
          FROM (SELECT e.seq, e.entry_hash, p.seq AS before_seq,
                       sha256('\x00'::bytea || _pgattest.ledger_leaf(
                           e.tenant_id, e.seq, e.id, e.kind, e.recorded_at, e.subject_digest, e.decision, e.reason,
                           e.policy_digest, e.rekor_entry_ids, e.spine_ids, e.envelope_ids, e.vex_content_ids,
                           e.trust_verdict_ids, e.prev_hash)) AS computed
                  FROM verdict.ledger_entries e
                  LEFT JOIN LATERAL (SELECT b.seq FROM verdict.ledger_entries b
                                      WHERE b.tenant_id = tenant AND b.seq < e.seq AND b.seq >= lo - 1
                                      ORDER BY b.seq DESC LIMIT 1) p ON true
                 WHERE e.tenant_id = tenant AND e.seq = first_bad) c;
    ELSIF to_seq IS NOT NULL AND coalesce(head, 0) < to_seq THEN
        SELECT coalesce(head, 0) + 1 AS seq, 'missing' AS problem,
               format('the ledger ends at entry %s, before entry %s', coalesce(head, 0), to_seq) AS detail INTO chain;
    END IF;

    -- Every anchor: its checkpoint is the one its signed statement names, the ledger still
    -- reaches its size, and the root over the stored hashes is the anchored root.
    IF anchors_checked > 0 THEN
        SELECT string_agg(e.entry_hash, ''::bytea ORDER BY e.seq) INTO leaves
          FROM verdict.ledger_entries e WHERE e.tenant_id = tenant AND e.seq <= max_anchored;
        n_leaves := coalesce(octet_length(leaves), 0) / 32;
        SELECT x.seq, x.problem, x.detail INTO bad
          FROM (SELECT a.tree_size AS seq, 'anchor_invalid' AS problem,
                       format('anchor %s (Rekor entry %s): its checkpoint is not the one its signed statement names',
                              a.id, a.rekor_entry_id) AS detail, 0 AS rank
                  FROM verdict.anchors a
                  LEFT JOIN proofchain.dsse_envelopes d ON d.tenant_id = a.tenant_id AND d.id = a.envelope_id
                 WHERE a.tenant_id = tenant
                   AND (d.statement #>> '{subject,0,digest,sha256}' IS DISTINCT FROM encode(sha256(convert_to(a.checkpoint, 'UTF8')), 'hex')
                        OR d.statement #>> '{predicate,checkpoint}' IS DISTINCT FROM a.checkpoint
                        OR a.checkpoint IS DISTINCT FROM format(E'pgattest/verdict-ledger/%s\n%s\n%s\n', tenant, a.tree_size,
                                                                 encode(a.root_hash, 'base64')))
                UNION ALL
                SELECT n_leaves + 1, 'truncated',
                       format('the ledger holds %s entries up to the anchored size %s (anchor %s): entries were removed',
                              n_leaves, a.tree_size, a.id), 1
                  FROM verdict.anchors a WHERE a.tenant_id = tenant AND a.tree_size > n_leaves
                UNION ALL
                SELECT a.tree_size, 'anchor_mismatch',
                       format('the root of the first %s entries is not the root anchored in Rekor entry %s: an entry at or before %s was rewritten',
                              a.tree_size, a.rekor_entry_id, a.tree_size), 2
                  FROM verdict.anchors a
                  JOIN _pgattest.ledger_tree_roots(coalesce(leaves, ''::bytea),
                                                   ARRAY(SELECT DISTINCT b.tree_size FROM verdict.anchors b
                                                          WHERE b.tenant_id = tenant AND b.tree_size <= n_leaves)) r
                    ON r.tree_size = a.tree_size
                 WHERE a.tenant_id = tenant AND r.root_hash <> a.root_hash) x
         ORDER BY x.seq, x.rank
         LIMIT 1;
    END IF;

    IF chain.seq IS NOT NULL AND (bad.seq IS NULL OR chain.seq <= bad.seq) THEN
        broken_seq := chain.seq; problem := chain.problem; detail := chain.detail;
    ELSIF bad.seq IS NOT NULL THEN
        broken_seq := bad.seq; problem := bad.problem; detail := bad.detail;
    END IF;
    valid := problem IS NULL;
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION verdict.verify(bigint, bigint) IS
    'Verifies the current tenant''s verdict ledger from from_seq to to_seq (NULL: from the last anchored entry; to the head) and against every anchor, set-based, and reports the first broken link: valid, the range, entries_checked, anchors_checked, and when not valid broken_seq, problem and detail. Problems: altered (an entry''s bytes do not hash to its entry_hash: any edited column or hash), missing (entries deleted: a gap, or the range ends early), broken_link (prev_hash is not the previous entry''s hash: reordered or replaced entries), bad_genesis, truncated (fewer entries than an anchored size), anchor_mismatch (the root over the first tree_size entries is not the anchored root: a rewritten middle with recomputed hashes, found at or before broken_seq), anchor_invalid (an anchor''s checkpoint is not the one its signed statement names). For pgattest_app and pgattest_admin. Raises 42501 without a tenant, 22023 for a bad range.';
REVOKE ALL ON FUNCTION verdict.verify(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.verify(bigint, bigint) TO pgattest_app, pgattest_admin;

COMMIT;
