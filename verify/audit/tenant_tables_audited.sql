-- Verify pgattest:audit/tenant_tables_audited on pg

BEGIN;

DO $verify$
DECLARE
    bare text;
BEGIN
    SELECT string_agg(c.oid::regclass::text, ', ') INTO bare
      FROM pg_catalog.pg_class c
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.oid <> 'audit.events'::regclass
       AND EXISTS (SELECT FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation')
       AND (SELECT count(*) FROM pg_catalog.pg_trigger g
             WHERE g.tgrelid = c.oid AND g.tgfoid = '_pgattest.audit_changes()'::regprocedure) <> 3;
    IF bare IS NOT NULL THEN
        RAISE EXCEPTION 'tenant tables without the audit triggers: %', bare;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_trigger
                    WHERE tgrelid = 'proofchain.rekor_entries'::regclass
                      AND tgfoid = '_pgattest.audit_changes()'::regprocedure) THEN
        RAISE EXCEPTION 'proofchain.rekor_entries is not audited';
    END IF;
END
$verify$;

ROLLBACK;
