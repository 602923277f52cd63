-- Deploy pgattest:_pgattest/bundle_entry to pg
-- requires: roles schemas proofchain/rekor_entries
-- The stored entry in the Sigstore bundle form proofchain.verify_tlog_entry reads, so a
-- stored row is re-verified by the very code that verified it on the way in.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.bundle_entry(e proofchain.rekor_entries, note text)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'logIndex', coalesce(e.log_index, e.shard_log_index)::text,
        'logId', jsonb_build_object('keyId', translate(encode(decode(e.log_id, 'hex'), 'base64'), E'\n', '')),
        'kindVersion', jsonb_build_object('kind', e.kind, 'version', e.kind_version),
        'integratedTime', extract(epoch FROM e.integrated_time)::bigint::text,
        'inclusionPromise', CASE WHEN e.signed_entry_timestamp IS NOT NULL THEN jsonb_build_object(
            'signedEntryTimestamp', translate(encode(e.signed_entry_timestamp, 'base64'), E'\n', '')) END,
        'inclusionProof', jsonb_build_object(
            'logIndex', e.shard_log_index::text,
            'rootHash', translate(encode(e.root_hash, 'base64'), E'\n', ''),
            'treeSize', e.tree_size::text,
            'hashes', (SELECT coalesce(jsonb_agg(translate(encode(h, 'base64'), E'\n', '') ORDER BY n), '[]')
                         FROM unnest(e.inclusion_hashes) WITH ORDINALITY AS u(h, n)),
            'checkpoint', jsonb_build_object('envelope', note)),
        'canonicalizedBody', translate(encode(e.canonicalized_body, 'base64'), E'\n', '')))
$$;

COMMENT ON FUNCTION _pgattest.bundle_entry(proofchain.rekor_entries, text) IS
    'A stored Rekor entry with the note of its checkpoint, as the tlogEntries item of a Sigstore bundle (protobuf JSON: base64 bytes, int64 as strings) that proofchain.verify_tlog_entry verifies.';
REVOKE ALL ON FUNCTION _pgattest.bundle_entry(proofchain.rekor_entries, text) FROM PUBLIC;

COMMIT;
