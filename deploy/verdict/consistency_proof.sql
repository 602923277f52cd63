-- Deploy pgattest:verdict/consistency_proof to pg
-- requires: roles schemas core/require_tenant verdict/ledger_entries _pgattest/ledger_consistency_proof
-- requires: _pgattest/ledger_tree_roots
-- The proof that an anchored (older) head is a prefix of a newer one, for an auditor.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION verdict.consistency_proof(old_size bigint, to_size bigint DEFAULT NULL)
RETURNS TABLE (new_size bigint, old_root bytea, new_root bytea, proof bytea[])
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    old_n bigint := old_size;
    new_n bigint := to_size;
    leaves bytea;
BEGIN
    IF old_n IS NULL THEN
        RAISE EXCEPTION 'old_size is NULL' USING ERRCODE = '22004', HINT = 'Pass the anchored checkpoint''s size.';
    END IF;
    IF new_n IS NULL THEN
        SELECT e.seq INTO new_n FROM verdict.ledger_entries e WHERE e.tenant_id = tenant ORDER BY e.seq DESC LIMIT 1;
    END IF;
    IF old_n < 1 OR new_n IS NULL OR old_n > new_n THEN
        RAISE EXCEPTION 'no consistency proof from size % to size %', old_n, coalesce(new_n, 0)
            USING ERRCODE = '22023', HINT = 'Sizes run from 1 to the ledger''s size, old_size <= new_size.';
    END IF;
    SELECT string_agg(e.entry_hash, ''::bytea ORDER BY e.seq) INTO leaves
      FROM verdict.ledger_entries e WHERE e.tenant_id = tenant AND e.seq <= new_n;
    IF coalesce(octet_length(leaves), 0) / 32 <> new_n THEN
        RAISE EXCEPTION 'the ledger does not hold % entries', new_n
            USING ERRCODE = '22023', HINT = 'Ask for a size the ledger has reached; verdict.verify reports missing entries.';
    END IF;
    new_size := new_n;
    SELECT (array_agg(r.root_hash) FILTER (WHERE r.tree_size = old_n))[1],
           (array_agg(r.root_hash) FILTER (WHERE r.tree_size = new_n))[1]
      INTO old_root, new_root
      FROM _pgattest.ledger_tree_roots(leaves, ARRAY[old_n, new_n]) r;
    proof := _pgattest.ledger_consistency_proof(leaves, old_n, new_n);
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION verdict.consistency_proof(bigint, bigint) IS
    'The RFC 9162 consistency proof from the current tenant''s ledger of old_size entries to the ledger of to_size entries (default: all), with new_size and both roots. An auditor holding an anchored checkpoint of old_size checks it with proofchain.verify_consistency(old_size, new_size, <the checkpoint''s root>, new_root, proof). For pgattest_app and pgattest_admin. Raises 42501 without a tenant, 22004 for NULL, 22023 for sizes the ledger does not hold or old_size > new_size.';
REVOKE ALL ON FUNCTION verdict.consistency_proof(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.consistency_proof(bigint, bigint) TO pgattest_app, pgattest_admin;

COMMIT;
