-- Deploy pgattest:_pgattest/lock_ledger to pg
-- requires: schemas
-- The per-tenant lock of the verdict ledger: a transaction-scoped advisory lock (held to
-- commit, never to the session, so it is safe behind transaction pooling), keyed by a
-- 64-bit hash of the tenant. Two tenants whose keys collide would only wait for each
-- other; the chain stays correct (the primary key backs it). Taken by every ledger
-- append and, before it, by the trust-verdict functions, which must read and supersede
-- under the same lock.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.lock_ledger(tenant text)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_advisory_xact_lock(hashtextextended('pgattest verdict ledger ' || tenant, 0))
$$;

COMMENT ON FUNCTION _pgattest.lock_ledger(text) IS
    'Takes the transaction-scoped lock that serializes appends to tenant''s verdict ledger (released at commit or rollback).';
REVOKE ALL ON FUNCTION _pgattest.lock_ledger(text) FROM PUBLIC;

COMMIT;
