-- Deploy pgattest:_pgattest/audit_changes to pg
-- requires: audit/events
-- The one audit trigger function, attached to every tenant table by _pgattest.audit_table
-- as three AFTER ... FOR EACH STATEMENT triggers with transition tables (PostgreSQL allows
-- one event per trigger with transition tables). Generic: it relies only on the
-- tenant-table convention (columns id and tenant_id), so it needs no per-table code and
-- looks nothing up in the catalog per row; a statement's rows go into audit.events in one
-- INSERT ... SELECT.
--
-- Owned by pgattest_system (BYPASSRLS): the worker's cross-tenant functions write rows of
-- several tenants in one statement, and each event must carry its row's tenant, which the
-- tenant policy's WITH CHECK would refuse. pgattest_system is the only role with INSERT on
-- audit.events, and owns no table. Created by the deploying superuser and handed over
-- (pgattest_owner cannot create a function owned by another role).

BEGIN;

CREATE OR REPLACE FUNCTION _pgattest.audit_changes()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
-- Generic over every tenant table: a column of the audited table must never be taken for
-- one of these variables (or the reverse); columns are always qualified below.
#variable_conflict use_variable
DECLARE
    -- Once per statement, not per row.
    _actor  text := coalesce(nullif(current_setting('app.actor', true), ''), session_user);
    _kind text := CASE
        WHEN (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user) THEN 'superuser'
        WHEN pg_catalog.pg_has_role(session_user, 'pgattest_admin', 'MEMBER') THEN 'admin'
        WHEN pg_catalog.pg_has_role(session_user, 'pgattest_worker', 'MEMBER') THEN 'worker'
        WHEN pg_catalog.pg_has_role(session_user, 'pgattest_app', 'MEMBER') THEN 'app'
        ELSE 'other' END;
    _request  text := nullif(current_setting('app.request_id', true), '');
    _table  text := quote_ident(TG_TABLE_SCHEMA) || '.' || quote_ident(TG_TABLE_NAME);
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit.events (tenant_id, actor, actor_kind, request_id, table_name, operation, row_id, new_values)
        SELECT n.tenant_id, _actor, _kind, _request, _table, 'INSERT', n.id::text, to_jsonb(n)
          FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO audit.events (tenant_id, actor, actor_kind, request_id, table_name, operation, row_id, old_values)
        SELECT o.tenant_id, _actor, _kind, _request, _table, 'DELETE', o.id::text, to_jsonb(o)
          FROM old_rows o;
    ELSE
        -- Old and new rows pair up by key; only the columns whose values differ are kept
        -- (one pass over the two rows' key/value pairs). A row whose key changed (no pair)
        -- is recorded whole, on the side it has.
        INSERT INTO audit.events (tenant_id, actor, actor_kind, request_id, table_name, operation, row_id,
                                  old_values, new_values)
        SELECT n.tenant_id, _actor, _kind, _request, _table, 'UPDATE', n.id::text, coalesce(d.ov, '{}'), coalesce(d.nv, '{}')
          FROM old_rows o JOIN new_rows n ON n.tenant_id = o.tenant_id AND n.id = o.id
         CROSS JOIN LATERAL (SELECT jsonb_object_agg(a.key, a.value) AS ov, jsonb_object_agg(a.key, b.value) AS nv
                               FROM jsonb_each(to_jsonb(o)) a JOIN jsonb_each(to_jsonb(n)) b ON b.key = a.key
                              WHERE a.value IS DISTINCT FROM b.value) d
        UNION ALL
        SELECT o.tenant_id, _actor, _kind, _request, _table, 'UPDATE', o.id::text, to_jsonb(o), NULL
          FROM old_rows o
         WHERE NOT EXISTS (SELECT FROM new_rows n WHERE n.tenant_id = o.tenant_id AND n.id = o.id)
        UNION ALL
        SELECT n.tenant_id, _actor, _kind, _request, _table, 'UPDATE', n.id::text, NULL, to_jsonb(n)
          FROM new_rows n
         WHERE NOT EXISTS (SELECT FROM old_rows o WHERE o.tenant_id = n.tenant_id AND o.id = n.id);
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION _pgattest.audit_changes() IS
    'Audit trigger of every tenant table (statement level, transition tables old_rows/new_rows): writes one audit.events row per inserted, updated or deleted row with its tenant, actor (app.actor, else session_user), actor _kind, request id (app.request_id), transaction and statement time; only changed columns for updates. Attached by _pgattest.audit_table. Owned by pgattest_system, the only writer of audit.events.';

REVOKE ALL ON FUNCTION _pgattest.audit_changes() FROM PUBLIC;
ALTER FUNCTION _pgattest.audit_changes() OWNER TO pgattest_system;
-- Creating a trigger needs EXECUTE on its function: _pgattest.audit_table runs as the owner.
-- (A trigger function cannot be called directly.)
GRANT EXECUTE ON FUNCTION _pgattest.audit_changes() TO pgattest_owner;

COMMIT;
