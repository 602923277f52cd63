-- Verify pgattest:attestor/split_views_add_evidence on pg

BEGIN;

SELECT conclusive, stored_note, old_size, consistency_proof, resolved_at, resolved_by, resolution
  FROM attestor.split_views WHERE false;

ROLLBACK;
