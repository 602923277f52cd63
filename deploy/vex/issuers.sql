-- Deploy pgattest:vex/issuers to pg
-- requires: core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- How much each provider is trusted, per tenant (for vex.merge).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE vex.issuers (
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id    text        NOT NULL REFERENCES core.tenants,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    provider     text        NOT NULL,
    trust_tier   integer     NOT NULL DEFAULT 0 CHECK (trust_tier BETWEEN 0 AND 100),
    trust_weight numeric     NOT NULL DEFAULT 0.5 CHECK (trust_weight BETWEEN 0 AND 1),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, provider)
);
SELECT _pgattest.enable_tenancy('vex.issuers');

COMMENT ON TABLE vex.issuers IS
    'Trust in VEX providers, per tenant: trust_tier orders issuers in vex.merge (higher wins), trust_weight is reported in merge traces. A provider not listed has tier 0 and weight 0.5.';

GRANT SELECT ON vex.issuers TO pgattest_app, pgattest_admin;

COMMIT;
