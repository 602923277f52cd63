-- Deploy pgattest:proofchain/envelope_subjects to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at proofchain/dsse_envelopes
-- The subjects of each stored in-toto statement, written with their envelope by
-- attestor.submit_envelope: the index from an artifact's digest to its attestations.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE proofchain.envelope_subjects (
    id               bigint      GENERATED ALWAYS AS IDENTITY,
    tenant_id        text        NOT NULL REFERENCES core.tenants,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    envelope_id      uuid        NOT NULL,
    name             text        NOT NULL,
    digest_algorithm text        NOT NULL,
    digest           text        NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, envelope_id, name, digest_algorithm),
    FOREIGN KEY (tenant_id, envelope_id) REFERENCES proofchain.dsse_envelopes (tenant_id, id) ON DELETE CASCADE
);
SELECT _pgattest.enable_tenancy('proofchain.envelope_subjects');
CREATE INDEX envelope_subjects_digest ON proofchain.envelope_subjects (tenant_id, digest_algorithm, digest);

COMMENT ON TABLE proofchain.envelope_subjects IS
    'The subjects of each in-toto statement, one row per (subject, digest algorithm): find attestations of an artifact by digest with WHERE digest_algorithm = ''sha256'' AND digest = ''...''.';

GRANT SELECT ON proofchain.envelope_subjects TO pgattest_app, pgattest_admin;

COMMIT;
