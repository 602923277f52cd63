-- Verify pgattest:pgattest_monitor on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'pgattest_monitor' AND NOT rolcanlogin AND NOT rolbypassrls) THEN
        RAISE EXCEPTION 'role pgattest_monitor is missing, can log in, or bypasses row-level security';
    END IF;
    IF NOT pg_has_role('pg_monitor', 'pgattest_monitor', 'USAGE') THEN
        RAISE EXCEPTION 'pg_monitor members cannot use pgattest_monitor';
    END IF;
    IF NOT pg_has_role('pgattest_system', 'pg_read_all_stats', 'USAGE') THEN
        RAISE EXCEPTION 'pgattest_system does not read all statistics: health figures would count only its own sessions';
    END IF;
    IF NOT has_schema_privilege('pgattest_monitor', 'health', 'USAGE') THEN
        RAISE EXCEPTION 'pgattest_monitor cannot use schema health';
    END IF;
END
$verify$;

ROLLBACK;
