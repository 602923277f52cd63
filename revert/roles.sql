-- Revert pgattest:roles from pg
-- Roles are cluster-wide, and the people using them are outside this package: a
-- login role granted pgattest_app (CREATE ROLE svc LOGIN IN ROLE pgattest_app) would
-- silently lose its grant if the role were dropped, and another database on this
-- cluster may still hold objects or grants of theirs. So a role is dropped only when
-- no role outside the package is a member of it and nothing else depends on it; every
-- role kept is named in a NOTICE with the reason.

BEGIN;

DO $roles$
DECLARE
    role_name text;
    members text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['pgattest_system', 'pgattest_admin', 'pgattest_worker', 'pgattest_app', 'pgattest_owner']
    LOOP
        CONTINUE WHEN NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = role_name);
        SELECT string_agg(quote_ident(m.rolname), ', ' ORDER BY m.rolname) INTO members
          FROM pg_catalog.pg_auth_members am
          JOIN pg_catalog.pg_roles m ON m.oid = am.member
         WHERE am.roleid = role_name::regrole
           AND m.rolname NOT IN ('pgattest_owner', 'pgattest_app', 'pgattest_worker', 'pgattest_admin', 'pgattest_system');
        IF members IS NOT NULL THEN
            RAISE NOTICE 'role % kept: roles outside pgattest are members of it (%)', role_name, members
                USING HINT = format('REVOKE %I FROM those roles first, then DROP ROLE %I, if they no longer need it.', role_name, role_name);
            CONTINUE;
        END IF;
        BEGIN
            EXECUTE format('DROP ROLE %I', role_name);
        EXCEPTION WHEN dependent_objects_still_exist THEN
            RAISE NOTICE 'role % kept: other databases on this cluster still use it', role_name;
        END;
    END LOOP;
END
$roles$;

COMMIT;
