-- Deploy pgattest:proofchain/spines to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at proofchain/sbom_entries
-- Written only by proofchain.create_spine, which computes the root: a spine row is a claim
-- the database checked.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE proofchain.spines (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id       text        NOT NULL REFERENCES core.tenants,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    sbom_entry_id   uuid        NOT NULL,
    evidence_ids    text[]      NOT NULL,
    reasoning_id    text        NOT NULL,
    vex_verdict_id  text        NOT NULL,
    root_hash       bytea       NOT NULL CHECK (length(root_hash) = 32),
    segment_count   integer     NOT NULL CHECK (segment_count = cardinality(evidence_ids) + 3),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, root_hash),
    FOREIGN KEY (tenant_id, sbom_entry_id) REFERENCES proofchain.sbom_entries (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('proofchain.spines');

COMMENT ON TABLE proofchain.spines IS
    'Proof spines: an RFC 9162 Merkle root over the segments sbom:<sbom entry id>, evidence:<id> (each, in order), reasoning:<id> and verdict:<VEX verdict id>, so one hash commits to the whole chain from component to verdict. Written by proofchain.create_spine; equal inputs give the same root (unique per tenant).';

GRANT SELECT ON proofchain.spines TO pgattest_app, pgattest_admin;

COMMIT;
