-- Verify pgattest:roles on pg

BEGIN;

DO $verify$
BEGIN
    IF (SELECT count(*) FROM pg_catalog.pg_roles
         WHERE rolname IN ('pgattest_owner', 'pgattest_app', 'pgattest_worker', 'pgattest_admin')
           AND NOT rolcanlogin AND NOT rolsuper AND NOT rolbypassrls AND NOT rolcreaterole) <> 4 THEN
        RAISE EXCEPTION 'pgattest roles missing, able to log in, or over-privileged';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'pgattest_system'
                      AND NOT rolcanlogin AND NOT rolsuper AND rolbypassrls AND NOT rolcreaterole) THEN
        RAISE EXCEPTION 'role pgattest_system missing, able to log in, or without BYPASSRLS';
    END IF;
END
$verify$;

ROLLBACK;
