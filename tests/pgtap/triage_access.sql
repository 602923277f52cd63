-- Triage: no materialized view or summary is reachable by a client role except through
-- a tenant-filtering function. Catalog-driven, so a view added later (watchlist alerts,
-- ledger decisions) is covered without editing this file; the second half plants one
-- violation per rule and shows it is caught. The two-tenant behaviour is in
-- tests/test_triage.py.
BEGIN;
SELECT plan(9);

-- One row per broken rule: (object, problem).
CREATE FUNCTION pg_temp.triage_violations() RETURNS TABLE (object text, problem text) LANGUAGE sql AS $$
    WITH module_schemas AS (
        SELECT unnest(ARRAY['core', 'attestor', 'proofchain', 'vex', 'vexhub', 'verdict', 'trustverdict', 'watchlist',
                            'unknowns', 'triage', 'audit', 'health', '_pgattest']::name[]) AS nspname
    ), matviews AS (
        SELECT c.oid, c.oid::regclass::text AS name
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind = 'm' AND n.nspname IN (SELECT nspname FROM module_schemas)
    ), summaries AS (  -- what a dashboard summarizes across tenants: the views and their registry
        SELECT oid, name FROM matviews
        UNION ALL SELECT '_pgattest.triage_views'::regclass, '_pgattest.triage_views'
    ), client_roles AS (
        SELECT unnest(ARRAY['pgattest_app', 'pgattest_worker', 'pgattest_admin']) AS role
    )
    -- No client role holds any privilege on a summary (a materialized view has no RLS).
    SELECT s.name, r.role || ' holds ' || p.priv
      FROM summaries s CROSS JOIN client_roles r
     CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p(priv)
     WHERE has_table_privilege(r.role, s.oid, p.priv)
    UNION ALL
    -- Nor on any of their columns.
    SELECT s.name || '.' || a.attname, r.role || ' holds a column privilege'
      FROM summaries s JOIN pg_attribute a ON a.attrelid = s.oid AND a.attnum > 0 CROSS JOIN client_roles r
     WHERE has_column_privilege(r.role, s.oid, a.attnum, 'SELECT')
    UNION ALL
    -- No view reads a materialized view (a view would run with someone's rights over all tenants).
    SELECT v.oid::regclass::text, 'view reads materialized view ' || m.name
      FROM pg_rewrite rw JOIN pg_class v ON v.oid = rw.ev_class AND v.relkind = 'v'
      JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
      JOIN matviews m ON m.oid = d.refobjid
    UNION ALL
    -- Every materialized view is registered (so refreshed, with refreshed_at) and can be
    -- refreshed concurrently (a unique index on plain columns, no predicate).
    SELECT m.name, 'not in _pgattest.triage_views'
      FROM matviews m WHERE m.name NOT IN (SELECT view_name FROM _pgattest.triage_views)
    UNION ALL
    SELECT m.name, 'no unique index for REFRESH CONCURRENTLY'
      FROM matviews m
     WHERE NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = m.oid AND i.indisunique AND i.indpred IS NULL
                          AND i.indexprs IS NULL)
    UNION ALL
    -- A function a client role may call that names a summary must filter on the current
    -- tenant (core.require_tenant, compared with tenant_id), unless it is the registry's
    -- own reader, which shows no tenant data.
    SELECT p.oid::regprocedure::text, r.role || ' may call it and it reads ' || s.name || ' without the tenant filter'
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      JOIN summaries s ON p.prosrc LIKE '%' || s.name || '%'
     CROSS JOIN client_roles r
     WHERE n.nspname IN (SELECT nspname FROM module_schemas)
       AND has_function_privilege(r.role, p.oid, 'EXECUTE')
       AND s.name <> '_pgattest.triage_views'
       AND NOT (p.prosrc LIKE '%core.require_tenant()%' AND p.prosrc ~ 'tenant_id = ')
    UNION ALL
    -- The functions that compute a summary across tenants are for the views' owner alone.
    SELECT p.oid::regprocedure::text, r.role || ' may call a cross-tenant triage source'
      FROM pg_proc p CROSS JOIN client_roles r
     WHERE p.pronamespace = '_pgattest'::regnamespace AND p.proname LIKE 'triage\_%'
       AND has_function_privilege(r.role, p.oid, 'EXECUTE')
$$;

SELECT is_empty('SELECT * FROM pg_temp.triage_violations()',
                'no client role reaches a materialized view or summary except through a tenant-filtering function');
SELECT ok((SELECT count(*) FROM pg_class WHERE relkind = 'm' AND relnamespace = '_pgattest'::regnamespace) >= 3,
          'the checks see the triage materialized views');
SELECT set_eq('SELECT view_name FROM _pgattest.triage_views',
              $$SELECT oid::regclass::text FROM pg_class WHERE relkind = 'm' AND relnamespace = '_pgattest'::regnamespace$$,
              'every registered view exists and every triage materialized view is registered');

-- Break each rule once.
SET LOCAL ROLE pgattest_owner;
CREATE MATERIALIZED VIEW _pgattest.triage_leaky AS SELECT 'a'::text AS tenant_id, 1 AS n;
GRANT SELECT ON _pgattest.triage_leaky TO pgattest_app;
SELECT set_has($$SELECT problem FROM pg_temp.triage_violations() WHERE object = '_pgattest.triage_leaky'$$,
               $$VALUES ('pgattest_app holds SELECT'), ('not in _pgattest.triage_views'),
                        ('no unique index for REFRESH CONCURRENTLY')$$,
               'a materialized view granted to pgattest_app, unregistered, without a unique index, is reported');
REVOKE SELECT ON _pgattest.triage_leaky FROM pgattest_app;
GRANT SELECT (n) ON _pgattest.triage_leaky TO pgattest_worker;
SELECT set_has($$SELECT problem FROM pg_temp.triage_violations() WHERE object = '_pgattest.triage_leaky.n'$$,
               $$VALUES ('pgattest_worker holds a column privilege')$$,
               'a column grant on a materialized view is reported');

CREATE VIEW triage.leaky_view WITH (security_invoker = true) AS SELECT * FROM _pgattest.triage_vex_status;
SELECT set_has($$SELECT problem FROM pg_temp.triage_violations() WHERE object = 'triage.leaky_view'$$,
               $$VALUES ('view reads materialized view _pgattest.triage_vex_status')$$,
               'a view over a materialized view is reported');

CREATE FUNCTION triage.leaky_counts() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS 'SELECT sum(observations) FROM _pgattest.triage_vex_status';
GRANT EXECUTE ON FUNCTION triage.leaky_counts() TO pgattest_app;
SELECT set_has($$SELECT problem FROM pg_temp.triage_violations() WHERE object = 'triage.leaky_counts()'$$,
               $$VALUES ('pgattest_app may call it and it reads _pgattest.triage_vex_status without the tenant filter')$$,
               'a function reading a materialized view for every tenant, callable by pgattest_app, is reported');
-- The same function filtering on the current tenant passes.
CREATE FUNCTION triage.tenant_counts() RETURNS bigint LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'SELECT sum(observations) FROM _pgattest.triage_vex_status WHERE tenant_id = (SELECT core.require_tenant())';
GRANT EXECUTE ON FUNCTION triage.tenant_counts() TO pgattest_app;
SELECT is_empty($$SELECT * FROM pg_temp.triage_violations() WHERE object = 'triage.tenant_counts()'$$,
                'a function filtering on the current tenant is the allowed path');
RESET ROLE;
GRANT EXECUTE ON FUNCTION _pgattest.triage_vex_top_rows(integer) TO pgattest_admin;
SELECT set_has($$SELECT problem FROM pg_temp.triage_violations() WHERE object = '_pgattest.triage_vex_top_rows(integer)'$$,
               $$VALUES ('pgattest_admin may call a cross-tenant triage source')$$,
               'a client grant on a cross-tenant source function is reported');

SELECT * FROM finish();
ROLLBACK;
