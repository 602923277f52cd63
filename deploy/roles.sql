-- Deploy pgattest:roles to pg
-- Roles are cluster-wide and shared by every pgattest database on the cluster, so
-- they are created only when missing. None can log in: services log in as their own
-- users and are granted one of these (CREATE ROLE svc LOGIN IN ROLE pgattest_app).
--
-- pgattest_owner owns every table and is subject to RLS (forced), so its SECURITY
-- DEFINER functions stay tenant-scoped. A worker claiming across tenants needs RLS
-- bypassed, which no policy can grant safely; pgattest_system carries BYPASSRLS and owns
-- only those few functions, never a table, and holds only the table privileges they use.

BEGIN;

DO $roles$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT * FROM (VALUES
            ('pgattest_owner',  'Owns every pgattest object; never used by clients.'),
            ('pgattest_app',    'Services: tenant-scoped, subject to row-level security.'),
            ('pgattest_worker', 'Queue workers: act across tenants only through granted functions.'),
            ('pgattest_admin',  'Operators: register tenants, transparency logs and keys.'),
            ('pgattest_system', 'Owns only the SECURITY DEFINER functions that must work across tenants (queue claims); bypasses RLS.')
        ) AS v(name, purpose)
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r.name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION %s', r.name,
                           CASE WHEN r.name = 'pgattest_system' THEN 'BYPASSRLS' ELSE 'NOBYPASSRLS' END);
        END IF;
        EXECUTE format('COMMENT ON ROLE %I IS %L', r.name, 'pgattest: ' || r.purpose);
    END LOOP;
END
$roles$;

COMMIT;
