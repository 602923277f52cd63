-- Deploy pgattest:attestor/split_views_add_evidence to pg
-- requires: attestor/split_views
-- Only conclusive evidence freezes a log: two checkpoints validly signed by its key with
-- different roots for one size. A consistency proof that fails proves no fork (it may be
-- for another base, or broken): it is kept for monitors, marked inconclusive, with what
-- re-checking it offline needs (the proof, its base size, the stored note). An admin may
-- lift a freeze; how and why is kept on the evidence.

BEGIN;

SET LOCAL ROLE pgattest_owner;

ALTER TABLE attestor.split_views
    ADD COLUMN conclusive        boolean     NOT NULL DEFAULT true,
    ADD COLUMN stored_note       text,
    ADD COLUMN old_size          bigint      CHECK (old_size >= 0),
    ADD COLUMN consistency_proof bytea[],
    ADD COLUMN resolved_at       timestamptz,
    ADD COLUMN resolved_by       text,
    ADD COLUMN resolution        text,
    ADD CONSTRAINT split_views_resolution_complete
        CHECK ((resolved_at IS NULL) = (resolved_by IS NULL) AND (resolved_at IS NULL) = (resolution IS NULL)),
    ADD CONSTRAINT split_views_inconclusive_has_proof
        CHECK (conclusive OR (consistency_proof IS NOT NULL AND old_size IS NOT NULL));

COMMENT ON COLUMN attestor.split_views.conclusive IS
    'True: the conflicting note and the stored checkpoint (checkpoint_id) are two checkpoints validly signed by the log key with different roots for tree_size, which proves a split view and froze the log. False: a consistency proof from the stored checkpoint of size old_size (checkpoint_id) to the conflicting note failed, which proves nothing (the proof may be for another base, or broken): kept for monitors, the log is not frozen.';
COMMENT ON COLUMN attestor.split_views.stored_note IS 'The note of the stored checkpoint (checkpoint_id) the conflicting note was compared with, so the evidence re-verifies offline on its own.';
COMMENT ON COLUMN attestor.split_views.consistency_proof IS 'The consistency proof that failed (inconclusive evidence), from old_size to tree_size.';
COMMENT ON COLUMN attestor.split_views.resolved_at IS 'When an admin lifted the freeze this evidence caused (attestor.lift_split_view), with resolved_by and the stated resolution.';

COMMIT;
