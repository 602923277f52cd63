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

\echo '== 4. Verification runs in the database: an RFC 9162 tree of five leaves, built in SQL =='
BEGIN;
SET LOCAL ROLE pgattest_app;
CREATE TEMP TABLE demo_leaves ON COMMIT DROP AS
SELECT i, proofchain.rfc6962_leaf_hash(convert_to('entry ' || i, 'UTF8')) AS h FROM generate_series(0, 4) AS i;
-- Tree: ((l0 l1) (l2 l3)) l4
CREATE TEMP TABLE demo_tree ON COMMIT DROP AS
SELECT proofchain.rfc6962_node_hash(a.h, b.h) AS n01,
       proofchain.rfc6962_node_hash(c.h, d.h) AS n23, e.h AS l4, b.h AS l1
  FROM demo_leaves a, demo_leaves b, demo_leaves c, demo_leaves d, demo_leaves e
 WHERE a.i = 0 AND b.i = 1 AND c.i = 2 AND d.i = 3 AND e.i = 4;
SELECT encode(proofchain.rfc6962_node_hash(proofchain.rfc6962_node_hash(n01, n23), l4), 'hex') AS root_of_five FROM demo_tree;
SELECT proofchain.verify_inclusion(
           (SELECT h FROM demo_leaves WHERE i = 0), 0, 5, ARRAY[l1, n23, l4],
           proofchain.rfc6962_node_hash(proofchain.rfc6962_node_hash(n01, n23), l4)) AS leaf0_included,
       proofchain.verify_inclusion(
           (SELECT h FROM demo_leaves WHERE i = 2), 0, 5, ARRAY[l1, n23, l4],
           proofchain.rfc6962_node_hash(proofchain.rfc6962_node_hash(n01, n23), l4)) AS wrong_leaf_included,
       proofchain.verify_consistency(4, 5, proofchain.rfc6962_node_hash(n01, n23),
           proofchain.rfc6962_node_hash(proofchain.rfc6962_node_hash(n01, n23), l4), ARRAY[l4]) AS four_is_prefix_of_five
  FROM demo_tree;
COMMIT;

\echo '== 5. Content ids are RFC 8785: key order and whitespace do not matter =='
SELECT proofchain.content_id('{"b": 2, "a": [1.0, "x"]}') AS id_1,
       proofchain.content_id(E'{\n  "a": [1, "x"],\n  "b": 2.00\n}') AS id_2;

\echo '== 6. Bad input raises a specific SQLSTATE, never a traceback =='
DO $$
BEGIN
    PERFORM proofchain.verify_inclusion('\x00', 0, 1, '{}', '\x00');
EXCEPTION WHEN invalid_parameter_value THEN
    RAISE NOTICE 'verify_inclusion(1-byte hash) -> SQLSTATE 22023: %', SQLERRM;
END
$$;
