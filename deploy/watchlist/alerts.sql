-- Deploy pgattest:watchlist/alerts to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at proofchain/rekor_entries
-- One alert per (rule, field, value) and dedup window: a rule matching the same identity
-- again within the window counts an occurrence instead of alerting again. Windows are
-- aligned to the epoch (window_start), so one unique key makes the count exact under
-- concurrent writers (INSERT ... ON CONFLICT) with no lock or look-up first.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE watchlist.alerts (
    id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id           text        NOT NULL REFERENCES core.tenants,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    rule_id             uuid        NOT NULL,
    rule_scope          text        NOT NULL CHECK (rule_scope IN ('tenant', 'global')),
    rule_name           text        NOT NULL,
    rule_version        integer     NOT NULL,
    severity            text        NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
    field               text        NOT NULL CHECK (field IN ('san', 'oidc_issuer', 'key_fingerprint')),
    value               text        NOT NULL,
    identity            jsonb       NOT NULL,
    window_start        timestamptz NOT NULL,
    rekor_entry_id      uuid        NOT NULL,
    last_rekor_entry_id uuid        NOT NULL,
    first_seen_at       timestamptz NOT NULL,
    last_seen_at        timestamptz NOT NULL,
    occurrences         integer     NOT NULL DEFAULT 1 CHECK (occurrences >= 1),
    acknowledged_at     timestamptz,
    acknowledged_by     text,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT alerts_dedup UNIQUE (tenant_id, rule_id, field, value, window_start),
    FOREIGN KEY (tenant_id, rekor_entry_id) REFERENCES proofchain.rekor_entries (tenant_id, id),
    CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);
SELECT _pgattest.enable_tenancy('watchlist.alerts');
CREATE INDEX alerts_by_time ON watchlist.alerts (tenant_id, last_seen_at);
-- Triage reads open alerts by severity.
CREATE INDEX alerts_open ON watchlist.alerts (tenant_id, severity) WHERE acknowledged_at IS NULL;

COMMENT ON TABLE watchlist.alerts IS
    'Watchlist alerts: a rule (tenant or global, with its name and version at the time) matched a signer identity (field san, oidc_issuer or key_fingerprint, and value) of a stored Rekor entry; repeated matches within the rule''s dedup window count occurrences. Query with watchlist.list_alerts, acknowledge with watchlist.acknowledge_alert.';
COMMENT ON COLUMN watchlist.alerts.window_start IS 'Start of the dedup window (the rule''s dedup_minutes, aligned to the epoch) the matches counted here fell in.';

GRANT SELECT ON watchlist.alerts TO pgattest_app, pgattest_admin;
GRANT SELECT, INSERT, UPDATE ON watchlist.alerts TO pgattest_system;

COMMIT;
