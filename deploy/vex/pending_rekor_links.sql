-- Deploy pgattest:vex/pending_rekor_links to pg
-- requires: vex/observations
-- The linker's queue. It crosses tenants: pgattest_system owns it (as the submission
-- queue's functions), with the privileges it needs on vex.observations.

BEGIN;

-- No SET ROLE: the function belongs to pgattest_system, which pgattest_owner cannot
-- replace a function of; the deploying superuser creates it (and a rework, or the revert
-- of one, replaces it) and hands it over below.

CREATE OR REPLACE FUNCTION vex.pending_rekor_links(max_items integer DEFAULT 100)
RETURNS TABLE (tenant_id text, observation_id uuid, content_id text, statement_text text, created_at timestamptz)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF max_items IS NULL OR max_items NOT BETWEEN 1 AND 10000 THEN
        RAISE EXCEPTION 'invalid max_items %', coalesce(max_items::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Take between 1 and 10000 observations at a time.';
    END IF;
    RETURN QUERY
    SELECT o.tenant_id, o.id, o.content_id, o.statement_text, o.created_at
      FROM vex.observations o
     WHERE o.rekor_entry_id IS NULL
     ORDER BY o.created_at, o.id
     LIMIT max_items
       FOR UPDATE SKIP LOCKED;
END
$$;

COMMENT ON FUNCTION vex.pending_rekor_links(integer) IS
    'The linker''s queue: up to max_items observations of any tenant with no Rekor link yet (observation_id, content_id, statement_text), oldest first in (created_at, id) order, locked FOR UPDATE SKIP LOCKED for the caller''s transaction so two linkers never take the same one. The linker logs an attestation naming each content_id and calls vex.link_rekor (with the tenant set). For pgattest_worker. Raises 22023 for max_items outside 1..10000.';
REVOKE ALL ON FUNCTION vex.pending_rekor_links(integer) FROM PUBLIC;

RESET ROLE;
ALTER FUNCTION vex.pending_rekor_links(integer) OWNER TO pgattest_system;
GRANT EXECUTE ON FUNCTION vex.pending_rekor_links(integer) TO pgattest_worker;
-- FOR UPDATE needs an UPDATE privilege; one column is enough (the role bypasses row
-- security). _pgattest/link_proven_observations, which requires this change, uses them too.
GRANT SELECT, UPDATE (rekor_linked_at) ON vex.observations TO pgattest_system;

COMMIT;
