-- Deploy pgattest:unknowns/history to pg
-- requires: core/require_tenant unknowns/unknowns unknowns/unknowns_history

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION unknowns.history(id uuid)
RETURNS SETOF unknowns.unknowns
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    IF history.id IS NULL THEN
        RAISE EXCEPTION 'id must not be NULL' USING ERRCODE = '22004', HINT = 'Pass the id unknowns.record returned.';
    END IF;
    RETURN QUERY
    SELECT v.* FROM (SELECT u.* FROM unknowns.unknowns u WHERE u.tenant_id = tenant AND u.id = history.id
                     UNION ALL
                     SELECT h.* FROM unknowns.unknowns_history h WHERE h.tenant_id = tenant AND h.id = history.id) v
     ORDER BY v.system_from, v.valid_from;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no unknown %', history.id
            USING ERRCODE = '22023', HINT = 'Pass the id unknowns.record returned, with the tenant that recorded it set.';
    END IF;
END
$$;

COMMENT ON FUNCTION unknowns.history(uuid) IS
    'Every version of one unknown of the current tenant: the rows believed now (system_to infinity) and every row a later write replaced (with the system period it was believed in), in system-time then valid-time order. Raises 42501 without a tenant, 22004 for a NULL id, 22023 when the tenant has no such unknown.';

REVOKE ALL ON FUNCTION unknowns.history(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION unknowns.history(uuid) TO pgattest_app, pgattest_admin;

COMMIT;
