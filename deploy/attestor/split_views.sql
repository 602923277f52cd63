-- Deploy pgattest:attestor/split_views to pg
-- requires: roles schemas attestor/transparency_logs attestor/rekor_checkpoints _pgattest/touch_updated_at
-- Split-view evidence is about a shared log, not a tenant (global table, on the catalog
-- tests' allow-list). Written only by attestor.record_split_view.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE attestor.split_views (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    log_id             text        NOT NULL REFERENCES attestor.transparency_logs,
    tree_size          bigint      NOT NULL,
    checkpoint_id      bigint      NOT NULL REFERENCES attestor.rekor_checkpoints,
    conflicting_root   bytea       NOT NULL,
    conflicting_note   text        NOT NULL,
    detected_at        timestamptz NOT NULL DEFAULT now(),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (log_id, tree_size, conflicting_root)
);
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON attestor.split_views
    FOR EACH ROW EXECUTE FUNCTION _pgattest.touch_updated_at();

COMMENT ON TABLE attestor.split_views IS
    'Evidence of split views: a validly signed checkpoint whose root differs from the stored one for the same log and size, or that fails a consistency proof. Either proves the log showed different histories to different clients. The log is marked (transparency_logs.split_view_at) and nothing verifies against it afterwards.';

GRANT SELECT ON attestor.split_views TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
