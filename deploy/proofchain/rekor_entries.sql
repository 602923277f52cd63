-- Deploy pgattest:proofchain/rekor_entries to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at proofchain/dsse_envelopes attestor/rekor_checkpoints
-- A stored entry names its log and the checkpoint its proof was verified against. One
-- composite key (log_id, checkpoint_id) says both: the checkpoint exists and belongs to the
-- entry's log (whose own key on rekor_checkpoints.log_id makes the log exist). Two keys
-- checked apart would cost a lookup and a row lock each per stored entry, on the
-- completion's hot path, and neither would say the checkpoint is the log's.
-- The trigger linking VEX observations to new entries is created by
-- _pgattest.link_proven_observations' change (it needs the VEX tables).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE proofchain.rekor_entries (
    id                     uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id              text        NOT NULL REFERENCES core.tenants,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    envelope_id            uuid        NOT NULL,
    log_id                 text        NOT NULL,
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
    checkpoint_id          bigint      NOT NULL,
    signed_entry_timestamp bytea,
    verified_at            timestamptz NOT NULL,
    -- Re-verification metadata (the seeds' V20260117__vex_rekor_linkage).
    verifier_version       text,
    verification_error     text,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, log_id, uuid),
    FOREIGN KEY (tenant_id, envelope_id) REFERENCES proofchain.dsse_envelopes (tenant_id, id),
    CONSTRAINT rekor_entries_checkpoint_of_log FOREIGN KEY (log_id, checkpoint_id)
        REFERENCES attestor.rekor_checkpoints (log_id, id)
);
SELECT _pgattest.enable_tenancy('proofchain.rekor_entries');
CREATE INDEX rekor_entries_log_index ON proofchain.rekor_entries (tenant_id, log_id, log_index);
CREATE INDEX rekor_entries_envelope ON proofchain.rekor_entries (tenant_id, envelope_id);

COMMENT ON TABLE proofchain.rekor_entries IS
    'Rekor transparency-log entries recording a tenant''s envelopes, written by attestor.complete_submission only after the entry verified: leaf hash of the canonicalized body, inclusion proof against a checkpoint signed by the log key (stored in attestor.rekor_checkpoints), and the signed entry timestamp for Rekor v1. proofchain.verify_stored_entry re-verifies a row offline.';
COMMENT ON COLUMN proofchain.rekor_entries.uuid IS 'Rekor entry UUID: hex of the leaf hash, SHA-256(0x00 || canonicalized_body).';
COMMENT ON COLUMN proofchain.rekor_entries.log_index IS 'Global log index (across shards; NULL where the log gives none); shard_log_index is the index within the tree the inclusion proof is for.';
COMMENT ON COLUMN proofchain.rekor_entries.canonicalized_body IS 'The entry body bytes exactly as the log hashed them (never re-serialized).';
COMMENT ON COLUMN proofchain.rekor_entries.verifier_version IS 'Version of the PL/Python verification library (_pgattest.pylib_version()) that last verified the entry; verification_error says why the last re-verification failed (NULL when it passed).';
COMMENT ON CONSTRAINT rekor_entries_checkpoint_of_log ON proofchain.rekor_entries IS
    'The checkpoint an entry''s inclusion proof was verified against is a stored checkpoint of the entry''s own log (and so the log is registered).';

GRANT SELECT ON proofchain.rekor_entries TO pgattest_app, pgattest_admin;

-- The cross-tenant queue functions (claim, completion) run as pgattest_system, which owns
-- no table: it gets exactly the privileges they use, here with the table, since more
-- than one function's change relies on them.
GRANT SELECT, INSERT ON proofchain.rekor_entries TO pgattest_system;

COMMIT;
