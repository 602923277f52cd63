-- Deploy pgattest:proofchain/sbom_entries to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at proofchain/dsse_envelopes
-- Applications insert SBOM components directly (row security keeps each to its tenant):
-- there is nothing to verify in a component row itself.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE proofchain.sbom_entries (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id      text        NOT NULL REFERENCES core.tenants,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    sbom_digest    text        NOT NULL CHECK (sbom_digest ~ '^sha256:[0-9a-f]{64}$'),
    bom_ref        text        NOT NULL CHECK (bom_ref <> ''),
    purl           text        CHECK (purl ~ '^pkg:[a-z0-9.+-]+/'),
    name           text        NOT NULL,
    version        text,
    component_hash text        CHECK (component_hash ~ '^sha(256|384|512):[0-9a-f]+$'),
    envelope_id    uuid,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, sbom_digest, bom_ref),
    FOREIGN KEY (tenant_id, envelope_id) REFERENCES proofchain.dsse_envelopes (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('proofchain.sbom_entries');
CREATE INDEX sbom_entries_purl ON proofchain.sbom_entries (tenant_id, purl);

COMMENT ON TABLE proofchain.sbom_entries IS
    'Components of SBOMs (one row per component of a document identified by sbom_digest, the content id of the SBOM), optionally tied to the attestation envelope that carried the SBOM.';

GRANT SELECT, INSERT ON proofchain.sbom_entries TO pgattest_app;
GRANT SELECT ON proofchain.sbom_entries TO pgattest_admin;

COMMIT;
