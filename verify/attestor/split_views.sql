-- Verify pgattest:attestor/split_views on pg

BEGIN;

SELECT id, log_id, tree_size, checkpoint_id, conflicting_root, conflicting_note, detected_at, created_at, updated_at
  FROM attestor.split_views WHERE false;

DO $verify$
BEGIN
    -- The ON CONFLICT target of attestor.record_split_view.
    IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'attestor.split_views'::regclass
                      AND conname = 'split_views_log_id_tree_size_conflicting_root_key' AND contype = 'u') THEN
        RAISE EXCEPTION 'attestor.split_views lacks its unique key (log_id, tree_size, conflicting_root)';
    END IF;
    IF NOT has_table_privilege('pgattest_admin', 'attestor.split_views', 'SELECT') THEN
        RAISE EXCEPTION 'pgattest_admin cannot read attestor.split_views';
    END IF;
END
$verify$;

ROLLBACK;
