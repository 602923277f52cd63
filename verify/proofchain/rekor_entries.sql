-- Verify pgattest:proofchain/rekor_entries on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, envelope_id, log_id, uuid, entry_id, log_index, shard_log_index,
       integrated_time, kind, kind_version, canonicalized_body, leaf_hash, root_hash, tree_size, inclusion_hashes,
       checkpoint_id, signed_entry_timestamp, verified_at, verifier_version, verification_error
  FROM proofchain.rekor_entries WHERE false;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_constraint
                    WHERE conrelid = 'proofchain.rekor_entries'::regclass AND conname = 'rekor_entries_checkpoint_of_log'
                      AND contype = 'f' AND confrelid = 'attestor.rekor_checkpoints'::regclass AND convalidated) THEN
        RAISE EXCEPTION 'proofchain.rekor_entries lacks the foreign key (log_id, checkpoint_id) to its log''s checkpoints';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_constraint
                    WHERE conrelid = 'proofchain.rekor_entries'::regclass AND contype = 'f'
                      AND confrelid = 'proofchain.dsse_envelopes'::regclass)
       OR NOT EXISTS (SELECT FROM pg_constraint
                       WHERE conrelid = 'proofchain.rekor_entries'::regclass AND contype = 'f'
                         AND confrelid = 'core.tenants'::regclass) THEN
        RAISE EXCEPTION 'proofchain.rekor_entries lost its tenant or envelope foreign key';
    END IF;
    IF NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'proofchain.rekor_entries'::regclass) THEN
        RAISE EXCEPTION 'proofchain.rekor_entries is not a tenant table (row security not forced)';
    END IF;
    IF NOT has_table_privilege('pgattest_app', 'proofchain.rekor_entries', 'SELECT')
       OR has_table_privilege('pgattest_app', 'proofchain.rekor_entries', 'INSERT') THEN
        RAISE EXCEPTION 'proofchain.rekor_entries must be readable by pgattest_app and written only by the completion';
    END IF;
END
$verify$;

ROLLBACK;
