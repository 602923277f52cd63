-- pgattest demo: what a service sees, step by step. Grows with every capability.
-- Runs as the deploying superuser; client identities are taken with SET ROLE.
\set ON_ERROR_STOP on
\pset footer off

\echo '== 1. An operator registers two tenants (pgattest_admin) =='
BEGIN;
SET LOCAL ROLE pgattest_admin;
SELECT tenant_id, display_name FROM core.register_tenant('demo-acme', 'Acme Corp')
WHERE NOT EXISTS (SELECT FROM core.tenants WHERE tenant_id = 'demo-acme');
SELECT tenant_id, display_name FROM core.register_tenant('demo-globex', 'Globex')
WHERE NOT EXISTS (SELECT FROM core.tenants WHERE tenant_id = 'demo-globex');
SELECT tenant_id, display_name, active FROM core.tenants WHERE tenant_id LIKE 'demo-%' ORDER BY 1;
COMMIT;

\echo '== 2. A service (pgattest_app) sets its tenant per transaction and sees only its own =='
BEGIN;
SET LOCAL ROLE pgattest_app;
SELECT set_config('app.tenant_id', 'demo-acme', true) AS tenant;
SELECT tenant_id, display_name FROM core.tenants;
COMMIT;

\echo '== 3. After commit the tenant is gone: no tenant, no rows (fail closed) =='
BEGIN;
SET LOCAL ROLE pgattest_app;
SELECT core.current_tenant() IS NULL AS no_tenant, (SELECT count(*) FROM core.tenants) AS visible_tenants;
COMMIT;
