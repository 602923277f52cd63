-- Verify pgattest:schemas on pg

BEGIN;

DO $verify$
BEGIN
    IF (SELECT count(*) FROM pg_catalog.pg_namespace n
         WHERE n.nspname IN ('core', 'attestor', 'proofchain', 'vex', 'vexhub', 'verdict',
                             'trustverdict', 'watchlist', 'unknowns', 'triage', 'audit',
                             'health', '_pgattest')
           AND n.nspowner = 'pgattest_owner'::regrole) <> 13 THEN
        RAISE EXCEPTION 'pgattest module schemas missing or not owned by pgattest_owner';
    END IF;
    IF has_schema_privilege('public', 'core', 'USAGE') THEN
        RAISE EXCEPTION 'PUBLIC must not have USAGE on schema core';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_default_acl
                    WHERE defaclrole = 'pgattest_owner'::regrole AND defaclobjtype = 'f'
                      AND defaclnamespace = 0) THEN
        RAISE EXCEPTION 'default privileges of pgattest_owner still grant EXECUTE to PUBLIC';
    END IF;
END
$verify$;

ROLLBACK;
