-- Verify pgattest:attestor/transparency_logs on pg

BEGIN;

SELECT log_id, api_version, base_url, key_name, public_key, key_details, tree_id, global_index_offset,
       valid_from, valid_until, active, is_default, split_view_at, created_at, updated_at
  FROM attestor.transparency_logs WHERE false;

DO $verify$
BEGIN
    IF NOT has_table_privilege('pgattest_worker', 'attestor.transparency_logs', 'SELECT')
       OR has_table_privilege('pgattest_app', 'attestor.transparency_logs', 'INSERT') THEN
        RAISE EXCEPTION 'attestor.transparency_logs must be readable by the client roles and written only through register_transparency_log';
    END IF;
    IF to_regclass('attestor.transparency_logs_one_default') IS NULL THEN
        RAISE EXCEPTION 'attestor.transparency_logs lacks its one-default-log index';
    END IF;
END
$verify$;

ROLLBACK;
