-- Revert pgattest:attestor/rekor_checkpoints_hide_times from pg

BEGIN;

REVOKE SELECT (id, log_id, origin, tree_size, root_hash, note, signatures)
    ON attestor.rekor_checkpoints FROM pgattest_app;
GRANT SELECT ON attestor.rekor_checkpoints TO pgattest_app;

COMMIT;
