-- Revert pgattest:pgattest_monitor from pg
-- As the roles change: the role is dropped only when no role outside the package (but
-- pg_monitor, which this change made a member) is a member of it.

BEGIN;

REVOKE USAGE ON SCHEMA health FROM pgattest_monitor, pgattest_admin, pgattest_system;
REVOKE pg_read_all_stats FROM pgattest_system;
REVOKE pgattest_monitor FROM pg_monitor;

DO $role$
DECLARE
    members text;
BEGIN
    SELECT string_agg(quote_ident(m.rolname), ', ' ORDER BY m.rolname) INTO members
      FROM pg_catalog.pg_auth_members am
      JOIN pg_catalog.pg_roles m ON m.oid = am.member
     WHERE am.roleid = 'pgattest_monitor'::regrole;
    IF members IS NOT NULL THEN
        RAISE NOTICE 'role pgattest_monitor kept: roles outside pgattest are members of it (%)', members
            USING HINT = 'REVOKE pgattest_monitor FROM those roles first, then DROP ROLE pgattest_monitor.';
        RETURN;
    END IF;
    BEGIN
        DROP ROLE pgattest_monitor;
    EXCEPTION WHEN dependent_objects_still_exist THEN
        RAISE NOTICE 'role pgattest_monitor kept: other databases on this cluster still use it';
    END;
END
$role$;

COMMIT;
