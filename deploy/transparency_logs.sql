-- Deploy pgattest:transparency_logs to pg
-- requires: tenant_tables tlog_verify
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

CREATE FUNCTION _pgattest.der_to_pem(der bytea)
RETURNS text
LANGUAGE sql
IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT E'-----BEGIN PUBLIC KEY-----\n'
        || rtrim(regexp_replace(translate(encode(der, 'base64'), E'\n', ''), '(.{64})', E'\\1\n', 'g'), E'\n')
        || E'\n-----END PUBLIC KEY-----\n'
$$;

COMMENT ON FUNCTION _pgattest.der_to_pem(bytea) IS 'PEM text (64-character lines) of a DER SubjectPublicKeyInfo.';
REVOKE ALL ON FUNCTION _pgattest.der_to_pem(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION _pgattest.der_to_pem(bytea) TO pgattest_system;

-- Sigstore trusted_root.json form of one log, as proofchain.verify_tlog_entry expects.
CREATE FUNCTION attestor.trusted_root(log_id text)
RETURNS jsonb
LANGUAGE sql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT jsonb_build_object(
        'mediaType', 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
        'tlogs', coalesce(jsonb_agg(jsonb_build_object(
            'baseUrl', l.base_url,
            'checkpointKeyName', l.key_name,
            'hashAlgorithm', 'SHA2_256',
            'publicKey', jsonb_build_object(
                'rawBytes', translate(encode(l.public_key, 'base64'), E'\n', ''),
                'keyDetails', l.key_details,
                'validFor', jsonb_strip_nulls(jsonb_build_object(
                    'start', CASE WHEN l.valid_from > '-infinity' THEN to_char(l.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') ELSE '1970-01-01T00:00:00Z' END,
                    'end', to_char(l.valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))),
            'logId', jsonb_build_object('keyId', translate(encode(decode(l.log_id, 'hex'), 'base64'), E'\n', '')))), '[]'::jsonb))
      FROM attestor.transparency_logs l
     WHERE l.log_id = trusted_root.log_id AND l.split_view_at IS NULL
$$;

COMMENT ON FUNCTION attestor.trusted_root(text) IS
    'The registered log as a Sigstore trusted_root.json ({"tlogs": [...]}) for proofchain.verify_tlog_entry, with the checkpoint key name stated (checkpointKeyName) rather than implied by the URL; empty tlogs when the log is unknown or has a recorded split view, so nothing verifies against it. An inactive log still vouches for the entries it already holds.';

CREATE FUNCTION attestor.register_transparency_log(
    api_version text, base_url text, public_key_pem text, key_name text DEFAULT NULL,
    tree_id bigint DEFAULT NULL, global_index_offset bigint DEFAULT 0,
    valid_from timestamptz DEFAULT '-infinity', valid_until timestamptz DEFAULT NULL,
    is_default boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k record;
    name text := coalesce(key_name, substring(base_url FROM '^https?://([^/:]+)'));
BEGIN
    IF api_version IS NULL OR api_version NOT IN ('rekor_v1', 'rekor_v2') THEN
        RAISE EXCEPTION 'invalid api_version %', coalesce(quote_literal(api_version), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use ''rekor_v1'' or ''rekor_v2''.';
    END IF;
    IF base_url IS NULL OR base_url !~ '^https?://[^/\s]+(/\S*)?$' THEN
        RAISE EXCEPTION 'invalid base_url %', coalesce(quote_literal(base_url), 'NULL')
            USING ERRCODE = '22023', HINT = 'Give the log''s URL, e.g. https://rekor.sigstore.dev.';
    END IF;
    SELECT * INTO k FROM _pgattest.log_key(api_version, name, public_key_pem);
    IF is_default THEN
        UPDATE attestor.transparency_logs SET is_default = false WHERE transparency_logs.is_default;
    END IF;
    INSERT INTO attestor.transparency_logs AS l
           (log_id, api_version, base_url, key_name, public_key, key_details, tree_id,
            global_index_offset, valid_from, valid_until, is_default)
    VALUES (k.log_id, api_version, rtrim(base_url, '/'), name, k.der, k.key_details, tree_id,
            global_index_offset, valid_from, valid_until, is_default)
    ON CONFLICT ON CONSTRAINT transparency_logs_pkey DO UPDATE
       SET base_url = EXCLUDED.base_url, tree_id = EXCLUDED.tree_id,
           global_index_offset = EXCLUDED.global_index_offset, valid_from = EXCLUDED.valid_from,
           valid_until = EXCLUDED.valid_until, is_default = EXCLUDED.is_default, active = true;
    RETURN k.log_id;
END
$$;

COMMENT ON FUNCTION attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean) IS
    'Registers (or updates) a transparency log from its public key and returns its log id. For pgattest_admin. key_name defaults to the host of base_url. Raises 22023 for an unknown api_version, a bad URL, or a key that is not ECDSA P-256 (Rekor v1) or Ed25519 (Rekor v2); 22P02 for an undecodable PEM.';

REVOKE ALL ON FUNCTION attestor.trusted_root(text),
    attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.trusted_root(text) TO pgattest_app, pgattest_worker, pgattest_admin;
GRANT EXECUTE ON FUNCTION attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean)
    TO pgattest_admin;

COMMIT;
