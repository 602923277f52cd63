-- Deploy pgattest:proofchain/dsse_envelopes to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at proofchain/trust_anchors
-- Written only by attestor.submit_envelope, after a trust anchor of the tenant verified
-- the envelope.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE proofchain.dsse_envelopes (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id       text        NOT NULL REFERENCES core.tenants,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    content_digest  text        NOT NULL CHECK (content_digest ~ '^sha256:[0-9a-f]{64}$'),
    envelope        jsonb       NOT NULL,
    payload_type    text        NOT NULL,
    payload         bytea       NOT NULL,
    signatures      jsonb       NOT NULL CHECK (jsonb_typeof(signatures) = 'array' AND jsonb_array_length(signatures) > 0),
    trust_anchor_id uuid        NOT NULL,
    -- The in-toto statement, when the payload is one; queried through the generated
    -- columns below (btree, usable under RLS) rather than jsonb operators.
    statement       jsonb,
    statement_type  text        GENERATED ALWAYS AS (statement ->> '_type') STORED,
    predicate_type  text        GENERATED ALWAYS AS (statement ->> 'predicateType') STORED,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, content_digest),
    FOREIGN KEY (tenant_id, trust_anchor_id) REFERENCES proofchain.trust_anchors (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('proofchain.dsse_envelopes');
CREATE INDEX dsse_envelopes_predicate ON proofchain.dsse_envelopes (tenant_id, predicate_type, created_at);

COMMENT ON TABLE proofchain.dsse_envelopes IS
    'DSSE envelopes as submitted (attestor.submit_envelope), verified against a trust anchor of the tenant. content_digest is proofchain.content_id of the envelope (sha256 of its RFC 8785 form), unique per tenant, so the same envelope is stored once.';
COMMENT ON COLUMN proofchain.dsse_envelopes.envelope IS 'The envelope as sent: {payloadType, payload (base64), signatures}. The signed bytes are in payload, not in this JSON''s text form.';
COMMENT ON COLUMN proofchain.dsse_envelopes.payload IS 'The decoded payload: the exact bytes the signatures cover (with payload_type, through the DSSE PAE).';
COMMENT ON COLUMN proofchain.dsse_envelopes.statement IS 'The payload parsed as JSON when payload_type is application/vnd.in-toto+json; statement_type and predicate_type are extracted from it.';

GRANT SELECT ON proofchain.dsse_envelopes TO pgattest_app, pgattest_admin;

-- The cross-tenant queue functions (claim, completion) run as pgattest_system, which owns
-- no table: it gets exactly the privileges they use, here with the table, since more
-- than one function's change relies on them.
GRANT SELECT ON proofchain.dsse_envelopes TO pgattest_system;

COMMIT;
