-- Deploy pgattest:attestor/register_transparency_log to pg
-- requires: attestor/register_transparency_log@v1.0.0 attestor/transparency_log_events
-- requires: roles schemas attestor/transparency_logs _pgattest/log_key
-- The only way a log gets registered: the key decides the log id (_pgattest.log_key), so
-- an operator cannot register a key under another log's id. Registering a key again with
-- other parameters updates them (key name, URL, shard, validity window, default, and
-- makes the log active), never silently: the changes are recorded in
-- attestor.transparency_log_events and reported in a NOTICE. The same parameters again
-- change nothing and record nothing.

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
    url text := rtrim(base_url, '/');
    old_row attestor.transparency_logs;
    now_row jsonb;
    changes jsonb;
    actor text := coalesce(nullif(current_setting('app.actor', true), ''), session_user);
BEGIN
    IF api_version IS NULL OR api_version NOT IN ('rekor_v1', 'rekor_v2') THEN
        RAISE EXCEPTION 'invalid api_version %', coalesce(quote_literal(left(api_version, 80)), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use ''rekor_v1'' or ''rekor_v2''.';
    END IF;
    IF base_url IS NULL OR base_url !~ '^https?://[^/\s]+(/\S*)?$' THEN
        RAISE EXCEPTION 'invalid base_url %', coalesce(quote_literal(left(base_url, 80)), 'NULL')
            USING ERRCODE = '22023', HINT = 'Give the log''s URL, e.g. https://rekor.sigstore.dev.';
    END IF;
    IF global_index_offset IS NULL OR is_default IS NULL OR valid_from IS NULL THEN
        RAISE EXCEPTION 'global_index_offset, valid_from and is_default must not be NULL'
            USING ERRCODE = '22004', HINT = 'Leave them out for their defaults.';
    END IF;
    IF valid_until IS NOT NULL AND valid_until <= valid_from THEN
        RAISE EXCEPTION 'valid_until % is not after valid_from %', valid_until, valid_from
            USING ERRCODE = '22023', HINT = 'The validity window is [valid_from, valid_until], both ends included.';
    END IF;
    SELECT * INTO k FROM _pgattest.log_key(api_version, name, public_key_pem);
    SELECT * INTO old_row FROM attestor.transparency_logs l WHERE l.log_id = k.log_id FOR UPDATE;
    IF is_default THEN
        UPDATE attestor.transparency_logs l SET is_default = false WHERE l.is_default AND l.log_id <> k.log_id;
    END IF;
    IF old_row.log_id IS NULL THEN
        INSERT INTO attestor.transparency_logs
               (log_id, api_version, base_url, key_name, public_key, key_details, tree_id,
                global_index_offset, valid_from, valid_until, is_default)
        VALUES (k.log_id, api_version, url, name, k.der, k.key_details, tree_id,
                global_index_offset, valid_from, valid_until, is_default);
        INSERT INTO attestor.transparency_log_events (log_id, action, actor, changes)
        VALUES (k.log_id, 'register', actor,
                jsonb_build_object('api_version', api_version, 'base_url', url, 'key_name', name, 'tree_id', tree_id,
                                   'global_index_offset', global_index_offset, 'valid_from', valid_from,
                                   'valid_until', valid_until, 'is_default', is_default));
        RETURN k.log_id;
    END IF;
    now_row := jsonb_build_object('base_url', url, 'key_name', name, 'tree_id', tree_id,
                                  'global_index_offset', global_index_offset, 'valid_from', valid_from,
                                  'valid_until', valid_until, 'is_default', is_default, 'active', true);
    SELECT coalesce(jsonb_object_agg(n.key, jsonb_build_object('from', to_jsonb(old_row) -> n.key, 'to', n.value)), '{}')
      INTO changes
      FROM jsonb_each(now_row) AS n
     WHERE (to_jsonb(old_row) -> n.key) IS DISTINCT FROM n.value;
    IF changes = '{}' THEN
        RETURN k.log_id;  -- registered exactly so already
    END IF;
    UPDATE attestor.transparency_logs l
       SET base_url = url, key_name = name, tree_id = register_transparency_log.tree_id,
           global_index_offset = register_transparency_log.global_index_offset,
           valid_from = register_transparency_log.valid_from, valid_until = register_transparency_log.valid_until,
           is_default = register_transparency_log.is_default, active = true
     WHERE l.log_id = k.log_id;
    INSERT INTO attestor.transparency_log_events (log_id, action, actor, changes, reason)
    VALUES (k.log_id, 'update', actor, changes, 'registered again with other parameters');
    RAISE NOTICE 'transparency log % was registered already: changed %', k.log_id,
                 (SELECT string_agg(c, ', ' ORDER BY c) FROM jsonb_object_keys(changes) AS c)
        USING HINT = 'attestor.update_transparency_log changes single parameters; attestor.transparency_log_events keeps every change.';
    RETURN k.log_id;
END
$$;

COMMENT ON FUNCTION attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean) IS
    'Registers a transparency log from its public key and returns its log id. For pgattest_admin. key_name defaults to the host of base_url (for Rekor v2 it is part of the log id; a Rekor v1 key hint does not cover it). The validity window [valid_from, valid_until] includes both ends. Registering the same key again with other parameters updates them all and makes the log active, records the changes in attestor.transparency_log_events and reports them in a NOTICE; the same parameters change nothing. Raises 22023 for an unknown api_version, a bad URL, a window that ends before it starts, or a key that is not ECDSA P-256 (Rekor v1) or Ed25519 (Rekor v2); 22004 for a NULL default; 22P02 for an undecodable PEM.';
REVOKE ALL ON FUNCTION attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean) TO pgattest_admin;

COMMIT;
