-- Deploy pgattest:verdict/checkpoint to pg
-- requires: roles schemas core/require_tenant verdict/ledger_entries _pgattest/ledger_tree_roots
-- The tenant's ledger head as a C2SP checkpoint body, and the in-toto statement the
-- tenant signs to anchor it (the database holds no signing key): its subject is the
-- checkpoint (name: the origin, digest: SHA-256 of the body), its predicate type ours,
-- its predicate the body. Submitted through attestor.submit_envelope, it is recorded as
-- an anchor when its Rekor entry is stored (_pgattest.record_ledger_anchors).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION verdict.checkpoint()
RETURNS TABLE (origin text, tree_size bigint, root_hash bytea, checkpoint text, statement jsonb)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    leaves bytea;
BEGIN
    SELECT coalesce(string_agg(e.entry_hash, ''::bytea ORDER BY e.seq), ''::bytea) INTO leaves
      FROM verdict.ledger_entries e WHERE e.tenant_id = tenant;
    origin := 'pgattest/verdict-ledger/' || tenant;
    tree_size := octet_length(leaves) / 32;
    SELECT r.root_hash INTO root_hash FROM _pgattest.ledger_tree_roots(leaves, ARRAY[tree_size]) r;
    checkpoint := format(E'%s\n%s\n%s\n', origin, tree_size, encode(root_hash, 'base64'));
    statement := jsonb_build_object(
        '_type', 'https://in-toto.io/Statement/v1',
        'subject', jsonb_build_array(jsonb_build_object(
            'name', origin, 'digest', jsonb_build_object('sha256', encode(sha256(convert_to(checkpoint, 'UTF8')), 'hex')))),
        'predicateType', 'https://pgattest.dev/verdict-ledger-checkpoint/v1',
        'predicate', jsonb_build_object('checkpoint', checkpoint));
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION verdict.checkpoint() IS
    'The current tenant''s verdict ledger head: origin (pgattest/verdict-ledger/<tenant>), tree_size (entries), root_hash (RFC 9162 root over the entry hashes; SHA-256 of nothing when empty), checkpoint (the C2SP checkpoint body: origin, size and base64 root, one per line) and statement, the in-toto statement to anchor it: subject {name: origin, digest: {sha256: hex SHA-256 of the body}}, predicateType https://pgattest.dev/verdict-ledger-checkpoint/v1, predicate {checkpoint: body}. The tenant signs the statement (DSSE, application/vnd.in-toto+json) with a trust anchor allowed for that predicate type and submits it with attestor.submit_envelope; once its Rekor entry is stored the anchor is recorded in verdict.anchors. For pgattest_app and pgattest_admin. Raises 42501 without a tenant.';
REVOKE ALL ON FUNCTION verdict.checkpoint() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.checkpoint() TO pgattest_app, pgattest_admin;

COMMIT;
