-- Verify pgattest:vex/observations on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, content_id, vulnerability_id, product_key, provider, status,
       justification, impact_statement, action_statement, statement_text, statement, statement_timestamp,
       source_format, source_text, supersedes, rekor_uuid, rekor_log_index, rekor_integrated_time, rekor_entry_id,
       rekor_linked_at
  FROM vex.observations WHERE false;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = 'vex.observations'::regclass AND tgname = 'observations_immutable'
                      AND tgenabled = 'O') THEN
        RAISE EXCEPTION 'vex.observations is not protected by its immutability trigger';
    END IF;
    IF to_regclass('vex.observations_rekor_uuid') IS NULL OR to_regclass('vex.observations_rekor_log_index') IS NULL
       OR to_regclass('vex.observations_rekor_entry') IS NULL OR to_regclass('vex.observations_unlinked') IS NULL THEN
        RAISE EXCEPTION 'the Rekor linkage indexes of vex.observations are missing';
    END IF;
    IF (SELECT count(*) FROM pg_constraint WHERE conrelid = 'vex.observations'::regclass
          AND conname IN ('rekor_entry_fk', 'rekor_link_whole', 'observations_tenant_id_provider_content_id_key')) <> 3 THEN
        RAISE EXCEPTION 'vex.observations lacks its Rekor link constraints or its content id key';
    END IF;
    IF NOT has_table_privilege('pgattest_app', 'vex.observations', 'SELECT')
       OR has_table_privilege('pgattest_app', 'vex.observations', 'INSERT') THEN
        RAISE EXCEPTION 'vex.observations is not granted as designed (read-only for pgattest_app)';
    END IF;
END
$verify$;

ROLLBACK;
