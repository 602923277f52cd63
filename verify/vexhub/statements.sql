-- Verify pgattest:vexhub/statements on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, document_id, observation_id, vulnerability_id, product_key, status,
       native_status, native_justification, rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id,
       rekor_linked_at
  FROM vexhub.statements WHERE false;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'vexhub.statements'::regclass AND tgname = 'statements_immutable'
                      AND tgenabled = 'O') THEN
        RAISE EXCEPTION 'vexhub.statements is not protected by its immutability trigger';
    END IF;
    IF to_regclass('vexhub.statements_rekor_uuid') IS NULL OR to_regclass('vexhub.statements_rekor_entry') IS NULL
       OR (SELECT count(*) FROM pg_constraint WHERE conrelid = 'vexhub.statements'::regclass
             AND conname IN ('rekor_entry_fk', 'rekor_link_whole')) <> 2 THEN
        RAISE EXCEPTION 'the Rekor linkage of vexhub.statements is missing';
    END IF;
    IF NOT has_table_privilege('pgattest_app', 'vexhub.statements', 'SELECT')
       OR has_table_privilege('pgattest_app', 'vexhub.statements', 'INSERT') THEN
        RAISE EXCEPTION 'vexhub.statements is not granted as designed (read-only for pgattest_app)';
    END IF;
END
$verify$;

ROLLBACK;
