-- Verify pgattest:verdict/anchors on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, tree_size, root_hash, checkpoint, envelope_id, rekor_entry_id, anchored_at
  FROM verdict.anchors WHERE false;

DO $verify$
BEGIN
    IF (SELECT count(*) FROM pg_trigger WHERE tgrelid = 'verdict.anchors'::regclass AND tgenabled = 'O'
          AND tgfoid = '_pgattest.ledger_append_only()'::regprocedure) <> 2 THEN
        RAISE EXCEPTION 'verdict.anchors is not protected by its append-only triggers';
    END IF;
    IF has_table_privilege('pgattest_owner', 'verdict.anchors', 'UPDATE')
       OR has_table_privilege('pgattest_app', 'verdict.anchors', 'INSERT')
       OR NOT has_table_privilege('pgattest_system', 'verdict.anchors', 'INSERT') THEN
        RAISE EXCEPTION 'verdict.anchors is not granted as designed';
    END IF;
END
$verify$;

ROLLBACK;
