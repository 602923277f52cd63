-- Deploy pgattest:attestor/rekor_checkpoints to pg
-- requires: roles schemas attestor/transparency_logs _pgattest/touch_updated_at
-- Checkpoints are public log state shared by all tenants (global table, on the catalog
-- tests' allow-list). Every stored checkpoint was verified with the log key.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE attestor.rekor_checkpoints (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    log_id      text        NOT NULL REFERENCES attestor.transparency_logs,
    origin      text        NOT NULL,
    tree_size   bigint      NOT NULL CHECK (tree_size >= 0),
    root_hash   bytea       NOT NULL CHECK (length(root_hash) = 32),
    note        text        NOT NULL,
    signatures  jsonb       NOT NULL,
    verified_at timestamptz NOT NULL DEFAULT now(),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- One root per size: a second root for the same size is a split view, which never
    -- lands here (see attestor.split_views).
    UNIQUE (log_id, tree_size),
    -- The target of proofchain.rekor_entries' key (log_id, checkpoint_id): an entry's
    -- checkpoint is one of the entry's own log.
    UNIQUE (log_id, id)
);
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON attestor.rekor_checkpoints
    FOR EACH ROW EXECUTE FUNCTION _pgattest.touch_updated_at();

COMMENT ON TABLE attestor.rekor_checkpoints IS
    'Every checkpoint (C2SP signed note) seen per transparency log, verified with the log''s registered key before it is stored; one root per tree size. Written by attestor.record_checkpoint and attestor.complete_submission.';
COMMENT ON COLUMN attestor.rekor_checkpoints.note IS 'The signed note exactly as received: re-verifiable offline with the log key.';

GRANT SELECT ON attestor.rekor_checkpoints TO pgattest_app, pgattest_worker, pgattest_admin;

-- The cross-tenant queue functions (claim, completion) run as pgattest_system, which owns
-- no table: it gets exactly the privileges they use, here with the table, since more
-- than one function's change relies on them.
GRANT SELECT, INSERT ON attestor.rekor_checkpoints TO pgattest_system;

COMMIT;
