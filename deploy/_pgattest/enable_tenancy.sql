-- Deploy pgattest:_pgattest/enable_tenancy to pg
-- requires: core/tenants core/current_tenant _pgattest/touch_updated_at _pgattest/hide_statistics _pgattest/audit_table
-- Reworked after v1.0.0: the helper also turns planner statistics off for every column
-- (issue 15 item 2: EXPLAIN would show them to every tenant) and attaches the audit
-- triggers (issue 18: _pgattest.audit_table), so every tenant table created from now on
-- has both.
-- The tenant-table convention, made executable. A later change writes
--
--   CREATE TABLE m.things (
--       id         uuid        NOT NULL DEFAULT gen_random_uuid(),
--       tenant_id  text        NOT NULL REFERENCES core.tenants,
--       created_at timestamptz NOT NULL DEFAULT now(),
--       updated_at timestamptz NOT NULL DEFAULT now(),
--       ...,
--       PRIMARY KEY (tenant_id, id)
--   );
--   SELECT _pgattest.enable_tenancy('m.things');
--
-- and the helper checks the shape, then adds what every tenant table must have.
-- The catalog tests (tests/pgtap/catalog_security.sql) check the result for every table.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.enable_tenancy(target regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    missing text;
    bad_key text;
BEGIN
    SELECT string_agg(want.col, ', ' ORDER BY want.ord) INTO missing
      FROM (VALUES (1, 'id', NULL), (2, 'tenant_id', 'text'),
                   (3, 'created_at', 'timestamp with time zone'),
                   (4, 'updated_at', 'timestamp with time zone')) AS want(ord, col, typ)
      LEFT JOIN pg_attribute a
        ON a.attrelid = target AND a.attname = want.col AND NOT a.attisdropped AND a.attnotnull
       AND (want.typ IS NULL OR format_type(a.atttypid, a.atttypmod) = want.typ)
     WHERE a.attname IS NULL;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'table % lacks tenant-table columns: %', target, missing
            USING ERRCODE = '42P16',
                  HINT = 'Tenant tables need NOT NULL columns id, tenant_id text, created_at timestamptz and updated_at timestamptz.';
    END IF;

    IF NOT EXISTS (
        SELECT FROM pg_constraint c
         WHERE c.conrelid = target AND c.contype = 'f' AND c.confrelid = 'core.tenants'::regclass
           AND c.conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = target AND attname = 'tenant_id')]) THEN
        RAISE EXCEPTION 'table %: tenant_id does not reference core.tenants', target
            USING ERRCODE = '42P16', HINT = 'Declare tenant_id text NOT NULL REFERENCES core.tenants.';
    END IF;

    -- A unique key without tenant_id lets one tenant probe for another's values through
    -- unique violations (unique checks ignore RLS), and blocks distributing by tenant.
    SELECT string_agg(i.indexrelid::regclass::text, ', ') INTO bad_key
      FROM pg_index i
     WHERE i.indrelid = target AND (i.indisunique OR i.indisprimary)
       AND NOT (SELECT attnum FROM pg_attribute WHERE attrelid = target AND attname = 'tenant_id') = ANY (i.indkey);
    IF bad_key IS NOT NULL OR NOT EXISTS (SELECT FROM pg_index WHERE indrelid = target AND indisprimary) THEN
        RAISE EXCEPTION 'table %: primary key missing, or unique keys without tenant_id: %', target, coalesce(bad_key, '(no primary key)')
            USING ERRCODE = '42P16', HINT = 'Make the primary key and every unique key start with tenant_id, e.g. PRIMARY KEY (tenant_id, id).';
    END IF;

    EXECUTE format('ALTER TABLE %s ALTER COLUMN tenant_id SET DEFAULT core.current_tenant()', target);
    EXECUTE format('CREATE TRIGGER touch_updated_at BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION _pgattest.touch_updated_at()', target);
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %s FOR ALL
                        USING (tenant_id = (SELECT core.current_tenant()))
                        WITH CHECK (tenant_id = (SELECT core.current_tenant()))$p$, target);
    -- No planner statistics of tenant data, which EXPLAIN would show to every tenant
    -- (issue 15 item 2).
    PERFORM _pgattest.hide_statistics(target);
    PERFORM _pgattest.audit_table(target);
END
$$;

COMMENT ON FUNCTION _pgattest.enable_tenancy(regclass) IS
    'Turns a freshly created table into a tenant table: checks the convention (id, tenant_id referencing core.tenants, created_at, updated_at, every unique key including tenant_id; raises 42P16 otherwise), defaults tenant_id to the current tenant, adds the updated_at trigger, enables and forces row-level security with the tenant_isolation policy, turns planner statistics off for every column (_pgattest.hide_statistics), and attaches the audit triggers (_pgattest.audit_table). Called by deploy scripts as pgattest_owner.';

REVOKE ALL ON FUNCTION _pgattest.enable_tenancy(regclass) FROM PUBLIC;

-- Tenant tables made since _pgattest/hide_statistics applied itself, with the helper's
-- previous form (audit.events), keep no planner statistics either. (No statistics were
-- gathered for them yet: the deploy creates them empty.)
SELECT _pgattest.hide_statistics(p.polrelid)
  FROM pg_catalog.pg_policy p
 WHERE p.polname = 'tenant_isolation'
 ORDER BY p.polrelid;

COMMIT;
