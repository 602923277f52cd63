-- Verify pgattest:rekor_entries on pg

BEGIN;

SELECT id, tenant_id, envelope_id, log_id, uuid, entry_id, log_index, shard_log_index, integrated_time, kind,
       kind_version, canonicalized_body, leaf_hash, root_hash, tree_size, inclusion_hashes, checkpoint_id,
       signed_entry_timestamp, verified_at FROM proofchain.rekor_entries WHERE false;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'proofchain.verify_stored_entry(uuid)', 'EXECUTE') THEN
        RAISE EXCEPTION 'pgattest_app cannot execute proofchain.verify_stored_entry';
    END IF;
END
$verify$;

ROLLBACK;
