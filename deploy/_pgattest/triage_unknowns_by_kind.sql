-- Deploy pgattest:_pgattest/triage_unknowns_by_kind to pg
-- requires: _pgattest/triage_unknowns_by_kind_rows _pgattest/triage_views
-- Unknowns by kind per tenant; internal as every triage materialized view (see
-- _pgattest/triage_vex_status).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE MATERIALIZED VIEW _pgattest.triage_unknowns_by_kind AS
SELECT r.tenant_id, r.kind, r.open, r.resolved
  FROM _pgattest.triage_unknowns_by_kind_rows() r
  WITH DATA;
CREATE UNIQUE INDEX triage_unknowns_by_kind_key ON _pgattest.triage_unknowns_by_kind (tenant_id, kind);

COMMENT ON MATERIALIZED VIEW _pgattest.triage_unknowns_by_kind IS
    'Per tenant and kind: unknowns open and resolved, valid and as known at _pgattest.triage_views.refreshed_at. Refreshed by triage.refresh(); read by triage.unknowns_by_kind() for the current tenant only.';

INSERT INTO _pgattest.triage_views (view_name) VALUES ('_pgattest.triage_unknowns_by_kind');

COMMIT;
