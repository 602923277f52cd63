-- Deploy pgattest:watchlist/identities to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at proofchain/rekor_entries
-- The signer identities of each stored Rekor entry, extracted once when the entry is
-- stored (_pgattest.watch_new_entries): the live matching and watchlist.backfill read
-- these rows, never the entry bodies again.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE watchlist.identities (
    id              bigint      NOT NULL DEFAULT (('x' || left(replace(gen_random_uuid()::text, '-', ''), 16))::bit(64)::bigint & 9223372036854775807),  -- random: a shared counter would show other tenants' volume
    tenant_id       text        NOT NULL REFERENCES core.tenants,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    rekor_entry_id  uuid        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('certificate', 'key')),
    san_type        text        CHECK (san_type IN ('uri', 'email')),
    san             text        CHECK (length(san) <= 1024),
    oidc_issuer     text        CHECK (length(oidc_issuer) <= 1024),
    key_fingerprint text        CHECK (key_fingerprint ~ '^[0-9a-f]{64}$'),
    -- The tenant's trust anchor whose key_id is this fingerprint, when there is one.
    trust_anchor_id uuid,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, rekor_entry_id) REFERENCES proofchain.rekor_entries (tenant_id, id),
    CHECK ((san IS NULL) = (san_type IS NULL))
);
SELECT _pgattest.enable_tenancy('watchlist.identities');
-- watchlist.backfill scans a tenant's identities from a point in time.
CREATE INDEX identities_by_time ON watchlist.identities (tenant_id, created_at);
CREATE INDEX identities_by_entry ON watchlist.identities (tenant_id, rekor_entry_id);

COMMENT ON TABLE watchlist.identities IS
    'Signer identities of stored Rekor entries, one row per certificate SAN (URI or email) or key: the OIDC issuer (Fulcio extension 1.3.6.1.4.1.57264.1.8, else .1.1), the SAN, the key fingerprint (hex SHA-256 of the DER public key) and the tenant''s matching trust anchor. Extracted when the entry is stored.';

GRANT SELECT ON watchlist.identities TO pgattest_app, pgattest_admin;
GRANT SELECT, INSERT ON watchlist.identities TO pgattest_system;

COMMIT;
