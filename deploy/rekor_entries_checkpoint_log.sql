-- Deploy pgattest:rekor_entries_checkpoint_log to pg
-- requires: rekor_entries
-- requires: rekor_checkpoints
-- A stored entry names its log and the checkpoint its proof was verified against. Two
-- foreign keys checked them apart (the log exists; the checkpoint exists), each with a
-- lookup and a row lock per stored entry, and neither said the checkpoint is the log's.
-- One composite key says both: the checkpoint exists and belongs to the entry's log
-- (whose own key on rekor_checkpoints.log_id makes the log exist). Stronger, and one
-- check per entry instead of two, on the completion's hot path.

BEGIN;

SET LOCAL ROLE pgattest_owner;

ALTER TABLE attestor.rekor_checkpoints
    ADD CONSTRAINT rekor_checkpoints_log_id_id_key UNIQUE (log_id, id);
-- Validated here: every entry the completion stored took its log's checkpoint.
ALTER TABLE proofchain.rekor_entries
    ADD CONSTRAINT rekor_entries_checkpoint_of_log FOREIGN KEY (log_id, checkpoint_id)
        REFERENCES attestor.rekor_checkpoints (log_id, id);
ALTER TABLE proofchain.rekor_entries
    DROP CONSTRAINT rekor_entries_log_id_fkey,
    DROP CONSTRAINT rekor_entries_checkpoint_id_fkey;

COMMENT ON CONSTRAINT rekor_entries_checkpoint_of_log ON proofchain.rekor_entries IS
    'The checkpoint an entry''s inclusion proof was verified against is a stored checkpoint of the entry''s own log (and so the log is registered).';

COMMIT;
