-- Deploy pgattest:_pgattest/database_setting_int to pg
-- requires: roles schemas
-- A custom setting (pgattest.*) can be changed by any login for its own session: SET,
-- a connection option (options=-c ...), ALTER ROLE on itself. Where a setting limits what
-- a caller may do (audit.maintain_partitions' retention: the worker must not erase the
-- audit log by lowering it, review of 2026-11-30 item 4), the value that counts is the
-- one only the database's owner or a superuser can set, ALTER DATABASE ... SET, read from
-- the catalog rather than from the session.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.database_setting_int(name text, fallback integer)
RETURNS integer
LANGUAGE sql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce((SELECT nullif(substr(cfg, length(name) + 2), '')::integer
                       FROM pg_db_role_setting s, unnest(s.setconfig) AS cfg
                      WHERE s.setrole = 0
                        AND s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
                        AND starts_with(cfg, name || '=')),
                    fallback)
$$;

COMMENT ON FUNCTION _pgattest.database_setting_int(text, integer) IS
    'An integer custom setting as set for this database (ALTER DATABASE ... SET), or the fallback when it is not: the session''s value (SET, connection options, ALTER ROLE), which any login may change, is not read. For settings that bound what a caller may do: pgattest.audit_retention_months, pgattest.audit_detach_expired.';
REVOKE ALL ON FUNCTION _pgattest.database_setting_int(text, integer) FROM PUBLIC;

COMMIT;
