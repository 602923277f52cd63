-- Deploy pgattest:_pgattest/triage_views to pg
-- requires: schemas
-- The registry of the triage materialized views: triage.refresh() refreshes what is
-- listed here, and records when and how long. A module that adds a dashboard figure
-- later (watchlist alerts by severity, ledger decisions by result) adds its view's
-- change with a row here and a tenant-filtering function in triage; nothing else
-- changes. Global (one row per view, no tenant data): on the allow-list of
-- tests/pgtap/catalog_security.sql.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE _pgattest.triage_views (
    view_name        text        PRIMARY KEY CHECK (view_name ~ '^_pgattest\.triage_[a-z_]+$'),
    refreshed_at     timestamptz NOT NULL DEFAULT now(),
    refresh_duration interval
);

COMMENT ON TABLE _pgattest.triage_views IS
    'The triage materialized views triage.refresh() refreshes: when each was last refreshed (refreshed_at, the start of the refresh, so the data is at least that fresh) and how long it took. No client role reads it; triage.freshness() and each triage function show refreshed_at.';

COMMIT;
