-- Verify pgattest:rekor_entries_checkpoint_log on pg

BEGIN;

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
END
$verify$;

ROLLBACK;
