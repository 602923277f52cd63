-- Tenant isolation as pgattest_app, on a fixture table made with the same helper
-- every real tenant table uses; plus the tenant registry and context functions.
BEGIN;
SELECT plan(34);

-- Fixture: two tenants and a tenant table (all rolled back at the end).
SET LOCAL ROLE pgattest_admin;
SELECT lives_ok($$SELECT core.register_tenant('tenant-a', 'Tenant A')$$, 'an admin registers tenant-a');
SELECT lives_ok($$SELECT core.register_tenant('tenant-b', 'Tenant B')$$, 'an admin registers tenant-b');
SELECT throws_ok($$SELECT core.register_tenant('tenant-a', 'Again')$$, '23505', 'tenant tenant-a is already registered',
                 'registering a tenant twice raises 23505 naming it');
SELECT throws_ok($$SELECT core.register_tenant('Bad Slug', 'x')$$, '22023', 'invalid tenant_id ''Bad Slug''',
                 'a tenant id that is not a slug raises 22023 naming it');
SELECT throws_ok($$SELECT core.register_tenant(NULL, 'x')$$, '22023', 'invalid tenant_id NULL',
                 'a NULL tenant id raises 22023');
SELECT throws_ok($$SELECT core.register_tenant('tenant-c', '  ')$$, '22023', NULL,
                 'a blank display name raises 22023');
SELECT is((SELECT count(*)::int FROM core.tenants WHERE tenant_id LIKE 'tenant-_'), 2, 'an admin sees every tenant');
RESET ROLE;

SET LOCAL ROLE pgattest_owner;
CREATE TABLE core.rls_fixture (
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    tenant_id  text        NOT NULL REFERENCES core.tenants,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    note       text        NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, note)
);
SELECT _pgattest.enable_tenancy('core.rls_fixture');
GRANT SELECT, INSERT, UPDATE, DELETE ON core.rls_fixture TO pgattest_app;
RESET ROLE;

SET LOCAL ROLE pgattest_app;
SELECT throws_ok($$SELECT core.register_tenant('tenant-x', 'X')$$, '42501', NULL,
                 'an application cannot register tenants');

-- Tenant A writes; tenant_id comes from the context.
SELECT core.set_tenant('tenant-a');
INSERT INTO core.rls_fixture (note) VALUES ('a1'), ('a2');
SELECT is((SELECT array_agg(DISTINCT tenant_id) FROM core.rls_fixture), ARRAY['tenant-a'],
          'tenant_id defaults to the current tenant');
SELECT is((SELECT array_agg(tenant_id) FROM core.tenants), ARRAY['tenant-a'],
          'an application sees only its own tenant in the registry');

-- Tenant B writes.
SELECT core.set_tenant('tenant-b');
INSERT INTO core.rls_fixture (note) VALUES ('b1');
SELECT results_eq('SELECT note FROM core.rls_fixture ORDER BY note', $$VALUES ('b1')$$,
                  'tenant B sees only its own rows');

-- Tenant A cannot reach B's rows in any way.
SELECT core.set_tenant('tenant-a');
SELECT results_eq('SELECT note FROM core.rls_fixture ORDER BY note', $$VALUES ('a1'), ('a2')$$,
                  'tenant A sees only its own rows');
SELECT is_empty($$SELECT 1 FROM core.rls_fixture WHERE tenant_id = 'tenant-b'$$,
                'tenant A finds nothing when asking for tenant B rows by tenant_id');
SELECT results_eq($$WITH u AS (UPDATE core.rls_fixture SET note = 'hijacked' WHERE note = 'b1' RETURNING 1)
                    SELECT count(*)::int FROM u$$, ARRAY[0], 'tenant A updates no tenant B row');
SELECT results_eq($$WITH d AS (DELETE FROM core.rls_fixture WHERE note = 'b1' RETURNING 1)
                    SELECT count(*)::int FROM d$$, ARRAY[0], 'tenant A deletes no tenant B row');
SELECT throws_ok($$INSERT INTO core.rls_fixture (tenant_id, note) VALUES ('tenant-b', 'planted')$$, '42501', NULL,
                 'tenant A cannot insert a row for tenant B');
SELECT throws_ok($$UPDATE core.rls_fixture SET tenant_id = 'tenant-b' WHERE note = 'a1'$$, '42501', NULL,
                 'tenant A cannot move its row to tenant B');
SELECT lives_ok($$INSERT INTO core.rls_fixture (note) VALUES ('b1')$$,
                'tenant A may use a value tenant B uses in a per-tenant unique key (no existence leak)');

-- updated_at is maintained by the trigger.
SELECT results_eq($$WITH u AS (UPDATE core.rls_fixture SET note = 'a1-edited' WHERE note = 'a1'
                                RETURNING updated_at > created_at AS moved)
                    SELECT bool_and(moved) FROM u$$, ARRAY[true], 'an update moves updated_at forward');

-- No tenant: nothing visible, nothing writable.
SELECT set_config('app.tenant_id', '', true);
SELECT is_empty('SELECT * FROM core.rls_fixture', 'with an empty tenant setting no rows are visible');
SELECT throws_ok($$INSERT INTO core.rls_fixture (note) VALUES ('orphan')$$, '42501', NULL,
                 'with no tenant set an insert is rejected with 42501');
SELECT throws_ok($$INSERT INTO core.rls_fixture (tenant_id, note) VALUES ('tenant-a', 'forged')$$, '42501', NULL,
                 'with no tenant set an insert naming a tenant is rejected with 42501');
SELECT is_empty('SELECT * FROM core.tenants', 'with no tenant set the registry shows nothing');
SELECT is(core.current_tenant(), NULL, 'core.current_tenant() is NULL for an empty setting');
SELECT throws_ok('SELECT core.require_tenant()', '42501', 'no tenant set for this transaction',
                 'core.require_tenant() raises 42501 when no tenant is set');

-- An unknown tenant cannot be set; a raw setting of it counts as no tenant.
SELECT throws_ok($$SELECT core.set_tenant('no-such-tenant')$$, '42501', NULL,
                 'core.set_tenant() refuses an unregistered tenant');
SELECT throws_ok($$SELECT core.set_tenant('Not A Slug')$$, '22023', NULL,
                 'core.set_tenant() refuses a malformed tenant id');
-- (This file is one transaction: clear the marker core.set_tenant() left, as a new
-- transaction would have none.)
SELECT set_config('pgattest.tenant_xact', '', true);
SELECT set_config('app.tenant_id', 'tenant-a', true);
SELECT is(core.current_tenant(), NULL,
          'app.tenant_id set without core.set_tenant() counts as no tenant');
SELECT is_empty('SELECT * FROM core.rls_fixture', 'a raw app.tenant_id setting sees no rows');
SELECT throws_ok($$INSERT INTO core.rls_fixture (note) VALUES ('ghost')$$, '42501', NULL,
                 'a raw app.tenant_id setting cannot insert');
RESET ROLE;

-- The worker role has no direct access to tenant tables.
SET LOCAL ROLE pgattest_worker;
SELECT throws_ok('SELECT * FROM core.rls_fixture', '42501', NULL, 'pgattest_worker cannot read tenant tables directly');
RESET ROLE;

-- The owner is subject to the policies too (FORCE), so definer functions stay tenant-scoped.
SET LOCAL ROLE pgattest_owner;
SELECT core.set_tenant('tenant-b');
SELECT results_eq('SELECT note FROM core.rls_fixture ORDER BY note', $$VALUES ('b1')$$,
                  'the owner role sees only the current tenant''s rows (RLS is forced)');
SELECT set_config('app.tenant_id', '', true);
SELECT is_empty('SELECT * FROM core.rls_fixture', 'the owner role sees nothing without a tenant');
RESET ROLE;

SELECT is((SELECT count(*)::int FROM core.rls_fixture), 4, 'all four rows are really there (as superuser)');

SELECT * FROM finish();
ROLLBACK;
