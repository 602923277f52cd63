-- Deploy pgattest:pgattest_monitor to pg
-- requires: roles schemas
-- The monitoring role (issue 21): reads health.check() and health.metrics(), which are
-- aggregates computed by definer functions, and no tenant row. Granted to pg_monitor, so
-- whoever a DBA already lets monitor the cluster (postgres_exporter, CloudNativePG's
-- exporter) can use it without another grant.
--
-- pgattest_system, which owns the definer functions, joins pg_read_all_stats: without it
-- pg_stat_activity hides other users' states and transaction ages from it, and the
-- health figures would silently count only its own sessions.

BEGIN;

DO $role$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'pgattest_monitor') THEN
        CREATE ROLE pgattest_monitor NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
    END IF;
END
$role$;
COMMENT ON ROLE pgattest_monitor IS 'pgattest: Monitoring: health checks and metrics (aggregates only), no tenant row.';

GRANT pgattest_monitor TO pg_monitor;
GRANT pg_read_all_stats TO pgattest_system;
GRANT USAGE ON SCHEMA health TO pgattest_monitor, pgattest_admin, pgattest_system;

COMMIT;
