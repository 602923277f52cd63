-- Deploy pgattest:watchlist/rules to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at
-- A tenant's identity watchlist: each rule names patterns for the OIDC issuer, the subject
-- alternative name and the key fingerprint of an entry's signer (at least one; every
-- pattern given must match), a match mode, a severity. Written through
-- watchlist.upsert_rule (which validates regexes and keeps at most 1,000 rules per
-- tenant); matched against each new Rekor entry's identities as it is stored.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE watchlist.rules (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id      text        NOT NULL REFERENCES core.tenants,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    name           text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    description    text        CHECK (length(description) <= 2000),
    issuer_pattern text        CHECK (length(issuer_pattern) BETWEEN 1 AND 256),
    san_pattern    text        CHECK (length(san_pattern) BETWEEN 1 AND 256),
    key_pattern    text        CHECK (length(key_pattern) BETWEEN 1 AND 256),
    match_mode     text        NOT NULL CHECK (match_mode IN ('exact', 'prefix', 'glob', 'regex')),
    severity       text        NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
    enabled        boolean     NOT NULL DEFAULT true,
    dedup_minutes  integer     NOT NULL DEFAULT 60 CHECK (dedup_minutes BETWEEN 1 AND 10080),
    version        integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name),
    CHECK (num_nonnulls(issuer_pattern, san_pattern, key_pattern) >= 1)
);
SELECT _pgattest.enable_tenancy('watchlist.rules');

COMMENT ON TABLE watchlist.rules IS
    'A tenant''s identity watchlist rules (at most 1,000): patterns for the OIDC issuer, SAN and key fingerprint of a Rekor entry''s signer (every given pattern must match), match mode (exact: case-insensitive; prefix; glob: * and ?; regex: PostgreSQL ARE without back references), severity, dedup window. Written by watchlist.upsert_rule; version counts its changes.';
COMMENT ON COLUMN watchlist.rules.dedup_minutes IS 'Alerts of one (rule, field, value) within one window of this many minutes (aligned to the epoch) are one alert with an occurrence count.';

GRANT SELECT ON watchlist.rules TO pgattest_app, pgattest_admin;
-- The matching trigger (_pgattest.watch_new_entries) runs as pgattest_system.
GRANT SELECT ON watchlist.rules TO pgattest_system;

COMMIT;
