-- Verify pgattest:attestor/rekor_checkpoints on pg

BEGIN;

SELECT id, log_id, origin, tree_size, root_hash, note, signatures, verified_at, created_at, updated_at
  FROM attestor.rekor_checkpoints WHERE false;

DO $verify$
BEGIN
    -- The ON CONFLICT target of the checkpoint stores, and the target of rekor_entries' key.
    IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'attestor.rekor_checkpoints'::regclass
                      AND conname = 'rekor_checkpoints_log_id_tree_size_key' AND contype = 'u')
       OR NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'attestor.rekor_checkpoints'::regclass
                         AND conname = 'rekor_checkpoints_log_id_id_key' AND contype = 'u') THEN
        RAISE EXCEPTION 'attestor.rekor_checkpoints lacks its unique keys (log_id, tree_size) and (log_id, id)';
    END IF;
    IF NOT has_table_privilege('pgattest_worker', 'attestor.rekor_checkpoints', 'SELECT')
       OR has_table_privilege('pgattest_worker', 'attestor.rekor_checkpoints', 'INSERT') THEN
        RAISE EXCEPTION 'attestor.rekor_checkpoints must be readable by the client roles and written only through the functions';
    END IF;
END
$verify$;

ROLLBACK;
