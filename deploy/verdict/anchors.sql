-- Deploy pgattest:verdict/anchors to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- requires: _pgattest/ledger_append_only proofchain/dsse_envelopes proofchain/rekor_entries
-- Where a tenant's ledger head was anchored outside the database: a checkpoint of the
-- ledger (verdict.checkpoint), signed by the tenant as an in-toto statement and logged
-- in Rekor. A row is written when the Rekor entry of such a statement is stored (the
-- trigger of _pgattest/record_ledger_anchors); verdict.verify checks the ledger against
-- every row. Append-only like the ledger.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE verdict.anchors (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id       text        NOT NULL REFERENCES core.tenants,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    tree_size       bigint      NOT NULL CHECK (tree_size >= 1),
    root_hash       bytea       NOT NULL CHECK (length(root_hash) = 32),
    checkpoint      text        NOT NULL,
    envelope_id     uuid        NOT NULL,
    rekor_entry_id  uuid        NOT NULL,
    anchored_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, rekor_entry_id),
    FOREIGN KEY (tenant_id, envelope_id) REFERENCES proofchain.dsse_envelopes (tenant_id, id),
    FOREIGN KEY (tenant_id, rekor_entry_id) REFERENCES proofchain.rekor_entries (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('verdict.anchors');
CREATE INDEX anchors_tree_size ON verdict.anchors (tenant_id, tree_size);
CREATE INDEX anchors_anchored_at ON verdict.anchors (tenant_id, anchored_at);

CREATE TRIGGER anchors_append_only BEFORE UPDATE OR DELETE ON verdict.anchors
    FOR EACH ROW EXECUTE FUNCTION _pgattest.ledger_append_only();
CREATE TRIGGER anchors_no_truncate BEFORE TRUNCATE ON verdict.anchors
    FOR EACH STATEMENT EXECUTE FUNCTION _pgattest.ledger_append_only();

COMMENT ON TABLE verdict.anchors IS
    'Anchored heads of a tenant''s verdict ledger: the checkpoint (C2SP body: origin, tree_size, base64 root_hash) the tenant signed and submitted as an in-toto statement of predicate type https://pgattest.dev/verdict-ledger-checkpoint/v1, the envelope and the Rekor entry that logged it, and when (anchored_at: the entry''s integrated time, else when it was stored). Written when the entry is stored; append-only (23PA3). verdict.verify checks the ledger against every anchor.';

REVOKE UPDATE, DELETE, TRUNCATE ON verdict.anchors FROM pgattest_owner;
GRANT SELECT ON verdict.anchors TO pgattest_app, pgattest_admin;
-- The completion (pgattest_system, across tenants) records anchors through the trigger.
GRANT SELECT, INSERT ON verdict.anchors TO pgattest_system;

COMMIT;
