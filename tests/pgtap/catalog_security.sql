-- Catalog-driven checks: they read pg_catalog, so every table, view and function a
-- later change adds is covered without editing this file. The second half plants one
-- broken object per rule and shows the rule catches it, so no check passes vacuously.
BEGIN;
SELECT plan(37);

-- Global tables: not tenant-scoped by design. Each entry says why.
CREATE TEMP TABLE global_tables (tbl regclass PRIMARY KEY, why text NOT NULL) ON COMMIT DROP;
INSERT INTO global_tables VALUES
    -- The registry tenant tables reference; RLS shows an application only its own row.
    ('core.tenants', 'tenant registry'),
    -- Which logins may act for which tenants: read only by core.current_tenant() (definer);
    -- no application role reads it (a login must not learn another's bindings).
    ('core.tenant_logins', 'login-to-tenant bindings, read only by definer functions'),
    -- Transparency logs, their checkpoints and split-view evidence are public log
    -- state shared by every tenant: the same log key and tree for all of them.
    ('attestor.transparency_logs', 'shared transparency-log registry'),
    ('attestor.rekor_checkpoints', 'public signed checkpoints of the shared logs'),
    ('attestor.split_views', 'evidence against a shared log'),
    -- who administered a shared log (key name, window, state, lifted freezes) and why.
    ('attestor.transparency_log_events', 'audit trail of shared-log administration'),
    -- published reference data, the same for every tenant: the VEX importers' vocabulary.
    ('vex.format_mappings', 'published OpenVEX/CSAF/CycloneDX status and justification mapping'),
    -- when health checks warn and fail: operational settings, no tenant data.
    ('health.thresholds', 'health-check thresholds (operations settings)'),
    -- Operators' watchlist rules, matched against every tenant's entries; written only by
    -- watchlist.upsert_global_rule (pgattest_admin); alerts they raise are tenant rows.
    ('watchlist.global_rules', 'operators'' watchlist rules applying to every tenant'),
    -- the code the PL/Python functions run: one library per database, not tenant data.
    ('_pgattest.pylib', 'the PL/Python library, one row per module'),
    -- which triage materialized views exist and when each was refreshed: no tenant data.
    ('_pgattest.triage_views', 'registry of the triage materialized views and their refresh times');
-- The rule checks below also run as pgattest_owner.
GRANT SELECT ON global_tables TO pgattest_owner;

CREATE FUNCTION pg_temp.module_schemas() RETURNS SETOF name LANGUAGE sql AS $$
    SELECT unnest(ARRAY['core', 'attestor', 'proofchain', 'vex', 'vexhub', 'verdict', 'trustverdict',
                        'watchlist', 'unknowns', 'triage', 'audit', 'health', '_pgattest']::name[])
$$;

-- Partitions made at run time are tenant data too (review 2026-11-30 item 3): let
-- audit.maintain_partitions make some now, as the worker would, so the rules see them.
-- (The first month ahead without one: each partition costs a second or two, as every
-- ALTER TABLE fires periods' event triggers.)
CREATE TEMP TABLE run_time_partition ON COMMIT DROP AS
SELECT i AS months_ahead, name
  FROM generate_series(0, 24) AS i,
       format('audit.events_%s', to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i),
                                         'YYYY"m"MM')) AS name
 WHERE to_regclass(name) IS NULL
 ORDER BY i LIMIT 1;
SELECT ok((SELECT count(*) FROM run_time_partition r, audit.maintain_partitions(r.months_ahead) m
            WHERE m.action = 'created' AND m.partition_name = r.name) = 1,
          'audit.maintain_partitions made a partition at run time, which the rules below check');

-- One row per broken rule: (object, problem).
CREATE FUNCTION pg_temp.catalog_violations() RETURNS TABLE (object text, problem text) LANGUAGE sql AS $$
    WITH tenant_tables AS (
        SELECT c.oid, c.oid::regclass::text AS name
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN (SELECT pg_temp.module_schemas()) AND c.relkind IN ('r', 'p')
           AND NOT c.relispartition
           AND c.oid NOT IN (SELECT tbl FROM pg_temp.global_tables)
    ),
    -- Their partitions, at any depth: each leaf is analyzed on its own, and CREATE TABLE
    -- ... PARTITION OF does not copy the parent's statistics targets.
    tenant_tables_and_partitions AS (
        SELECT t.oid, t.name FROM tenant_tables t
        UNION
        SELECT pt.relid, pt.relid::regclass::text
          FROM tenant_tables t, pg_partition_tree(t.oid) pt
         WHERE pt.relid <> t.oid
    )
    -- tenant-table columns
    SELECT t.name, 'missing column ' || col
      FROM tenant_tables t, unnest(ARRAY['id', 'tenant_id', 'created_at', 'updated_at']) AS col
     WHERE NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = col
                          AND a.attnotnull AND NOT a.attisdropped)
    UNION ALL
    SELECT t.name, 'row-level security not enabled and forced'
      FROM tenant_tables t JOIN pg_class c ON c.oid = t.oid
     WHERE NOT (c.relrowsecurity AND c.relforcerowsecurity)
    UNION ALL
    SELECT t.name, 'no tenant policy for all commands'
      FROM tenant_tables t
     WHERE NOT EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = t.oid AND p.polcmd = '*'
                          AND pg_get_expr(p.polqual, p.polrelid) LIKE '%tenant_id = ( SELECT core.current_tenant()%'
                          AND pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%tenant_id = ( SELECT core.current_tenant()%')
    UNION ALL
    -- A permissive policy is OR-ed with the others: one without the tenant test opens the table.
    SELECT t.name || ' policy ' || p.polname, 'permissive policy without the tenant test'
      FROM tenant_tables t JOIN pg_policy p ON p.polrelid = t.oid
     WHERE p.polpermissive
       AND (coalesce(pg_get_expr(p.polqual, p.polrelid), '') NOT LIKE '%tenant_id = ( SELECT core.current_tenant()%'
            OR (p.polcmd IN ('*', 'a', 'w')
                AND coalesce(pg_get_expr(p.polwithcheck, p.polrelid), pg_get_expr(p.polqual, p.polrelid), '')
                    NOT LIKE '%tenant_id = ( SELECT core.current_tenant()%'))
    UNION ALL
    SELECT t.name || ' key ' || i.indexrelid::regclass::text, 'primary or unique key without tenant_id'
      FROM tenant_tables t JOIN pg_index i ON i.indrelid = t.oid
     WHERE (i.indisunique OR i.indisprimary)
       AND NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'tenant_id'
                          AND a.attnum = ANY (i.indkey))
    UNION ALL
    SELECT t.name, 'no primary key'
      FROM tenant_tables t WHERE NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = t.oid AND i.indisprimary)
    UNION ALL
    SELECT t.name, 'tenant_id does not reference core.tenants'
      FROM tenant_tables t
     WHERE NOT EXISTS (SELECT FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
                        WHERE k.conrelid = t.oid AND k.contype = 'f' AND k.confrelid = 'core.tenants'::regclass
                          AND a.attname = 'tenant_id')
    UNION ALL
    SELECT t.name, 'no updated_at trigger'
      FROM tenant_tables t
     WHERE NOT EXISTS (SELECT FROM pg_trigger g WHERE g.tgrelid = t.oid AND NOT g.tgisinternal
                          AND g.tgfoid = '_pgattest.touch_updated_at()'::regprocedure)
    UNION ALL
    -- Views run with their owner's rights unless security_invoker: RLS would be bypassed.
    SELECT c.oid::regclass::text, 'view without security_invoker'
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN (SELECT pg_temp.module_schemas()) AND c.relkind = 'v'
       AND NOT coalesce('security_invoker=true' = ANY (c.reloptions)
                        OR 'security_invoker=on' = ANY (c.reloptions), false)
    UNION ALL
    SELECT p.oid::regprocedure::text, 'SECURITY DEFINER without a pinned search_path'
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname IN (SELECT pg_temp.module_schemas()) AND p.prosecdef
       AND NOT EXISTS (SELECT FROM unnest(p.proconfig) AS cfg WHERE cfg LIKE 'search\_path=%')
    UNION ALL
    -- Every other function pins it too (issue 15 item 11): an invoker function resolves
    -- names with its caller's search_path, which a hostile caller controls. PL/Python
    -- wrappers are the exception: _pgattest.define_py_function refuses SET clauses, and
    -- they run one schema-qualified query (the library load) and no other SQL.
    SELECT p.oid::regprocedure::text, 'function without a pinned search_path'
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
     WHERE n.nspname IN (SELECT pg_temp.module_schemas()) AND NOT p.prosecdef AND l.lanname <> 'plpython3u'
       -- A SQL-standard body (BEGIN ATOMIC, RETURN) is bound to its objects when created, so
       -- no search_path reaches it; without a SET clause it can still be inlined.
       AND p.prosqlbody IS NULL
       AND NOT EXISTS (SELECT FROM unnest(p.proconfig) AS cfg WHERE cfg LIKE 'search\_path=%')
    UNION ALL
    -- Planner statistics are gathered over every tenant's rows and shown by EXPLAIN to
    -- anyone who may query the table (issue 15 item 2): tenant tables keep none.
    SELECT t.name || '.' || a.attname, 'column with planner statistics'
      FROM tenant_tables_and_partitions t JOIN pg_attribute a ON a.attrelid = t.oid
     WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attstattarget <> 0
    UNION ALL
    -- An index's expression columns have statistics of their own (ANALYZE samples them).
    SELECT i.indexrelid::regclass::text || '.' || a.attname, 'index expression with planner statistics'
      FROM tenant_tables_and_partitions t JOIN pg_index i ON i.indrelid = t.oid
      JOIN pg_attribute a ON a.attrelid = i.indexrelid
     WHERE a.attnum > 0 AND i.indkey[a.attnum - 1] = 0 AND a.attstattarget <> 0
    UNION ALL
    -- One sequence numbers every tenant's rows: the gaps count the other tenants' (item 3).
    SELECT t.name || '.' || a.attname, 'column numbered by a sequence shared by all tenants'
      FROM tenant_tables t JOIN pg_attribute a ON a.attrelid = t.oid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attnum > 0 AND NOT a.attisdropped
       AND (a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval(%')
    UNION ALL
    -- A NULL proacl means the built-in default, which includes EXECUTE for PUBLIC.
    SELECT p.oid::regprocedure::text, 'executable by PUBLIC'
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname IN (SELECT pg_temp.module_schemas())
       AND (p.proacl IS NULL OR EXISTS (SELECT FROM aclexplode(p.proacl) x WHERE x.grantee = 0))
    UNION ALL
    SELECT c.oid::regclass::text, 'privileges granted to PUBLIC'
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN (SELECT pg_temp.module_schemas())
       AND EXISTS (SELECT FROM aclexplode(c.relacl) x WHERE x.grantee = 0)
    UNION ALL
    SELECT n.nspname::text, 'schema privileges granted to PUBLIC'
      FROM pg_namespace n
     WHERE n.nspname IN (SELECT pg_temp.module_schemas())
       AND EXISTS (SELECT FROM aclexplode(n.nspacl) x WHERE x.grantee = 0)
    UNION ALL
    -- Anywhere in the database, extensions' functions included (review 2026-11-30 item 1:
    -- periods' SECURITY DEFINER functions let any login drop the unknowns' history). A
    -- definer function runs with its owner's rights: PUBLIC must never be able to call one.
    SELECT p.oid::regprocedure::text, 'SECURITY DEFINER function executable by PUBLIC'
      FROM pg_proc p
     WHERE p.prosecdef
       AND (p.proacl IS NULL OR EXISTS (SELECT FROM aclexplode(p.proacl) x WHERE x.grantee = 0))
    UNION ALL
    -- An extension's schema (periods) is not an API: only the standard ones are open to all.
    SELECT n.nspname::text, 'schema usable by PUBLIC'
      FROM pg_namespace n
     WHERE n.nspname NOT IN ('public', 'pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
       AND n.nspname NOT IN (SELECT pg_temp.module_schemas())
       AND EXISTS (SELECT FROM aclexplode(n.nspacl) x WHERE x.grantee = 0)
    UNION ALL
    -- An event trigger runs its function as whoever issues the DDL, a superuser at every
    -- deploy: a function a non-superuser owns (and so may replace) is a way to become one
    -- (review item 5).
    SELECT e.evtname::text || ' runs ' || p.oid::regprocedure::text, 'event trigger function not owned by a superuser'
      FROM pg_event_trigger e JOIN pg_proc p ON p.oid = e.evtfoid JOIN pg_roles r ON r.oid = p.proowner
     WHERE NOT r.rolsuper
    UNION ALL
    SELECT c.oid::regclass::text, 'not owned by pgattest_owner'
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN (SELECT pg_temp.module_schemas()) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND c.relowner <> 'pgattest_owner'::regrole
    UNION ALL
    -- pgattest_system (BYPASSRLS) may own only SECURITY DEFINER functions: the few that
    -- must work across tenants. Anything else it owned would escape RLS.
    SELECT p.oid::regprocedure::text, 'not owned by pgattest_owner'
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname IN (SELECT pg_temp.module_schemas()) AND p.proowner <> 'pgattest_owner'::regrole
       AND NOT (p.proowner = 'pgattest_system'::regrole AND p.prosecdef)
       -- Event-trigger functions belong to a superuser (the rule above).
       AND NOT (p.oid IN (SELECT evtfoid FROM pg_event_trigger)
                AND EXISTS (SELECT FROM pg_roles r WHERE r.oid = p.proowner AND r.rolsuper))
$$;

-- Audit and partition checks (issue 18), separate from the rules above.
-- Tenant tables whose writes are recorded another way, so they carry no audit trigger.
-- Each entry says why.
CREATE TEMP TABLE unaudited_tables (tbl regclass PRIMARY KEY, why text NOT NULL) ON COMMIT DROP;
INSERT INTO unaudited_tables VALUES
    -- The audit log itself: its rows are the record, and auditing them would recurse.
    ('audit.events', 'the audit log');
GRANT SELECT ON unaudited_tables TO pgattest_owner;

CREATE FUNCTION pg_temp.audit_violations() RETURNS TABLE (object text, problem text) LANGUAGE sql AS $$
    WITH tenant_tables AS (
        SELECT c.oid, c.oid::regclass::text AS name
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN (SELECT pg_temp.module_schemas()) AND c.relkind IN ('r', 'p')
           AND NOT c.relispartition
           AND c.oid NOT IN (SELECT tbl FROM pg_temp.global_tables)
    )
    -- One AFTER ... FOR EACH STATEMENT trigger per event, running the audit function.
    SELECT t.name, 'no audit trigger for ' || ev.name
      FROM tenant_tables t
     CROSS JOIN (VALUES (4, 'INSERT'), (8, 'DELETE'), (16, 'UPDATE')) AS ev(bit, name)
     WHERE t.oid NOT IN (SELECT tbl FROM pg_temp.unaudited_tables)
       AND NOT EXISTS (SELECT FROM pg_trigger g
                        WHERE g.tgrelid = t.oid AND NOT g.tgisinternal AND g.tgenabled <> 'D'
                          AND g.tgfoid = '_pgattest.audit_changes()'::regprocedure
                          AND g.tgtype & ev.bit <> 0 AND g.tgtype & 1 = 0)
    UNION ALL
    -- Forced RLS on a parent does not protect a partition queried by name: every child
    -- (any pg_inherits child of a table in the module schemas) carries its own.
    SELECT c.oid::regclass::text, 'partition without row-level security enabled and forced'
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      JOIN pg_namespace n ON n.oid = p.relnamespace
     WHERE n.nspname IN (SELECT pg_temp.module_schemas()) AND c.relkind IN ('r', 'p')
       AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
    UNION ALL
    SELECT c.oid::regclass::text, 'partition without the tenant policy'
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      JOIN pg_namespace n ON n.oid = p.relnamespace
     WHERE n.nspname IN (SELECT pg_temp.module_schemas()) AND c.relkind IN ('r', 'p')
       AND NOT EXISTS (SELECT FROM pg_policy pol WHERE pol.polrelid = c.oid AND pol.polcmd = '*'
                          AND pg_get_expr(pol.polqual, pol.polrelid) LIKE '%tenant_id = ( SELECT core.current_tenant()%'
                          AND pg_get_expr(pol.polwithcheck, pol.polrelid) LIKE '%tenant_id = ( SELECT core.current_tenant()%')
    UNION ALL
    SELECT c.oid::regclass::text, 'partition with direct grants'
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      JOIN pg_namespace n ON n.oid = p.relnamespace
     WHERE n.nspname IN (SELECT pg_temp.module_schemas()) AND c.relkind IN ('r', 'p')
       AND EXISTS (SELECT FROM aclexplode(c.relacl) x WHERE x.grantee <> c.relowner)
$$;


SELECT is_empty('SELECT * FROM pg_temp.catalog_violations()',
                'every table, view and function in the module schemas follows the security conventions');
SELECT is_empty('SELECT * FROM pg_temp.audit_violations()',
                'every tenant table is audited, and every partition has forced RLS, the tenant policy and no grants');
SELECT ok((SELECT count(*) FROM pg_inherits WHERE inhparent = 'audit.events'::regclass) >= 1
          AND (SELECT count(*) FROM pg_trigger WHERE tgfoid = '_pgattest.audit_changes()'::regprocedure) >= 3,
          'the audit checks see partitions and audit triggers');

-- periods: the extension's own schema (its catalog of periods and system versioning).
SELECT schemas_are(ARRAY['public', 'sqitch', 'periods', 'core', 'attestor', 'proofchain', 'vex', 'vexhub', 'verdict',
                         'trustverdict', 'watchlist', 'unknowns', 'triage', 'audit', 'health', '_pgattest'],
                   'the module schemas exist, and nothing else');

SELECT ok((SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN (SELECT pg_temp.module_schemas()) AND c.relkind IN ('r', 'p')) >= 1,
          'the catalog checks see at least one table');

-- Now break each rule once and watch it get caught.
CREATE TABLE core.broken_tenant_table (
    id        bigint NOT NULL,
    tenant_id text   NOT NULL,
    code      text   UNIQUE
);
CREATE POLICY open_door ON core.broken_tenant_table USING (true);
CREATE VIEW core.broken_view AS SELECT 1 AS one;
CREATE FUNCTION core.broken_definer() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
GRANT SELECT ON core.broken_view TO PUBLIC;

SELECT set_has('SELECT problem FROM pg_temp.catalog_violations() WHERE object LIKE ''core.broken_tenant_table%''',
               $$VALUES ('missing column created_at'), ('missing column updated_at'),
                        ('row-level security not enabled and forced'), ('no tenant policy for all commands'),
                        ('permissive policy without the tenant test'), ('primary or unique key without tenant_id'),
                        ('no primary key'), ('tenant_id does not reference core.tenants'),
                        ('no updated_at trigger'), ('not owned by pgattest_owner')$$,
               'a table breaking the tenant-table convention is reported for each rule it breaks');
SELECT set_has('SELECT problem FROM pg_temp.catalog_violations() WHERE object = ''core.broken_view''',
               $$VALUES ('view without security_invoker'), ('privileges granted to PUBLIC')$$,
               'a view without security_invoker, readable by PUBLIC, is reported');
SELECT set_has('SELECT problem FROM pg_temp.catalog_violations() WHERE object = ''core.broken_definer()''',
               $$VALUES ('SECURITY DEFINER without a pinned search_path'), ('executable by PUBLIC')$$,
               'a SECURITY DEFINER function without search_path, executable by PUBLIC, is reported');

GRANT USAGE ON SCHEMA health TO PUBLIC;
SELECT set_has('SELECT problem FROM pg_temp.catalog_violations() WHERE object = ''health''',
               $$VALUES ('schema privileges granted to PUBLIC')$$,
               'a module schema usable by PUBLIC is reported');

-- Each tenant-table rule on its own, on an otherwise correct table.
SET LOCAL ROLE pgattest_owner;
CREATE TABLE core.almost_right (
    id         bigint      NOT NULL,
    tenant_id  text        NOT NULL REFERENCES core.tenants,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('core.almost_right');
SELECT is_empty('SELECT * FROM pg_temp.catalog_violations() WHERE object LIKE ''core.almost_right%''',
                'a table set up with _pgattest.enable_tenancy() passes every rule');
ALTER TABLE core.almost_right NO FORCE ROW LEVEL SECURITY;
SELECT set_eq('SELECT problem FROM pg_temp.catalog_violations() WHERE object LIKE ''core.almost_right%''',
              $$VALUES ('row-level security not enabled and forced')$$,
              'RLS that is enabled but not forced is reported');
ALTER TABLE core.almost_right FORCE ROW LEVEL SECURITY;
CREATE UNIQUE INDEX almost_right_code ON core.almost_right (id);
SELECT set_eq('SELECT problem FROM pg_temp.catalog_violations() WHERE object LIKE ''core.almost_right%''',
              $$VALUES ('primary or unique key without tenant_id')$$,
              'a unique index without tenant_id is reported');
DROP INDEX core.almost_right_code;
CREATE POLICY reads_all ON core.almost_right FOR SELECT USING (tenant_id IS NOT NULL);
SELECT set_eq('SELECT problem FROM pg_temp.catalog_violations() WHERE object LIKE ''core.almost_right%''',
              $$VALUES ('permissive policy without the tenant test')$$,
              'an extra permissive policy without the tenant test is reported');
DROP POLICY reads_all ON core.almost_right;
CREATE POLICY restrictive_extra ON core.almost_right AS RESTRICTIVE FOR SELECT USING (id > 0);
SELECT is_empty('SELECT * FROM pg_temp.catalog_violations() WHERE object LIKE ''core.almost_right%''',
                'an extra restrictive policy is fine: it can only narrow access');
CREATE FUNCTION core.almost_right_fn() RETURNS int LANGUAGE sql SET search_path = pg_catalog, pg_temp AS 'SELECT 1';
SELECT is_empty('SELECT * FROM pg_temp.catalog_violations() WHERE object = ''core.almost_right_fn()''',
                'default privileges keep a new owner function from PUBLIC');
GRANT EXECUTE ON FUNCTION core.almost_right_fn() TO PUBLIC;
SELECT set_eq('SELECT problem FROM pg_temp.catalog_violations() WHERE object = ''core.almost_right_fn()''',
              $$VALUES ('executable by PUBLIC')$$,
              'an explicit EXECUTE grant to PUBLIC is reported');
ALTER TABLE core.almost_right ALTER COLUMN tenant_id SET STATISTICS 100;
SELECT set_eq('SELECT problem FROM pg_temp.catalog_violations() WHERE object LIKE ''core.almost_right.%''',
              $$VALUES ('column with planner statistics')$$,
              'a tenant-table column with planner statistics is reported');
ALTER TABLE core.almost_right ALTER COLUMN tenant_id SET STATISTICS 0;
ALTER TABLE core.almost_right ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE core.almost_right ALTER COLUMN seq SET STATISTICS 0;
SELECT set_eq('SELECT problem FROM pg_temp.catalog_violations() WHERE object LIKE ''core.almost_right.%''',
              $$VALUES ('column numbered by a sequence shared by all tenants')$$,
              'a tenant-table column numbered by a global sequence is reported');
ALTER TABLE core.almost_right DROP COLUMN seq;
CREATE FUNCTION core.unpinned_invoker() RETURNS int LANGUAGE sql AS 'SELECT 1';
SELECT set_eq('SELECT problem FROM pg_temp.catalog_violations() WHERE object = ''core.unpinned_invoker()''',
              $$VALUES ('function without a pinned search_path')$$,
              'a SECURITY INVOKER function without a pinned search_path is reported');
RESET ROLE;
CREATE FUNCTION core.python_wrapper() RETURNS int LANGUAGE plpython3u AS 'return 1';
REVOKE ALL ON FUNCTION core.python_wrapper() FROM PUBLIC;
ALTER FUNCTION core.python_wrapper() OWNER TO pgattest_owner;
SELECT is_empty('SELECT * FROM pg_temp.catalog_violations() WHERE object = ''core.python_wrapper()''',
                'a PL/Python wrapper is exempt from the search_path rule');

CREATE FUNCTION core.system_invoker() RETURNS int LANGUAGE sql SET search_path = pg_catalog, pg_temp AS 'SELECT 1';
REVOKE ALL ON FUNCTION core.system_invoker() FROM PUBLIC;
ALTER FUNCTION core.system_invoker() OWNER TO pgattest_system;
SELECT set_eq('SELECT problem FROM pg_temp.catalog_violations() WHERE object = ''core.system_invoker()''',
              $$VALUES ('not owned by pgattest_owner')$$,
              'pgattest_system may own only SECURITY DEFINER functions');

SELECT throws_ok($$SELECT _pgattest.enable_tenancy('core.broken_tenant_table')$$, '42P16', NULL,
                 'enable_tenancy() refuses a table without the convention''s columns');
CREATE TABLE core.no_tenant_key (
    id bigint NOT NULL, tenant_id text NOT NULL REFERENCES core.tenants,
    created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
    code text NOT NULL UNIQUE, PRIMARY KEY (tenant_id, id));
SELECT throws_ok($$SELECT _pgattest.enable_tenancy('core.no_tenant_key')$$, '42P16', NULL,
                 'enable_tenancy() refuses a table with a unique key that lacks tenant_id');

-- The audit and partition checks, each broken once.
SET LOCAL ROLE pgattest_owner;
CREATE TABLE core.audited_right (
    id         bigint      NOT NULL,
    tenant_id  text        NOT NULL REFERENCES core.tenants,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('core.audited_right');
SELECT is_empty('SELECT * FROM pg_temp.audit_violations() WHERE object = ''core.audited_right''',
                'a table set up with _pgattest.enable_tenancy() is audited');
DROP TRIGGER audit_update ON core.audited_right;
SELECT set_eq('SELECT problem FROM pg_temp.audit_violations() WHERE object = ''core.audited_right''',
              $$VALUES ('no audit trigger for UPDATE')$$,
              'a tenant table without its UPDATE audit trigger is reported');
ALTER TABLE core.audited_right DISABLE TRIGGER audit_insert;
SELECT set_eq('SELECT problem FROM pg_temp.audit_violations() WHERE object = ''core.audited_right''',
              $$VALUES ('no audit trigger for UPDATE'), ('no audit trigger for INSERT')$$,
              'a disabled audit trigger counts as missing');
CREATE TABLE core.parted_right (
    id         bigint      NOT NULL,
    tenant_id  text        NOT NULL REFERENCES core.tenants,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
) PARTITION BY LIST (tenant_id);
SELECT _pgattest.enable_tenancy('core.parted_right');
CREATE TABLE core.parted_right_a PARTITION OF core.parted_right FOR VALUES IN ('a');
SELECT set_eq('SELECT problem FROM pg_temp.audit_violations() WHERE object = ''core.parted_right_a''',
              $$VALUES ('partition without row-level security enabled and forced'), ('partition without the tenant policy')$$,
              'a partition without its own forced RLS and tenant policy is reported');
ALTER TABLE core.parted_right_a ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.parted_right_a FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON core.parted_right_a FOR ALL
    USING (tenant_id = (SELECT core.current_tenant())) WITH CHECK (tenant_id = (SELECT core.current_tenant()));
SELECT is_empty('SELECT * FROM pg_temp.audit_violations() WHERE object LIKE ''core.parted_right%''',
                'a partition with forced RLS and the tenant policy passes');
SELECT set_has('SELECT problem FROM pg_temp.catalog_violations() WHERE object LIKE ''core.parted_right_a.%''',
               $$VALUES ('column with planner statistics')$$,
               'a partition column with planner statistics is reported (the parent''s targets are not inherited)');
SELECT _pgattest.hide_statistics('core.parted_right_a');
SELECT is_empty('SELECT * FROM pg_temp.catalog_violations() WHERE object LIKE ''core.parted_right%''',
                'a partition given _pgattest.hide_statistics() passes');
GRANT SELECT ON core.parted_right_a TO pgattest_app;
SELECT set_eq('SELECT problem FROM pg_temp.audit_violations() WHERE object = ''core.parted_right_a''',
              $$VALUES ('partition with direct grants')$$,
              'a partition granted to a role directly is reported');
RESET ROLE;
SELECT throws_ok($$SELECT _pgattest.audit_table('audit.events')$$, '42P16', NULL,
                 'the audit log itself cannot be given the audit trigger');

-- Outside the module schemas: definer functions, schemas, event triggers.
CREATE FUNCTION public.broken_public_definer() RETURNS int LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS 'SELECT 1';
SELECT set_eq('SELECT problem FROM pg_temp.catalog_violations() WHERE object LIKE ''%broken_public_definer()''',
              $$VALUES ('SECURITY DEFINER function executable by PUBLIC')$$,
              'a SECURITY DEFINER function executable by PUBLIC is reported in any schema');
CREATE SCHEMA broken_extension_schema;
GRANT USAGE ON SCHEMA broken_extension_schema TO PUBLIC;
SELECT set_eq('SELECT problem FROM pg_temp.catalog_violations() WHERE object = ''broken_extension_schema''',
              $$VALUES ('schema usable by PUBLIC')$$,
              'a schema other than public usable by PUBLIC is reported');
CREATE FUNCTION _pgattest.broken_event_function() RETURNS event_trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS 'BEGIN END';
REVOKE ALL ON FUNCTION _pgattest.broken_event_function() FROM PUBLIC;
ALTER FUNCTION _pgattest.broken_event_function() OWNER TO pgattest_owner;
CREATE EVENT TRIGGER broken_event_trigger ON ddl_command_end WHEN TAG IN ('COMMENT')
    EXECUTE FUNCTION _pgattest.broken_event_function();
SELECT set_eq('SELECT problem FROM pg_temp.catalog_violations() WHERE object LIKE ''broken_event_trigger %''',
              $$VALUES ('event trigger function not owned by a superuser')$$,
              'an event trigger running a function pgattest_owner owns is reported');
ALTER FUNCTION _pgattest.broken_event_function() OWNER TO CURRENT_USER;
SELECT is_empty('SELECT * FROM pg_temp.catalog_violations() WHERE object LIKE ''%broken_event_%''',
                'an event-trigger function owned by a superuser passes (and is exempt from the owner rule)');

SELECT * FROM finish();
ROLLBACK;
