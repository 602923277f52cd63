-- Deploy pgattest:unknowns/as_of to pg
-- requires: core/require_tenant unknowns/unknowns unknowns/unknowns_history
-- Four plain queries, one per case, so each gets its own plan (no "id IS NULL OR"):
-- known now (known_at NULL) reads the current table only, which holds exactly what is
-- believed now; an earlier known_at adds the history rows believed then. Invoker's
-- rights: row-level security scopes every row to the caller's tenant, and the bounds are
-- compared with timestamptz operators, which are LEAKPROOF, so the indexes serve under it.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION unknowns.as_of(valid_at timestamptz, known_at timestamptz DEFAULT NULL, id uuid DEFAULT NULL)
RETURNS SETOF unknowns.unknowns
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
BEGIN
    IF valid_at IS NULL THEN
        RAISE EXCEPTION 'valid_at must not be NULL'
            USING ERRCODE = '22004', HINT = 'Pass the valid time asked about, e.g. now(); known_at NULL means as known now.';
    END IF;
    IF known_at IS NULL AND as_of.id IS NOT NULL THEN
        RETURN QUERY
        SELECT u.* FROM unknowns.unknowns u
         WHERE u.tenant_id = tenant AND u.id = as_of.id AND u.valid_from <= valid_at AND u.valid_to > valid_at;
    ELSIF known_at IS NULL THEN
        RETURN QUERY
        SELECT u.* FROM unknowns.unknowns u
         WHERE u.tenant_id = tenant AND u.valid_from <= valid_at AND u.valid_to > valid_at;
    ELSIF as_of.id IS NOT NULL THEN
        RETURN QUERY
        SELECT u.* FROM unknowns.unknowns u
         WHERE u.tenant_id = tenant AND u.id = as_of.id AND u.valid_from <= valid_at AND u.valid_to > valid_at
           AND u.system_from <= known_at
        UNION ALL
        SELECT h.* FROM unknowns.unknowns_history h
         WHERE h.tenant_id = tenant AND h.id = as_of.id AND h.valid_from <= valid_at AND h.valid_to > valid_at
           AND h.system_from <= known_at AND h.system_to > known_at;
    ELSE
        RETURN QUERY
        SELECT u.* FROM unknowns.unknowns u
         WHERE u.tenant_id = tenant AND u.valid_from <= valid_at AND u.valid_to > valid_at
           AND u.system_from <= known_at
        UNION ALL
        SELECT h.* FROM unknowns.unknowns_history h
         WHERE h.tenant_id = tenant AND h.valid_from <= valid_at AND h.valid_to > valid_at
           AND h.system_from <= known_at AND h.system_to > known_at;
    END IF;
END
$$;

COMMENT ON FUNCTION unknowns.as_of(timestamptz, timestamptz, uuid) IS
    'What did we know at known_at about valid_at: the rows of the current tenant''s unknowns (one unknown with id, else all) whose valid period contains valid_at, as the database believed them at known_at. known_at NULL (the default) means as known now, and reads the current rows only. An unknown appears once at most (its valid periods never overlap); resolution NULL means it was open at valid_at. Raises 42501 without a tenant, 22004 for a NULL valid_at.';

REVOKE ALL ON FUNCTION unknowns.as_of(timestamptz, timestamptz, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION unknowns.as_of(timestamptz, timestamptz, uuid) TO pgattest_app, pgattest_admin;

COMMIT;
