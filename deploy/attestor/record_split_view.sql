-- Deploy pgattest:attestor/record_split_view to pg
-- requires: attestor/record_split_view@v1.0.0 attestor/split_views_add_evidence
-- requires: roles schemas attestor/transparency_logs attestor/rekor_checkpoints attestor/split_views _pgattest/verified_checkpoint proofchain/verify_consistency
-- Keeping the evidence of a split view takes its own transaction: the one that detected it
-- (record_checkpoint, the completion) raised and rolled back. Only conclusive evidence
-- freezes a log for every tenant: a checkpoint validly signed by the log's key whose root
-- differs from the stored one of the same size. A consistency proof that fails is kept,
-- inconclusive, for monitors: anyone holding a genuine note can fabricate a failing proof.

BEGIN;

SET LOCAL ROLE pgattest_owner;

DROP FUNCTION attestor.record_split_view(text, text, bytea[]);

CREATE OR REPLACE FUNCTION attestor.record_split_view(log_id text, note text, consistency_proof bytea[] DEFAULT NULL,
                                                      old_size bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cp record;
    prev attestor.rekor_checkpoints;
    is_conclusive boolean := true;
    evidence bigint;
BEGIN
    IF log_id IS NULL OR note IS NULL THEN
        RAISE EXCEPTION 'log_id and note are required' USING ERRCODE = '22004', HINT = 'Pass the log id and the checkpoint note.';
    END IF;
    IF old_size IS NOT NULL AND consistency_proof IS NULL THEN
        RAISE EXCEPTION 'old_size % is given without a consistency_proof', old_size
            USING ERRCODE = '22023', HINT = 'old_size names the base of the consistency proof; pass both, or neither.';
    END IF;
    SELECT * INTO cp FROM _pgattest.verified_checkpoint(log_id, note);
    SELECT * INTO prev FROM attestor.rekor_checkpoints c
     WHERE c.log_id = record_split_view.log_id AND c.tree_size = cp.tree_size AND c.root_hash <> cp.root_hash;
    IF NOT FOUND AND consistency_proof IS NOT NULL THEN
        is_conclusive := false;
        IF old_size IS NOT NULL THEN
            SELECT * INTO prev FROM attestor.rekor_checkpoints c
             WHERE c.log_id = record_split_view.log_id AND c.tree_size = old_size AND old_size < cp.tree_size;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'no stored checkpoint of log % at size % below %', log_id, old_size, cp.tree_size
                    USING ERRCODE = '22023', HINT = 'old_size must be the size of a stored checkpoint below the note''s.';
            END IF;
        ELSE
            SELECT * INTO prev FROM attestor.rekor_checkpoints c
             WHERE c.log_id = record_split_view.log_id AND c.tree_size < cp.tree_size
             ORDER BY c.tree_size DESC LIMIT 1;
        END IF;
        IF prev.id IS NOT NULL AND proofchain.verify_consistency(prev.tree_size, cp.tree_size, prev.root_hash,
                                                                 cp.root_hash, consistency_proof) THEN
            prev := NULL;
        END IF;
    END IF;
    IF prev.id IS NULL THEN
        RAISE EXCEPTION 'no split view: the checkpoint of log % at size % agrees with what is stored', log_id, cp.tree_size
            USING ERRCODE = '22023', HINT = 'Store it with attestor.record_checkpoint instead.';
    END IF;
    INSERT INTO attestor.split_views AS s (log_id, tree_size, checkpoint_id, conflicting_root, conflicting_note,
                                           conclusive, stored_note, old_size, consistency_proof)
    VALUES (log_id, cp.tree_size, prev.id, cp.root_hash, note, is_conclusive, prev.note,
            CASE WHEN NOT is_conclusive THEN prev.tree_size END, CASE WHEN NOT is_conclusive THEN consistency_proof END)
    ON CONFLICT ON CONSTRAINT split_views_log_id_tree_size_conflicting_root_key DO UPDATE
       -- Evidence only grows: inconclusive evidence for a root later proven conflicting
       -- becomes conclusive, never the reverse.
       SET conclusive = s.conclusive OR EXCLUDED.conclusive,
           checkpoint_id = CASE WHEN EXCLUDED.conclusive AND NOT s.conclusive THEN EXCLUDED.checkpoint_id ELSE s.checkpoint_id END,
           stored_note = CASE WHEN EXCLUDED.conclusive AND NOT s.conclusive THEN EXCLUDED.stored_note ELSE s.stored_note END
    RETURNING s.id INTO evidence;
    IF is_conclusive THEN
        UPDATE attestor.transparency_logs l SET split_view_at = coalesce(l.split_view_at, now())
         WHERE l.log_id = record_split_view.log_id;
        PERFORM pg_notify('pgattest_alerts', format('split view in log %s at size %s', log_id, cp.tree_size));
    ELSE
        PERFORM pg_notify('pgattest_alerts', format('inconclusive: a consistency proof from size %s to %s failed for log %s',
                                                    prev.tree_size, cp.tree_size, log_id));
    END IF;
    RETURN evidence;
END
$$;

COMMENT ON FUNCTION attestor.record_split_view(text, text, bytea[], bigint) IS
    'Keeps evidence against a log in attestor.split_views and returns its id. Conclusive evidence (a checkpoint validly signed by the log whose root differs from the stored one of the same size) marks the log (nothing verifies against it until an admin lifts it with attestor.lift_split_view) and notifies channel pgattest_alerts. A consistency proof that fails from the stored checkpoint of size old_size (default: the latest stored below the note''s size) is kept as inconclusive evidence with the proof and both notes, notified, and freezes nothing. Raises 22004 for a NULL log or note, 22023 when there is nothing to record (the note agrees with what is stored, or the proof verifies), for an old_size without a proof or not stored below the note''s size, and for a malformed note or proof; 23PA1 when the log is already frozen. For pgattest_worker and pgattest_admin.';
REVOKE ALL ON FUNCTION attestor.record_split_view(text, text, bytea[], bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.record_split_view(text, text, bytea[], bigint) TO pgattest_worker, pgattest_admin;

COMMIT;
