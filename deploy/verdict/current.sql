-- Deploy pgattest:verdict/current to pg
-- requires: roles schemas core/require_tenant verdict/ledger_entries
-- The canonical verdict of a subject is its latest ledger entry; the others stay in the
-- ledger (verdict.history).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION verdict.current(subject_digest text)
RETURNS SETOF verdict.ledger_entries
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    IF subject_digest IS NULL THEN
        RAISE EXCEPTION 'subject_digest is NULL' USING ERRCODE = '22004', HINT = 'Pass the subject''s sha256:<hex> digest.';
    END IF;
    RETURN QUERY
        SELECT e.* FROM verdict.ledger_entries e
         WHERE e.tenant_id = tenant AND e.subject_digest = current.subject_digest
         ORDER BY e.seq DESC LIMIT 1;
END
$$;

COMMENT ON FUNCTION verdict.current(text) IS
    'The canonical verdict of a subject for the current tenant: its latest ledger entry (no row when the ledger has none). Earlier entries stay queryable (verdict.history). For pgattest_app and pgattest_admin. Raises 42501 without a tenant, 22004 for NULL.';
REVOKE ALL ON FUNCTION verdict.current(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.current(text) TO pgattest_app, pgattest_admin;

COMMIT;
