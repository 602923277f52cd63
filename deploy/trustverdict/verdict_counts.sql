-- Deploy pgattest:trustverdict/verdict_counts to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- trustverdict.stats answers from these counters (a few rows per issuer) instead of
-- counting a tenant's verdicts: at a million verdicts a count takes a tenth of a second,
-- the counters a fraction of a millisecond. They are kept by trustverdict.store and
-- trustverdict.delete in the same transaction; stores of one tenant are serialized by
-- the ledger's lock already, so the counter rows add no contention of their own.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE trustverdict.verdict_counts (
    id            bigint      NOT NULL DEFAULT (('x' || left(replace(gen_random_uuid()::text, '-', ''), 16))::bit(64)::bigint & 9223372036854775807),  -- random: a shared counter would show other tenants' volume
    tenant_id     text        NOT NULL REFERENCES core.tenants,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    issuer        text        NOT NULL,
    decision      text        NOT NULL CHECK (decision IN ('pass', 'warn', 'fail')),
    score_bucket  integer     NOT NULL CHECK (score_bucket BETWEEN 0 AND 9),
    verdicts      bigint      NOT NULL CHECK (verdicts >= 0),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, issuer, decision, score_bucket)
);
SELECT _pgattest.enable_tenancy('trustverdict.verdict_counts');

COMMENT ON TABLE trustverdict.verdict_counts IS
    'How many current trust verdicts (neither superseded nor deleted) a tenant holds per issuer, decision and score bucket (score_bucket n covers [n/10, (n+1)/10), 9 includes 1.0). Kept by trustverdict.store and trustverdict.delete; read by trustverdict.stats.';

GRANT SELECT ON trustverdict.verdict_counts TO pgattest_app, pgattest_admin;

COMMIT;
