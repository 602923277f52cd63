-- Deploy pgattest:vex/merge_traces to pg
-- requires: core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at vex/observations
-- The results of vex.merge, each stored once per content (trace_digest).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE vex.merge_traces (
    id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id             text        NOT NULL REFERENCES core.tenants,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    vulnerability_id      text        NOT NULL,
    product_key           text        NOT NULL,
    effective_status      text        NOT NULL,
    justification         text,
    winner_observation_id uuid        NOT NULL,
    has_conflict          boolean     NOT NULL,
    sources               jsonb       NOT NULL,
    trace_digest          text        NOT NULL CHECK (trace_digest ~ '^sha256:[0-9a-f]{64}$'),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, trace_digest),
    FOREIGN KEY (tenant_id, winner_observation_id) REFERENCES vex.observations (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('vex.merge_traces');
CREATE INDEX merge_traces_subject ON vex.merge_traces (tenant_id, vulnerability_id, product_key);

COMMENT ON TABLE vex.merge_traces IS
    'Results of vex.merge: the effective status of a vulnerability for a product with every source statement that went into it (sources: its observation_id and content_id, issuer, trust tier and weight, timestamp, Rekor entry, verification strength, rank, and whether it won, agreed or conflicted). trace_digest is the content id of the trace without the observation ids: the same inputs give the same trace and digest, stored once.';

GRANT SELECT ON vex.merge_traces TO pgattest_app, pgattest_admin;

COMMIT;
