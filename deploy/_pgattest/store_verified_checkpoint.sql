-- Deploy pgattest:_pgattest/store_verified_checkpoint to pg
-- requires: roles schemas attestor/rekor_checkpoints
-- The one store of checkpoints, for notes whose signature the caller verified: the batch
-- completion (which verifies a batch's shared checkpoint once, in the library) and
-- _pgattest.store_checkpoint. One root per size: a different root for a stored size is a
-- split view, raised (23PA1) for the caller to keep the evidence in a new transaction.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.store_verified_checkpoint(log_id text, note text, origin text, tree_size bigint,
                                                    root_hash bytea, signatures jsonb)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    existing attestor.rekor_checkpoints;
    new_id bigint;
BEGIN
    INSERT INTO attestor.rekor_checkpoints AS c (log_id, origin, tree_size, root_hash, note, signatures)
    VALUES (log_id, origin, tree_size, root_hash, note, signatures)
    ON CONFLICT ON CONSTRAINT rekor_checkpoints_log_id_tree_size_key DO NOTHING
    RETURNING c.id INTO new_id;
    IF new_id IS NOT NULL THEN
        RETURN new_id;
    END IF;
    SELECT * INTO existing FROM attestor.rekor_checkpoints c
     WHERE c.log_id = store_verified_checkpoint.log_id AND c.tree_size = store_verified_checkpoint.tree_size;
    IF existing.root_hash = store_verified_checkpoint.root_hash THEN
        RETURN existing.id;
    END IF;
    RAISE EXCEPTION 'split view: log % signed two roots for tree size % (stored %, now %)',
                    log_id, tree_size, encode(existing.root_hash, 'hex'), encode(root_hash, 'hex')
        USING ERRCODE = '23PA1',
              DETAIL = format('stored checkpoint %s; conflicting note: %s', existing.id, note),
              HINT = 'Call attestor.record_split_view(log_id, note) in a new transaction to keep the evidence; the log must be investigated.';
END
$$;

COMMENT ON FUNCTION _pgattest.store_verified_checkpoint(text, text, text, bigint, bytea, jsonb) IS
    'Stores a checkpoint the caller has verified with the log key and returns its id (the stored id when the same root is already stored for its size); raises 23PA1 (split view) when a different root is stored for that size.';
REVOKE ALL ON FUNCTION _pgattest.store_verified_checkpoint(text, text, text, bigint, bytea, jsonb) FROM PUBLIC;
-- The completion runs as pgattest_system.
GRANT EXECUTE ON FUNCTION _pgattest.store_verified_checkpoint(text, text, text, bigint, bytea, jsonb) TO pgattest_system;

COMMIT;
