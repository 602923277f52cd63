-- Verify pgattest:audit/events on pg

BEGIN;

SELECT id, tenant_id, created_at, updated_at, txid, actor, actor_kind, login, request_id,
       table_name, operation, row_id, old_values, new_values
  FROM audit.events WHERE false;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_inherits WHERE inhparent = 'audit.events'::regclass) THEN
        RAISE EXCEPTION 'audit.events has no partition';
    END IF;
    IF has_table_privilege('pgattest_app', 'audit.events', 'insert')
       OR has_table_privilege('pgattest_owner', 'audit.events', 'insert')
       OR NOT has_table_privilege('pgattest_system', 'audit.events', 'insert') THEN
        RAISE EXCEPTION 'only pgattest_system may insert into audit.events';
    END IF;
END
$verify$;

ROLLBACK;
