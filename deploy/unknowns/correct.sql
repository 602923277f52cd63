-- Deploy pgattest:unknowns/correct to pg
-- requires: unknowns/unknowns _pgattest/lock_unknown _pgattest/split_unknown _pgattest/check_unknown_state

BEGIN;

SET LOCAL ROLE pgattest_owner;

-- A correction states what held over [valid_from, valid_to): cut the valid time at both
-- ends, drop the rows inside (periods keeps them in history), insert the stated row.
-- Rows outside the range are untouched; the range may reach beyond the unknown's
-- current valid time (it held earlier, or longer, than we thought).
CREATE OR REPLACE FUNCTION unknowns.correct(id uuid, valid_from timestamptz, valid_to timestamptz, kind text,
                                            subject text, reason text, details jsonb, resolution text DEFAULT NULL)
RETURNS SETOF unknowns.unknowns
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := _pgattest.lock_unknown(correct.id);
BEGIN
    PERFORM _pgattest.check_unknown_state(kind, subject, reason, details, resolution, valid_from, valid_to);
    PERFORM _pgattest.split_unknown(tenant, correct.id, correct.valid_from);
    PERFORM _pgattest.split_unknown(tenant, correct.id, correct.valid_to);
    DELETE FROM unknowns.unknowns u
     WHERE u.tenant_id = tenant AND u.id = correct.id
       AND u.valid_from >= correct.valid_from AND u.valid_to <= correct.valid_to;
    INSERT INTO unknowns.unknowns (id, tenant_id, valid_from, valid_to, kind, subject, reason, details, resolution)
    VALUES (correct.id, tenant, correct.valid_from, correct.valid_to, correct.kind, correct.subject, correct.reason,
            correct.details, correct.resolution);
    RETURN QUERY SELECT u.* FROM unknowns.unknowns u WHERE u.tenant_id = tenant AND u.id = correct.id ORDER BY u.valid_from;
END
$$;

COMMENT ON FUNCTION unknowns.correct(uuid, timestamptz, timestamptz, text, text, text, jsonb, text) IS
    'Corrects an unknown of the current tenant over the valid period [valid_from, valid_to): from now on the database believes it held there with exactly this state (kind, subject, reason, details, resolution; NULL resolution: open). Rows outside the period keep theirs; the replaced rows move to history, so unknowns.as_of with an earlier known_at still answers what was believed then. The period may extend the unknown''s valid time. Returns its current rows in valid-time order. Raises 42501 without a tenant, 22004 for a NULL argument, 22023 for an unknown the tenant does not have, a bad state or an empty period, 54000 for details over 64 kB, 40001 when a transaction that began later changed it first (retry).';

REVOKE ALL ON FUNCTION unknowns.correct(uuid, timestamptz, timestamptz, text, text, text, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION unknowns.correct(uuid, timestamptz, timestamptz, text, text, text, jsonb, text) TO pgattest_app;

COMMIT;
