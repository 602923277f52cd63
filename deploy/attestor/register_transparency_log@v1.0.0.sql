-- Deploy pgattest:attestor/register_transparency_log to pg
-- requires: roles schemas attestor/transparency_logs _pgattest/log_key
-- The only way a log gets registered: the key decides the log id (_pgattest.log_key), so
-- an operator cannot register a key under another log's id. Re-registering the same key
-- updates the URL, shard and validity window and makes the log active again.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION attestor.register_transparency_log(
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
REVOKE ALL ON FUNCTION attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean) TO pgattest_admin;

COMMIT;
