-- Verify pgattest:rekor_checkpoints on pg

BEGIN;

SELECT id, log_id, origin, tree_size, root_hash, note, signatures, verified_at FROM attestor.rekor_checkpoints WHERE false;
SELECT id, log_id, tree_size, checkpoint_id, conflicting_root, conflicting_note, detected_at FROM attestor.split_views WHERE false;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_worker', 'attestor.record_checkpoint(text, text, bytea[])', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_worker', 'attestor.record_split_view(text, text, bytea[])', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_worker cannot record checkpoints';
    END IF;
END
$verify$;

ROLLBACK;
