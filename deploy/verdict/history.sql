-- Deploy pgattest:verdict/history to pg
-- requires: roles schemas core/require_tenant verdict/ledger_entries

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION verdict.history(subject_digest text)
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
         WHERE e.tenant_id = tenant AND e.subject_digest = history.subject_digest
         ORDER BY e.seq DESC;
END
$$;

COMMENT ON FUNCTION verdict.history(text) IS
    'Every ledger entry of a subject for the current tenant, newest first (the first is verdict.current). For pgattest_app and pgattest_admin. Raises 42501 without a tenant, 22004 for NULL.';
REVOKE ALL ON FUNCTION verdict.history(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION verdict.history(text) TO pgattest_app, pgattest_admin;

COMMIT;
