-- Deploy pgattest:proofchain/create_spine to pg
-- requires: roles schemas proofchain/spines proofchain/sbom_entries _pgattest/spine_root core/require_tenant
-- The root is computed here, never taken from the caller; equal inputs give the same root,
-- so asking twice returns the stored spine.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION proofchain.create_spine(sbom_entry_id uuid, evidence_ids text[], reasoning_id text, vex_verdict_id text)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tenant text := core.require_tenant();
    segments text[];
    root bytea;
    spine uuid;
BEGIN
    IF sbom_entry_id IS NULL OR evidence_ids IS NULL OR reasoning_id IS NULL OR vex_verdict_id IS NULL
       OR array_position(evidence_ids, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'every spine segment is required (NULL given)'
            USING ERRCODE = '22004', HINT = 'Pass the SBOM entry, evidence ids (may be empty), reasoning id and VEX verdict id.';
    END IF;
    IF NOT EXISTS (SELECT FROM proofchain.sbom_entries s WHERE s.id = create_spine.sbom_entry_id) THEN
        RAISE EXCEPTION 'no SBOM entry % for this tenant', sbom_entry_id
            USING ERRCODE = '22023', HINT = 'Record the SBOM entry first.';
    END IF;
    segments := ARRAY['sbom:' || sbom_entry_id]
             || ARRAY(SELECT 'evidence:' || e FROM unnest(evidence_ids) WITH ORDINALITY AS u(e, n) ORDER BY n)
             || ARRAY['reasoning:' || reasoning_id, 'verdict:' || vex_verdict_id];
    root := _pgattest.spine_root(segments);
    INSERT INTO proofchain.spines AS s (tenant_id, sbom_entry_id, evidence_ids, reasoning_id, vex_verdict_id, root_hash, segment_count)
    VALUES (tenant, sbom_entry_id, evidence_ids, reasoning_id, vex_verdict_id, root, cardinality(segments))
    ON CONFLICT (tenant_id, root_hash) DO UPDATE SET updated_at = s.updated_at
    RETURNING s.id INTO spine;
    RETURN spine;
END
$$;

COMMENT ON FUNCTION proofchain.create_spine(uuid, text[], text, text) IS
    'Creates (or returns, when equal) the proof spine of the current tenant over an SBOM entry, evidence ids, a reasoning id and a VEX verdict id; returns its id. For pgattest_app. Raises 42501 without a tenant, 22004 for a NULL segment, 22023 for an unknown SBOM entry.';
REVOKE ALL ON FUNCTION proofchain.create_spine(uuid, text[], text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.create_spine(uuid, text[], text, text) TO pgattest_app;

COMMIT;
