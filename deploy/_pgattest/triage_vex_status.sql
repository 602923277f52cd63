-- Deploy pgattest:_pgattest/triage_vex_status to pg
-- requires: _pgattest/triage_vex_status_rows _pgattest/triage_views
-- Dashboard figures of VEX observations per tenant and status. A materialized view has
-- no row-level security, so it lives in _pgattest with no grant to any client role;
-- pgattest_app reads its own tenant's rows through triage.vex_status() only. The
-- unique index is what REFRESH ... CONCURRENTLY needs (readers are not blocked).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE MATERIALIZED VIEW _pgattest.triage_vex_status AS
SELECT r.tenant_id, r.status, r.observations, r.current_observations, r.vulnerabilities, r.products,
       r.pending_rekor_links
  FROM _pgattest.triage_vex_status_rows() r
  WITH DATA;
CREATE UNIQUE INDEX triage_vex_status_key ON _pgattest.triage_vex_status (tenant_id, status);

COMMENT ON MATERIALIZED VIEW _pgattest.triage_vex_status IS
    'Per tenant and VEX status: observations, current observations, distinct vulnerabilities and products, observations waiting for their Rekor link; as of _pgattest.triage_views.refreshed_at. Refreshed by triage.refresh(); read by triage.vex_status() for the current tenant only.';

INSERT INTO _pgattest.triage_views (view_name) VALUES ('_pgattest.triage_vex_status');

COMMIT;
