-- Deploy pgattest:unknowns/resolve to pg
-- requires: unknowns/unknowns _pgattest/lock_unknown _pgattest/split_unknown

BEGIN;

SET LOCAL ROLE pgattest_owner;

-- Resolving at T is a correction FOR PORTION OF [T, infinity) that sets the resolution
-- and keeps every other column of each row (the rows before T stay open).
CREATE OR REPLACE FUNCTION unknowns.resolve(id uuid, resolution text, resolved_at timestamptz DEFAULT now())
RETURNS SETOF unknowns.unknowns
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := _pgattest.lock_unknown(resolve.id);
    at_resolution text;
BEGIN
    IF resolve.resolution IS NULL OR resolved_at IS NULL THEN
        RAISE EXCEPTION '% must not be NULL', CASE WHEN resolve.resolution IS NULL THEN 'resolution' ELSE 'resolved_at' END
            USING ERRCODE = '22004', HINT = 'Name how it was resolved, and when (default now).';
    END IF;
    IF resolve.resolution NOT IN ('feed_updated', 'sbom_provided', 'manual_mapping', 'superseded', 'false_positive', 'wont_fix') THEN
        RAISE EXCEPTION 'invalid resolution %', quote_literal(left(resolve.resolution, 80))
            USING ERRCODE = '22023',
                  HINT = 'One of feed_updated, sbom_provided, manual_mapping, superseded, false_positive, wont_fix.';
    END IF;
    SELECT u.resolution INTO at_resolution
      FROM unknowns.unknowns u
     WHERE u.tenant_id = tenant AND u.id = resolve.id AND u.valid_from <= resolved_at AND u.valid_to > resolved_at;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown % did not hold at %', resolve.id, resolved_at
            USING ERRCODE = '22023', HINT = 'Resolve it at a time inside its valid period, or extend that with unknowns.correct.';
    END IF;
    IF at_resolution IS NOT NULL THEN
        RAISE EXCEPTION 'unknown % is already resolved (%) at %', resolve.id, at_resolution, resolved_at
            USING ERRCODE = '55000', HINT = 'To change a resolution, use unknowns.correct over the period concerned.';
    END IF;
    PERFORM _pgattest.split_unknown(tenant, resolve.id, resolved_at);
    UPDATE unknowns.unknowns u SET resolution = resolve.resolution
     WHERE u.tenant_id = tenant AND u.id = resolve.id AND u.valid_from >= resolved_at
       AND u.resolution IS DISTINCT FROM resolve.resolution;
    RETURN QUERY SELECT u.* FROM unknowns.unknowns u WHERE u.tenant_id = tenant AND u.id = resolve.id ORDER BY u.valid_from;
END
$$;

COMMENT ON FUNCTION unknowns.resolve(uuid, text, timestamptz) IS
    'Resolves an open unknown of the current tenant from resolved_at (default now) on: every row of its valid time from then gets the resolution, the rows before stay open; the replaced rows move to history. Returns the unknown''s current rows in valid-time order. Raises 42501 without a tenant, 22004 for a NULL argument, 22023 for an unknown the tenant does not have, a bad resolution or a time outside its valid period, 55000 when it is already resolved at that time, 40001 when a transaction that began later changed it first (retry).';

REVOKE ALL ON FUNCTION unknowns.resolve(uuid, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION unknowns.resolve(uuid, text, timestamptz) TO pgattest_app;

COMMIT;
