-- Deploy pgattest:trustverdict/get to pg
-- requires: roles schemas core/require_tenant trustverdict/verdicts

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION trustverdict.get(content_id text)
RETURNS SETOF trustverdict.verdicts
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    IF content_id IS NULL THEN
        RAISE EXCEPTION 'content_id is NULL' USING ERRCODE = '22004', HINT = 'Pass the id trustverdict.store returned.';
    END IF;
    RETURN QUERY
        SELECT t.* FROM trustverdict.verdicts t
         WHERE t.tenant_id = tenant AND t.content_id = get.content_id AND t.deleted_at IS NULL;
END
$$;

COMMENT ON FUNCTION trustverdict.get(text) IS
    'The current tenant''s trust verdict with this content id, current or superseded (superseded_at says), as stored; no row when there is none or it was deleted. For pgattest_app and pgattest_admin. Raises 42501 without a tenant, 22004 for NULL.';
REVOKE ALL ON FUNCTION trustverdict.get(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION trustverdict.get(text) TO pgattest_app, pgattest_admin;

COMMIT;
