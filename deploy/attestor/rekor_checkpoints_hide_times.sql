-- Deploy pgattest:attestor/rekor_checkpoints_hide_times to pg
-- requires: attestor/rekor_checkpoints roles
-- Issue 15 item 3: checkpoints are shared by every tenant, and a completion stores the
-- checkpoint its entry came with, so a row's created_at (and verified_at, updated_at)
-- dated other tenants' completions to any application login. The checkpoints themselves
-- are public log state; only when this database saw them is not: application logins
-- read every column but the three timestamps. (pgattest_worker, which acts across
-- tenants anyway, pgattest_admin, the operators, and pgattest_system, which stores them,
-- keep the whole table.)

BEGIN;

REVOKE SELECT ON attestor.rekor_checkpoints FROM pgattest_app;
GRANT SELECT (id, log_id, origin, tree_size, root_hash, note, signatures)
   ON attestor.rekor_checkpoints TO pgattest_app;

COMMIT;
