-- Deploy pgattest:attestor/update_transparency_log to pg
-- requires: roles schemas attestor/transparency_logs attestor/transparency_log_events
-- An admin corrects or changes a registered log (a wrong key name, a moved URL, a
-- retired key's window) without a superuser UPDATE; every change is recorded with its
-- actor and reason. The key and so the log id never change: a new key is a new log.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION attestor.update_transparency_log(
    log_id text, base_url text DEFAULT NULL, key_name text DEFAULT NULL, valid_from timestamptz DEFAULT NULL,
    valid_until timestamptz DEFAULT NULL, active boolean DEFAULT NULL, is_default boolean DEFAULT NULL,
    tree_id bigint DEFAULT NULL, global_index_offset bigint DEFAULT NULL, reason text DEFAULT NULL)
RETURNS attestor.transparency_logs
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cur attestor.transparency_logs;
    nxt attestor.transparency_logs;
    changes jsonb;
    actor text := coalesce(nullif(current_setting('app.actor', true), ''), session_user);
BEGIN
    IF log_id IS NULL THEN
        RAISE EXCEPTION 'log_id is required' USING ERRCODE = '22004', HINT = 'Pass the id of a registered log.';
    END IF;
    SELECT * INTO cur FROM attestor.transparency_logs l WHERE l.log_id = update_transparency_log.log_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown transparency log %', left(log_id, 80)
            USING ERRCODE = '22023', HINT = 'Register it with attestor.register_transparency_log first.';
    END IF;
    IF base_url IS NOT NULL AND base_url !~ '^https?://[^/\s]+(/\S*)?$' THEN
        RAISE EXCEPTION 'invalid base_url %', quote_literal(left(base_url, 80))
            USING ERRCODE = '22023', HINT = 'Give the log''s URL, e.g. https://rekor.sigstore.dev.';
    END IF;
    IF key_name IS NOT NULL AND key_name !~ '^[^\s+]+$' THEN
        RAISE EXCEPTION 'invalid key_name %', quote_literal(left(key_name, 80))
            USING ERRCODE = '22023', HINT = 'A key name has no spaces and no ''+''.';
    END IF;
    IF key_name IS NOT NULL AND key_name <> cur.key_name AND cur.api_version = 'rekor_v2' THEN
        RAISE EXCEPTION 'the key name of Rekor v2 log % cannot change (% to %)', log_id, quote_literal(cur.key_name),
                        quote_literal(left(key_name, 80))
            USING ERRCODE = '22023',
                  HINT = 'A Rekor v2 log id is the C2SP key hash of its name and key: register the key under the right name as a log of its own.';
    END IF;
    IF tree_id IS NOT NULL AND tree_id < 0 OR global_index_offset IS NOT NULL AND global_index_offset < 0 THEN
        RAISE EXCEPTION 'tree_id and global_index_offset must not be negative'
            USING ERRCODE = '22023', HINT = 'They are the shard''s tree id and its first global log index.';
    END IF;
    nxt := cur;
    nxt.base_url := coalesce(rtrim(base_url, '/'), cur.base_url);
    nxt.key_name := coalesce(key_name, cur.key_name);
    nxt.valid_from := coalesce(valid_from, cur.valid_from);
    -- 'infinity' opens the window's end again (NULL leaves it as it is).
    nxt.valid_until := CASE WHEN valid_until = 'infinity' THEN NULL ELSE coalesce(valid_until, cur.valid_until) END;
    nxt.active := coalesce(active, cur.active);
    nxt.is_default := coalesce(is_default, cur.is_default);
    nxt.tree_id := coalesce(tree_id, cur.tree_id);
    nxt.global_index_offset := coalesce(global_index_offset, cur.global_index_offset);
    IF nxt.valid_until IS NOT NULL AND nxt.valid_until <= nxt.valid_from THEN
        RAISE EXCEPTION 'valid_until % is not after valid_from %', nxt.valid_until, nxt.valid_from
            USING ERRCODE = '22023', HINT = 'The validity window is [valid_from, valid_until], both ends included.';
    END IF;
    SELECT coalesce(jsonb_object_agg(n.key, jsonb_build_object('from', to_jsonb(cur) -> n.key, 'to', n.value)), '{}')
      INTO changes
      FROM jsonb_each(to_jsonb(nxt)) AS n
     WHERE (to_jsonb(cur) -> n.key) IS DISTINCT FROM n.value;
    IF changes = '{}' THEN
        RETURN cur;
    END IF;
    IF nxt.is_default AND NOT cur.is_default THEN
        UPDATE attestor.transparency_logs l SET is_default = false WHERE l.is_default;
    END IF;
    UPDATE attestor.transparency_logs l
       SET base_url = nxt.base_url, key_name = nxt.key_name, valid_from = nxt.valid_from, valid_until = nxt.valid_until,
           active = nxt.active, is_default = nxt.is_default, tree_id = nxt.tree_id,
           global_index_offset = nxt.global_index_offset
     WHERE l.log_id = cur.log_id
    RETURNING * INTO nxt;
    INSERT INTO attestor.transparency_log_events (log_id, action, actor, changes, reason)
    VALUES (cur.log_id, 'update', actor, changes, reason);
    RETURN nxt;
END
$$;

COMMENT ON FUNCTION attestor.update_transparency_log(text, text, text, timestamptz, timestamptz, boolean, boolean, bigint, bigint, text) IS
    'Changes a registered log''s base URL, key name (Rekor v1 only: a Rekor v2 name is part of its log id), validity window [valid_from, valid_until] (valid_until ''infinity'' opens it again), active and default flags, shard tree id and global index offset; a NULL argument leaves that column as it is. Records the changes ({column: {"from", "to"}}) with the actor and reason in attestor.transparency_log_events, and returns the log''s row. A log''s key (so its id) never changes. For pgattest_admin. Raises 22004 for a NULL log_id, 22023 for an unknown log, a bad URL or key name, a Rekor v2 name change, negative shard values, or a window that ends before it starts.';
REVOKE ALL ON FUNCTION attestor.update_transparency_log(text, text, text, timestamptz, timestamptz, boolean, boolean, bigint, bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.update_transparency_log(text, text, text, timestamptz, timestamptz, boolean, boolean, bigint, bigint, text) TO pgattest_admin;

COMMIT;
