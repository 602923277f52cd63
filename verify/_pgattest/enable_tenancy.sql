-- Verify pgattest:_pgattest/enable_tenancy on pg
-- Exercises the helper on a scratch table; the transaction rolls back.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE core.verify_tenant_tables (
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    tenant_id  text        NOT NULL REFERENCES core.tenants,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('core.verify_tenant_tables');

DO $verify$
BEGIN
    IF NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_catalog.pg_class
             WHERE oid = 'core.verify_tenant_tables'::regclass) THEN
        RAISE EXCEPTION '_pgattest.enable_tenancy() did not force row-level security';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_policies
                    WHERE schemaname = 'core' AND tablename = 'verify_tenant_tables'
                      AND policyname = 'tenant_isolation') THEN
        RAISE EXCEPTION '_pgattest.enable_tenancy() did not create the tenant_isolation policy';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'core.verify_tenant_tables'::regclass
                  AND attnum > 0 AND attstattarget <> 0) THEN
        RAISE EXCEPTION '_pgattest.enable_tenancy() left planner statistics on for tenant data';
    END IF;
    IF (SELECT count(*) FROM pg_catalog.pg_trigger
         WHERE tgrelid = 'core.verify_tenant_tables'::regclass
           AND tgfoid = '_pgattest.audit_changes()'::regprocedure) <> 3 THEN
        RAISE EXCEPTION '_pgattest.enable_tenancy() did not attach the audit triggers';
    END IF;
END
$verify$;

ROLLBACK;
