-- Deploy pgattest:audit/tenant_tables_audited to pg
-- requires: _pgattest/audit_table
-- Tenant tables created before _pgattest.enable_tenancy attached the audit triggers get
-- them here, found in the catalog rather than listed, so the change is the same whatever
-- tables the plan made before it: every table of the module schemas with the tenant
-- policy and no audit trigger yet (not audit.events: its writes are the audit).
-- tests/pgtap/catalog_security.sql fails for a tenant table left without them.

BEGIN;

SET LOCAL ROLE pgattest_owner;

DO $attach$
DECLARE
    t regclass;
BEGIN
    FOR t IN
        SELECT c.oid::regclass
          FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ('core', 'attestor', 'proofchain', 'vex', 'vexhub', 'verdict', 'trustverdict',
                             'watchlist', 'unknowns', 'triage', 'health', '_pgattest')
           AND c.relkind IN ('r', 'p') AND NOT c.relispartition
           AND EXISTS (SELECT FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation')
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_trigger g
                            WHERE g.tgrelid = c.oid AND g.tgfoid = '_pgattest.audit_changes()'::regprocedure)
         ORDER BY 1
    LOOP
        PERFORM _pgattest.audit_table(t);
    END LOOP;
END
$attach$;

COMMIT;
