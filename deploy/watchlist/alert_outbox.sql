-- Deploy pgattest:watchlist/alert_outbox to pg
-- requires: roles schemas core/tenants core/current_tenant _pgattest/enable_tenancy _pgattest/touch_updated_at watchlist/alerts
-- Delivery that survives restarts and works behind transaction pooling (where LISTEN
-- does not): each new alert gets one row here, in the transaction that stored its entry;
-- consumers take rows with watchlist.drain_outbox (DELETE ... SKIP LOCKED), so nothing is
-- lost when no one listens and two consumers never take the same row.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE watchlist.alert_outbox (
    id         bigint      NOT NULL DEFAULT (('x' || left(replace(gen_random_uuid()::text, '-', ''), 16))::bit(64)::bigint & 9223372036854775807),  -- random: a shared counter would show other tenants' volume
    tenant_id  text        NOT NULL REFERENCES core.tenants,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    alert_id   uuid        NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, alert_id) REFERENCES watchlist.alerts (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('watchlist.alert_outbox');

COMMENT ON TABLE watchlist.alert_outbox IS
    'New watchlist alerts not yet delivered, one row each, oldest first; taken by watchlist.drain_outbox.';

GRANT INSERT ON watchlist.alert_outbox TO pgattest_system;

COMMIT;
