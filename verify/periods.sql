-- Verify pgattest:periods on pg

BEGIN;

DO $verify$
DECLARE
    open_to_all text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'periods') THEN
        RAISE EXCEPTION 'extension periods is not installed (Debian package postgresql-15-periods)';
    END IF;
    IF has_schema_privilege('public', 'periods', 'USAGE') THEN
        RAISE EXCEPTION 'PUBLIC may use the schema periods';
    END IF;
    -- A NULL proacl is the default, which includes EXECUTE for PUBLIC.
    SELECT string_agg(p.oid::regprocedure::text, ', ') INTO open_to_all
      FROM pg_proc p
     WHERE p.pronamespace = 'periods'::regnamespace
       AND (p.proacl IS NULL OR EXISTS (SELECT FROM aclexplode(p.proacl) x WHERE x.grantee = 0));
    IF open_to_all IS NOT NULL THEN
        RAISE EXCEPTION 'PUBLIC may execute periods functions: %', left(open_to_all, 200);
    END IF;
    SELECT string_agg(c.oid::regclass::text, ', ') INTO open_to_all
      FROM pg_class c
     WHERE c.relnamespace = 'periods'::regnamespace
       AND EXISTS (SELECT FROM aclexplode(c.relacl) x WHERE x.grantee = 0);
    IF open_to_all IS NOT NULL THEN
        RAISE EXCEPTION 'PUBLIC has privileges on periods tables: %', left(open_to_all, 200);
    END IF;
END
$verify$;

ROLLBACK;
