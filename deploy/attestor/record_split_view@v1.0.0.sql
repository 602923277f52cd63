-- Deploy pgattest:attestor/record_split_view to pg
-- requires: roles schemas attestor/transparency_logs attestor/rekor_checkpoints attestor/split_views _pgattest/verified_checkpoint proofchain/verify_consistency
-- Keeping the evidence of a split view takes its own transaction: the one that detected it
-- (record_checkpoint, the completion) raised 23PA1 and rolled back.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION attestor.record_split_view(log_id text, note text, consistency_proof bytea[] DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cp record;
    prev attestor.rekor_checkpoints;
    evidence bigint;
BEGIN
    SELECT * INTO cp FROM _pgattest.verified_checkpoint(log_id, note);
    SELECT * INTO prev FROM attestor.rekor_checkpoints c
     WHERE c.log_id = record_split_view.log_id AND c.tree_size = cp.tree_size AND c.root_hash <> cp.root_hash;
    IF NOT FOUND AND consistency_proof IS NOT NULL THEN
        SELECT * INTO prev FROM attestor.rekor_checkpoints c
         WHERE c.log_id = record_split_view.log_id AND c.tree_size <= cp.tree_size
         ORDER BY c.tree_size DESC LIMIT 1;
        IF FOUND AND proofchain.verify_consistency(prev.tree_size, cp.tree_size, prev.root_hash, cp.root_hash,
                                                   consistency_proof) THEN
            prev := NULL;
        END IF;
    END IF;
    IF prev.id IS NULL THEN
        RAISE EXCEPTION 'no split view: the checkpoint of log % at size % agrees with what is stored', log_id, cp.tree_size
            USING ERRCODE = '22023', HINT = 'Store it with attestor.record_checkpoint instead.';
    END IF;
    INSERT INTO attestor.split_views AS s (log_id, tree_size, checkpoint_id, conflicting_root, conflicting_note)
    VALUES (log_id, cp.tree_size, prev.id, cp.root_hash, note)
    ON CONFLICT ON CONSTRAINT split_views_log_id_tree_size_conflicting_root_key DO UPDATE SET detected_at = s.detected_at
    RETURNING s.id INTO evidence;
    UPDATE attestor.transparency_logs l SET split_view_at = coalesce(l.split_view_at, now())
     WHERE l.log_id = record_split_view.log_id;
    PERFORM pg_notify('pgattest_alerts', format('split view in log %s at size %s', log_id, cp.tree_size));
    RETURN evidence;
END
$$;

COMMENT ON FUNCTION attestor.record_split_view(text, text, bytea[]) IS
    'Keeps the evidence of a split view: a checkpoint validly signed by the log whose root differs from the stored one at the same size (or fails the given consistency proof against the stored one). Stores it in attestor.split_views, marks the log (nothing verifies against it afterwards), notifies channel pgattest_alerts, and returns the evidence id. Raises 22023 when there is no conflict to record. For pgattest_worker and pgattest_admin.';
REVOKE ALL ON FUNCTION attestor.record_split_view(text, text, bytea[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.record_split_view(text, text, bytea[]) TO pgattest_worker, pgattest_admin;

COMMIT;
