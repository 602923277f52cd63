-- Revert pgattest:vex/pending_rekor_links from pg

BEGIN;

DROP FUNCTION vex.pending_rekor_links(integer);
REVOKE SELECT, UPDATE (rekor_linked_at) ON vex.observations FROM pgattest_system;

COMMIT;
