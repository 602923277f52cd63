-- Revert pgattest:complete_submissions (the rework after v0.2.1) from pg
-- Restores the v0.2.1 completion (its deploy script re-creates complete_claimed,
-- complete_submissions and complete_submission with CREATE OR REPLACE, calling
-- _pgattest.verify_completions, which this rework left in place), then drops the
-- verifier this rework added. In that order, so every step leaves a working completion.

\ir ../deploy/complete_submissions@v0.2.1.sql

BEGIN;

COMMENT ON FUNCTION _pgattest.complete_claimed(uuid[], uuid[], jsonb[]) IS
    'The completion of attestor.complete_submission and attestor.complete_submissions (parallel arrays of submission ids, claim tokens and log entries): locks the items, rejects unknown ones (22023) and stale tokens (55000), verifies every entry of a claimed item (NULL: 22004) with _pgattest.verify_completions, then stores checkpoints and entries and marks the items submitted; items already submitted are returned unchanged.';

COMMENT ON FUNCTION _pgattest.verify_completions(text[], text[], text[], text[], text) IS
    'Verifies the log entries completing claimed submissions (parallel arrays: submission ids, entries, log ids, envelopes; logs: {log_id: {name, der, details, start, end}} of the registered logs): each with the checks of proofchain.verify_tlog_entry, carrying its checkpoint, its body recording the envelope. Returns row k (1-based) per item with the entry and its checkpoint typed for storing; raises 22023 (or 22P02) naming the first submission whose entry is malformed, does not verify, lacks a checkpoint or records another envelope.';

DROP FUNCTION _pgattest.verify_stored_completions(text[], text[], text[], text[], bytea[], text[], text);

COMMIT;
