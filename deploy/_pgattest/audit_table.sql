-- Deploy pgattest:_pgattest/audit_table to pg
-- requires: _pgattest/audit_changes
-- Attaches the audit triggers to one tenant table. Called by _pgattest.enable_tenancy for
-- every tenant table created from now on, and once for each existing one by
-- audit/tenant_tables_audited.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.audit_table(target regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF target IS NULL THEN
        RAISE EXCEPTION 'no table to audit' USING ERRCODE = '22004', HINT = 'Name a tenant table.';
    END IF;
    IF target = 'audit.events'::regclass THEN
        -- Its writes are the audit: auditing them would recurse.
        RAISE EXCEPTION 'table % is the audit log itself', target
            USING ERRCODE = '42P16', HINT = 'Audit tenant tables other than audit.events.';
    END IF;
    -- Transition tables allow one event per trigger: three triggers, one function.
    EXECUTE format('CREATE TRIGGER audit_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION _pgattest.audit_changes()', target);
    EXECUTE format('CREATE TRIGGER audit_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION _pgattest.audit_changes()', target);
    EXECUTE format('CREATE TRIGGER audit_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION _pgattest.audit_changes()', target);
END
$$;

COMMENT ON FUNCTION _pgattest.audit_table(regclass) IS
    'Attaches the audit triggers (audit_insert, audit_update, audit_delete: statement level, transition tables, function _pgattest.audit_changes) to a tenant table. 42P16 for audit.events itself. Called by _pgattest.enable_tenancy as pgattest_owner.';

REVOKE ALL ON FUNCTION _pgattest.audit_table(regclass) FROM PUBLIC;

COMMIT;
