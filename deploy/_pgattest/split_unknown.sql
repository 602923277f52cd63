-- Deploy pgattest:_pgattest/split_unknown to pg
-- requires: unknowns/unknowns unknowns/unknowns_history
-- Cuts an unknown's valid time at one instant: the row whose valid period straddles it
-- becomes two, [from, at) and [at, to), with the same state. The writers then change
-- whole rows only (FOR PORTION OF, by hand). The copy is made from the row itself
-- (jsonb_populate_record over the table's row type), so a column added to the table
-- later is copied too. The shrink comes first: the exclusion constraint is checked row
-- by row. periods moves the straddling row's old version into history (unless this
-- transaction wrote it) and stamps the new rows' system period.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.split_unknown(tenant_id text, id uuid, at timestamptz)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    seg unknowns.unknowns;
BEGIN
    SELECT u.* INTO seg
      FROM unknowns.unknowns u
     WHERE u.tenant_id = split_unknown.tenant_id AND u.id = split_unknown.id
       AND u.valid_from < split_unknown.at AND u.valid_to > split_unknown.at;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE unknowns.unknowns u SET valid_to = split_unknown.at
     WHERE u.tenant_id = seg.tenant_id AND u.id = seg.id AND u.valid_from = seg.valid_from;
    INSERT INTO unknowns.unknowns
    SELECT (jsonb_populate_record(seg, jsonb_build_object('valid_from', split_unknown.at,
                                                          'created_at', now(), 'updated_at', now()))).*;
END
$$;

COMMENT ON FUNCTION _pgattest.split_unknown(text, uuid, timestamptz) IS
    'Splits the row of an unknown whose valid period straddles at into two rows with the same state (every column copied), so a write can replace whole rows. Called by unknowns.resolve and unknowns.correct under _pgattest.lock_unknown.';

REVOKE ALL ON FUNCTION _pgattest.split_unknown(text, uuid, timestamptz) FROM PUBLIC;

COMMIT;
