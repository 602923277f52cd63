-- Revert pgattest:rekor_entries_checkpoint_log from pg
-- Restores the two foreign keys rekor_entries declared (log_id, checkpoint_id apart).

BEGIN;

SET LOCAL ROLE pgattest_owner;

ALTER TABLE proofchain.rekor_entries
    ADD CONSTRAINT rekor_entries_log_id_fkey FOREIGN KEY (log_id) REFERENCES attestor.transparency_logs,
    ADD CONSTRAINT rekor_entries_checkpoint_id_fkey FOREIGN KEY (checkpoint_id) REFERENCES attestor.rekor_checkpoints;
ALTER TABLE proofchain.rekor_entries DROP CONSTRAINT rekor_entries_checkpoint_of_log;
ALTER TABLE attestor.rekor_checkpoints DROP CONSTRAINT rekor_checkpoints_log_id_id_key;

COMMIT;
