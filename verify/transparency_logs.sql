-- Verify pgattest:transparency_logs on pg

BEGIN;

SELECT log_id, api_version, base_url, key_name, public_key, key_details, tree_id, global_index_offset,
       valid_from, valid_until, active, is_default, split_view_at
  FROM attestor.transparency_logs WHERE false;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_admin',
            'attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean)', 'EXECUTE')
       OR has_function_privilege('pgattest_app',
            'attestor.register_transparency_log(text, text, text, text, bigint, bigint, timestamptz, timestamptz, boolean)', 'EXECUTE') THEN
        RAISE EXCEPTION 'attestor.register_transparency_log must be executable by pgattest_admin only';
    END IF;
    IF attestor.trusted_root('0000000000000000000000000000000000000000000000000000000000000000') -> 'tlogs' <> '[]' THEN
        RAISE EXCEPTION 'attestor.trusted_root returns a log that is not registered';
    END IF;
END
$verify$;

ROLLBACK;
