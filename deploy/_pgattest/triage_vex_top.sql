-- Deploy pgattest:_pgattest/triage_vex_top to pg
-- requires: _pgattest/triage_vex_top_rows _pgattest/triage_views
-- The top 50 vulnerabilities and products per tenant (triage.vex_top() shows up to 50);
-- internal as every triage materialized view (see _pgattest/triage_vex_status).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE MATERIALIZED VIEW _pgattest.triage_vex_top AS
SELECT r.tenant_id, r.dimension, r.item, r.affected, r.under_investigation, r.fixed, r.not_affected, r.total, r.rank
  FROM _pgattest.triage_vex_top_rows(50) r
  WITH DATA;
CREATE UNIQUE INDEX triage_vex_top_key ON _pgattest.triage_vex_top (tenant_id, dimension, item);
CREATE INDEX triage_vex_top_rank ON _pgattest.triage_vex_top (tenant_id, dimension, rank);

COMMENT ON MATERIALIZED VIEW _pgattest.triage_vex_top IS
    'Per tenant, the 50 vulnerabilities (dimension vulnerability) and 50 products (dimension product) with the most open current VEX observations, with counts by status and rank; as of _pgattest.triage_views.refreshed_at. Refreshed by triage.refresh(); read by triage.vex_top() for the current tenant only.';

INSERT INTO _pgattest.triage_views (view_name) VALUES ('_pgattest.triage_vex_top');

COMMIT;
