-- Deploy pgattest:rekor_entries to pg
-- requires: rekor_checkpoints dsse_envelopes

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE proofchain.rekor_entries (
    id                     uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id              text        NOT NULL REFERENCES core.tenants,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    envelope_id            uuid        NOT NULL,
    log_id                 text        NOT NULL REFERENCES attestor.transparency_logs,
    -- Rekor identifiers: uuid is the leaf hash in hex; entry_id prefixes the shard's tree id.
    uuid                   text        NOT NULL CHECK (uuid ~ '^[0-9a-f]{64}$'),
    entry_id               text        CHECK (entry_id ~ '^[0-9a-f]{80}$' AND right(entry_id, 64) = uuid),
    log_index              bigint      CHECK (log_index >= 0),
    shard_log_index        bigint      NOT NULL CHECK (shard_log_index >= 0),
    integrated_time        timestamptz,
    kind                   text        NOT NULL,
    kind_version           text        NOT NULL,
    canonicalized_body     bytea       NOT NULL,
    leaf_hash              bytea       NOT NULL CHECK (length(leaf_hash) = 32 AND encode(leaf_hash, 'hex') = uuid),
    -- The inclusion proof as verified, against checkpoint_id.
    root_hash              bytea       NOT NULL CHECK (length(root_hash) = 32),
    tree_size              bigint      NOT NULL CHECK (tree_size > shard_log_index),
    inclusion_hashes       bytea[]     NOT NULL CHECK (cardinality(inclusion_hashes) <= 64),
    checkpoint_id          bigint      NOT NULL REFERENCES attestor.rekor_checkpoints,
    signed_entry_timestamp bytea,
    verified_at            timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, log_id, uuid),
    FOREIGN KEY (tenant_id, envelope_id) REFERENCES proofchain.dsse_envelopes (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('proofchain.rekor_entries');
CREATE INDEX rekor_entries_log_index ON proofchain.rekor_entries (tenant_id, log_id, log_index);
CREATE INDEX rekor_entries_envelope ON proofchain.rekor_entries (tenant_id, envelope_id);

COMMENT ON TABLE proofchain.rekor_entries IS
    'Rekor transparency-log entries recording a tenant''s envelopes, written by attestor.complete_submission only after the entry verified: leaf hash of the canonicalized body, inclusion proof against a checkpoint signed by the log key (stored in attestor.rekor_checkpoints), and the signed entry timestamp for Rekor v1. proofchain.verify_stored_entry re-verifies a row offline.';
COMMENT ON COLUMN proofchain.rekor_entries.uuid IS 'Rekor entry UUID: hex of the leaf hash, SHA-256(0x00 || canonicalized_body).';
COMMENT ON COLUMN proofchain.rekor_entries.log_index IS 'Global log index (across shards; NULL where the log gives none); shard_log_index is the index within the tree the inclusion proof is for.';
COMMENT ON COLUMN proofchain.rekor_entries.canonicalized_body IS 'The entry body bytes exactly as the log hashed them (never re-serialized).';

GRANT SELECT ON proofchain.rekor_entries TO pgattest_app, pgattest_admin;

-- The stored entry in the Sigstore bundle form proofchain.verify_tlog_entry reads.
CREATE FUNCTION _pgattest.bundle_entry(e proofchain.rekor_entries, note text)
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

CREATE FUNCTION proofchain.verify_stored_entry(rekor_entry_id uuid)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e proofchain.rekor_entries;
    note text;
    result jsonb;
BEGIN
    PERFORM core.require_tenant();
    SELECT * INTO e FROM proofchain.rekor_entries r WHERE r.id = rekor_entry_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no Rekor entry % for this tenant', rekor_entry_id
            USING ERRCODE = '22023', HINT = 'Check the id in proofchain.rekor_entries.';
    END IF;
    SELECT c.note INTO note FROM attestor.rekor_checkpoints c WHERE c.id = e.checkpoint_id;
    -- attestor.trusted_root leaves out a log with a recorded split view, and then
    -- nothing verifies; a log that is merely inactive still vouches for its old entries.
    result := proofchain.verify_tlog_entry(_pgattest.bundle_entry(e, note), attestor.trusted_root(e.log_id));
    RETURN result || jsonb_build_object('rekor_entry_id', e.id, 'uuid', e.uuid, 'checkpoint_id', e.checkpoint_id);
END
$$;

COMMENT ON FUNCTION proofchain.verify_stored_entry(uuid) IS
    'Re-verifies a stored Rekor entry of the current tenant from the database alone (offline): leaf hash of the stored canonicalized body, its inclusion proof, the stored checkpoint''s signature with the log''s registered key and that its size and root equal the proof''s, and the signed entry timestamp when present. Returns proofchain.verify_tlog_entry''s result ({"verified", "checks", "error", ...}) plus the entry and checkpoint ids. Raises 42501 without a tenant and 22023 for an unknown entry.';

REVOKE ALL ON FUNCTION _pgattest.bundle_entry(proofchain.rekor_entries, text), proofchain.verify_stored_entry(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.verify_stored_entry(uuid) TO pgattest_app, pgattest_admin;
GRANT EXECUTE ON FUNCTION _pgattest.bundle_entry(proofchain.rekor_entries, text) TO pgattest_system;
GRANT SELECT, INSERT ON proofchain.rekor_entries TO pgattest_system;
GRANT SELECT ON proofchain.dsse_envelopes TO pgattest_system;

COMMIT;
