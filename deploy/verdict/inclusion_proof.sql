-- Deploy pgattest:verdict/inclusion_proof to pg
-- requires: roles schemas core/require_tenant verdict/ledger_entries _pgattest/ledger_leaf
-- requires: _pgattest/ledger_inclusion_proof _pgattest/ledger_tree_roots
-- An entry's inclusion proof for an auditor who holds an anchored checkpoint: the
-- entry's canonical bytes (its leaf), its leaf hash and the audit path to the root of
-- the tree of tree_size entries (the checkpoint's size).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION verdict.inclusion_proof(seq bigint, at_size bigint DEFAULT NULL)
RETURNS TABLE (leaf_index bigint, tree_size bigint, leaf bytea, leaf_hash bytea, proof bytea[], root_hash bytea)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    size bigint := at_size;
    leaves bytea;
BEGIN
    IF seq IS NULL THEN
        RAISE EXCEPTION 'seq is NULL' USING ERRCODE = '22004', HINT = 'Pass the entry''s sequence number.';
    END IF;
    IF size IS NULL THEN
        SELECT e.seq INTO size FROM verdict.ledger_entries e WHERE e.tenant_id = tenant ORDER BY e.seq DESC LIMIT 1;
    END IF;
    IF seq < 1 OR size IS NULL OR seq > size THEN
        RAISE EXCEPTION 'no entry % in a ledger of % entries', seq, coalesce(size, 0)
            USING ERRCODE = '22023', HINT = 'Entries are numbered from 1 to the tree size (the checkpoint''s size).';
    END IF;
    SELECT string_agg(e.entry_hash, ''::bytea ORDER BY e.seq) INTO leaves
      FROM verdict.ledger_entries e WHERE e.tenant_id = tenant AND e.seq <= size;
    IF coalesce(octet_length(leaves), 0) / 32 <> size THEN
        RAISE EXCEPTION 'the ledger does not hold % entries', size
            USING ERRCODE = '22023', HINT = 'Ask for a size the ledger has reached (verdict.checkpoint); verdict.verify reports missing entries.';
    END IF;
    SELECT _pgattest.ledger_leaf(e.tenant_id, e.seq, e.id, e.kind, e.recorded_at, e.subject_digest, e.decision, e.reason,
                                 e.policy_digest, e.rekor_entry_ids, e.spine_ids, e.envelope_ids, e.vex_content_ids,
                                 e.trust_verdict_ids, e.prev_hash), e.entry_hash
      INTO leaf, leaf_hash
      FROM verdict.ledger_entries e WHERE e.tenant_id = tenant AND e.seq = inclusion_proof.seq;
    leaf_index := seq - 1;
    inclusion_proof.tree_size := size;
    proof := _pgattest.ledger_inclusion_proof(leaves, leaf_index, size);
    SELECT r.root_hash INTO root_hash FROM _pgattest.ledger_tree_roots(leaves, ARRAY[size]) r;
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION verdict.inclusion_proof(bigint, bigint) IS
    'The inclusion proof of the current tenant''s ledger entry seq in the tree of its first at_size entries (default: all; an anchored checkpoint''s size): leaf_index (seq - 1), tree_size, leaf (the entry''s canonical bytes, _pgattest.ledger_leaf), leaf_hash (SHA-256(0x00 || leaf), the entry_hash), proof (RFC 9162 audit path) and root_hash, the root it leads to. An auditor holding an anchored checkpoint of that size checks it with proofchain.verify_inclusion(leaf_hash, leaf_index, tree_size, proof, <the checkpoint''s root>). For pgattest_app and pgattest_admin. Raises 42501 without a tenant, 22004 for NULL, 22023 for an entry or size the ledger does not hold.';
REVOKE ALL ON FUNCTION verdict.inclusion_proof(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.inclusion_proof(bigint, bigint) TO pgattest_app, pgattest_admin;

COMMIT;
