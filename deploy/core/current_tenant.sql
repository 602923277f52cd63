-- Deploy pgattest:core/current_tenant to pg
-- requires: core/tenants core/tenant_logins
--
-- The tenant context counts only when it was set in the current transaction. Clients
-- call SELECT core.set_tenant('acme') once per transaction; it writes app.tenant_id and
-- pgattest.tenant_xact (a marker of the transaction: its start time in microseconds),
-- both transaction-local. A value left in the session by SET app.tenant_id or
-- set_config(..., false), which behind a transaction-mode pooler would reach the next
-- client of that server connection, carries no marker of a later transaction, so it
-- counts as no tenant: the next client fails closed. (A session-level marker would
-- have to name, to the microsecond, when another client's transaction will start.)
-- The marker is the transaction timestamp, not the backend pid, because parallel
-- workers share the first and not the second.
--
-- The tenant must also be registered and active (a retired tenant reads and writes
-- nothing), and, when the login (session_user: the role that authenticated, whatever
-- SET ROLE says) has bindings in core.tenant_logins, one of its bound tenants.
--
-- SECURITY DEFINER to read core.tenants and core.tenant_logins, which the caller may
-- not. Policies call it as (SELECT core.current_tenant()): an init plan, evaluated once
-- per statement, not per row.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION core.current_tenant()
RETURNS text
LANGUAGE sql
STABLE
PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT t.tenant_id
      FROM core.tenants t
     WHERE t.tenant_id = nullif(current_setting('app.tenant_id', true), '')
       AND current_setting('pgattest.tenant_xact', true)
           = (extract(epoch FROM transaction_timestamp()) * 1000000)::bigint::text
       AND t.active
       AND (NOT EXISTS (SELECT FROM core.tenant_logins b WHERE b.login = session_user)
            OR EXISTS (SELECT FROM core.tenant_logins b
                        WHERE b.login = session_user AND b.tenant_id = t.tenant_id))
$$;

COMMENT ON FUNCTION core.current_tenant() IS
    'The tenant of the current transaction, as set by core.set_tenant() in this transaction; NULL when none was set in it (a session-level SET app.tenant_id or set_config(..., false) does not count), when the tenant is not registered or retired (core.tenants.active = false), or when the login has tenant bindings (core.grant_tenant) and this tenant is not one of them. Row-level security policies compare tenant_id = (SELECT core.current_tenant()), so with no tenant every tenant table is empty and rejects writes.';

REVOKE ALL ON FUNCTION core.current_tenant() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION core.current_tenant() TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
