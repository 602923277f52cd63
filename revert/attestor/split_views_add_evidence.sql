-- Revert pgattest:attestor/split_views_add_evidence from pg
-- The evidence rows stay; only the columns this change added go.

BEGIN;

SET LOCAL ROLE pgattest_owner;

ALTER TABLE attestor.split_views
    DROP CONSTRAINT split_views_inconclusive_has_proof,
    DROP CONSTRAINT split_views_resolution_complete,
    DROP COLUMN resolution,
    DROP COLUMN resolved_by,
    DROP COLUMN resolved_at,
    DROP COLUMN consistency_proof,
    DROP COLUMN old_size,
    DROP COLUMN stored_note,
    DROP COLUMN conclusive;

COMMIT;
