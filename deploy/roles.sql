-- Deploy pgattest:roles to pg
-- Roles are cluster-wide and shared by every pgattest database on the cluster, so
-- they are created only when missing. None can log in: services log in as their own
-- users and are granted one of these (CREATE ROLE svc LOGIN IN ROLE pgattest_app).

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
            ('pgattest_admin',  'Operators: register tenants, transparency logs and keys.')
        ) AS v(name, purpose)
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r.name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', r.name);
        END IF;
        EXECUTE format('COMMENT ON ROLE %I IS %L', r.name, 'pgattest: ' || r.purpose);
    END LOOP;
END
$roles$;

COMMIT;
