-- Deploy pgattest:watchlist/rule_matches to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at proofchain/rekor_entries
-- Which matches were counted: one row per (rule, Rekor entry, field, value) that
-- _pgattest.record_watch_alerts counted as an occurrence, by the live matching or by
-- watchlist.backfill. Inserted with ON CONFLICT DO NOTHING before counting, so a match
-- is counted once whoever finds it, under any rule version, however often a backfill
-- runs, and exactly under concurrent writers (the unique key, not a look-up). The value
-- is keyed by its SHA-256: a SAN can be 1,024 characters, beyond a btree entry in UTF-8.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE watchlist.rule_matches (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id      text        NOT NULL REFERENCES core.tenants,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    rule_id        uuid        NOT NULL,
    rekor_entry_id uuid        NOT NULL,
    field          text        NOT NULL CHECK (field IN ('san', 'oidc_issuer', 'key_fingerprint')),
    value_digest   bytea       NOT NULL CHECK (length(value_digest) = 32),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT rule_matches_once UNIQUE (tenant_id, rule_id, rekor_entry_id, field, value_digest),
    FOREIGN KEY (tenant_id, rekor_entry_id) REFERENCES proofchain.rekor_entries (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('watchlist.rule_matches');

COMMENT ON TABLE watchlist.rule_matches IS
    'Watchlist matches already counted in an alert''s occurrences: a rule (tenant or global, any version) matched the field (san, oidc_issuer, key_fingerprint) of a stored Rekor entry with the value whose SHA-256 is value_digest. Written by the live matching and by watchlist.backfill before counting, so a match is counted once.';

GRANT SELECT ON watchlist.rule_matches TO pgattest_admin;
-- The live matching runs as pgattest_system (across tenants).
GRANT SELECT, INSERT ON watchlist.rule_matches TO pgattest_system;

COMMIT;
