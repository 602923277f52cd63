-- Deploy pgattest:attestor/transparency_logs to pg
-- requires: roles schemas _pgattest/touch_updated_at
-- Transparency logs are shared by all tenants (global table, on the catalog tests'
-- allow-list): their keys and checkpoints are public facts, not tenant data.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE attestor.transparency_logs (
    log_id              text        PRIMARY KEY CHECK (log_id ~ '^[0-9a-f]{64}$'),
    api_version         text        NOT NULL CHECK (api_version IN ('rekor_v1', 'rekor_v2')),
    base_url            text        NOT NULL CHECK (base_url ~ '^https?://[^/\s]+(/\S*)?$'),
    key_name            text        NOT NULL CHECK (key_name ~ '^[^\s+]+$'),
    public_key          bytea       NOT NULL,
    key_details         text        NOT NULL CHECK (key_details IN ('PKIX_ECDSA_P256_SHA_256', 'PKIX_ED25519')),
    tree_id             bigint,
    global_index_offset bigint      NOT NULL DEFAULT 0 CHECK (global_index_offset >= 0),
    valid_from          timestamptz NOT NULL DEFAULT '-infinity',
    valid_until         timestamptz,
    active              boolean     NOT NULL DEFAULT true,
    is_default          boolean     NOT NULL DEFAULT false,
    split_view_at       timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (valid_until IS NULL OR valid_until > valid_from)
);
CREATE UNIQUE INDEX transparency_logs_one_default ON attestor.transparency_logs (is_default) WHERE is_default;
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON attestor.transparency_logs
    FOR EACH ROW EXECUTE FUNCTION _pgattest.touch_updated_at();

COMMENT ON TABLE attestor.transparency_logs IS
    'Transparency logs pgattest submits to and trusts (global, managed by pgattest_admin through attestor.register_transparency_log). log_id is the hex log id as Sigstore computes it: SHA-256 of the DER public key for Rekor v1, the signed-note key hash of key_name for Rekor v2.';
COMMENT ON COLUMN attestor.transparency_logs.key_name IS 'Name on the log''s checkpoint signature lines: the host for Rekor v1, the origin for Rekor v2.';
COMMENT ON COLUMN attestor.transparency_logs.public_key IS 'DER SubjectPublicKeyInfo of the log key (ECDSA P-256 for Rekor v1, Ed25519 for Rekor v2).';
COMMENT ON COLUMN attestor.transparency_logs.tree_id IS 'Shard tree id (Rekor v1): the 16-hex prefix of 80-hex entry ids. global_index_offset: the shard''s first global log index.';
COMMENT ON COLUMN attestor.transparency_logs.split_view_at IS 'Set when two checkpoints with different roots for one size were seen: the log is no longer trusted until an operator investigates.';
COMMENT ON COLUMN attestor.transparency_logs.is_default IS 'The log attestor.submit_envelope uses when no log is named (at most one).';

GRANT SELECT ON attestor.transparency_logs TO pgattest_app, pgattest_worker, pgattest_admin;

-- The cross-tenant queue functions (claim, completion) run as pgattest_system, which owns
-- no table: it gets exactly the privileges they use, here with the table, since more
-- than one function's change relies on them.
GRANT SELECT ON attestor.transparency_logs TO pgattest_system;

COMMIT;
