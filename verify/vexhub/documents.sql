-- Verify pgattest:vexhub/documents on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, provider, format, document_ref, content_digest, document_text, document,
       statement_count, rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id, rekor_linked_at
  FROM vexhub.documents WHERE false;

DO $verify$
BEGIN
    IF to_regclass('vexhub.documents_rekor_uuid') IS NULL
       OR (SELECT count(*) FROM pg_constraint WHERE conrelid = 'vexhub.documents'::regclass
             AND conname IN ('rekor_entry_fk', 'rekor_link_whole')) <> 2 THEN
        RAISE EXCEPTION 'the Rekor linkage of vexhub.documents is missing';
    END IF;
    IF NOT has_table_privilege('pgattest_app', 'vexhub.documents', 'SELECT')
       OR has_table_privilege('pgattest_app', 'vexhub.documents', 'INSERT') THEN
        RAISE EXCEPTION 'vexhub.documents is not granted as designed (read-only for pgattest_app)';
    END IF;
END
$verify$;

ROLLBACK;
