-- Deploy pgattest:_pgattest/lock_unknown to pg
-- requires: core/require_tenant unknowns/unknowns unknowns/unknowns_history
-- Concurrent writes to one unknown resolve deterministically. Writers of one unknown
-- take one transaction-scoped advisory lock (its rows are several and a correction
-- inserts new ones, which row locks cannot cover), so they run one after the other; the
-- second reads what the first committed (each statement a new snapshot in READ
-- COMMITTED) and builds on it. System time must only move forward: a writer whose
-- transaction began before the unknown's latest version was written cannot place its
-- version after it, so it gets 40001 and retries (periods' trigger would refuse it too,
-- with 2201H). Under REPEATABLE READ the second writer gets 40001 from PostgreSQL.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.lock_unknown(id uuid)
RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    latest timestamptz;
BEGIN
    IF lock_unknown.id IS NULL THEN
        RAISE EXCEPTION 'id must not be NULL' USING ERRCODE = '22004', HINT = 'Pass the id unknowns.record returned.';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('unknowns.unknowns'), hashtext(tenant || '/' || lock_unknown.id::text));
    SELECT max(u.system_from) INTO latest
      FROM unknowns.unknowns u WHERE u.tenant_id = tenant AND u.id = lock_unknown.id;
    IF latest IS NULL THEN
        RAISE EXCEPTION 'no unknown %', lock_unknown.id
            USING ERRCODE = '22023', HINT = 'Pass the id unknowns.record returned, with the tenant that recorded it set.';
    END IF;
    IF latest > transaction_timestamp() THEN
        RAISE EXCEPTION 'unknown % was changed by a transaction that began after this one', lock_unknown.id
            USING ERRCODE = '40001',
                  HINT = 'Retry the transaction: system time only moves forward, so the later writer''s version comes first.';
    END IF;
    RETURN tenant;
END
$$;

COMMENT ON FUNCTION _pgattest.lock_unknown(uuid) IS
    'Serializes writers of one unknown of the current tenant (a transaction-scoped advisory lock) and returns the tenant. Raises 42501 without a tenant, 22004 for a NULL id, 22023 when the tenant has no such unknown, 40001 when a transaction that began after this one changed it (retry).';

REVOKE ALL ON FUNCTION _pgattest.lock_unknown(uuid) FROM PUBLIC;

COMMIT;
