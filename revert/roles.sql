-- Revert pgattest:roles from pg
-- Roles are cluster-wide: another database on this cluster may still hold objects or
-- grants of theirs. Drop each role that nothing else depends on; keep (and say so)
-- those still in use elsewhere, since dropping them there is not this revert's call.

BEGIN;

DO $roles$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['pgattest_system', 'pgattest_admin', 'pgattest_worker', 'pgattest_app', 'pgattest_owner']
    LOOP
        BEGIN
            EXECUTE format('DROP ROLE IF EXISTS %I', role_name);
        EXCEPTION WHEN dependent_objects_still_exist THEN
            RAISE NOTICE 'role % kept: other databases on this cluster still use it', role_name;
        END;
    END LOOP;
END
$roles$;

COMMIT;
