-- Deploy pgattest:sbom_spines to pg
-- requires: dsse_envelopes

BEGIN;

SELECT _pgattest.define_py_function(
    '_pgattest.spine_root(segments text[])',
    'bytea', 'IMMUTABLE STRICT PARALLEL SAFE', 'spine_root');
COMMENT ON FUNCTION _pgattest.spine_root(text[]) IS
    'RFC 9162 Merkle tree hash over the segments (''label:id'' strings, each a leaf), in order.';
ALTER FUNCTION _pgattest.spine_root(text[]) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION _pgattest.spine_root(text[]) FROM PUBLIC;

SET LOCAL ROLE pgattest_owner;

CREATE TABLE proofchain.sbom_entries (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id      text        NOT NULL REFERENCES core.tenants,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    sbom_digest    text        NOT NULL CHECK (sbom_digest ~ '^sha256:[0-9a-f]{64}$'),
    bom_ref        text        NOT NULL CHECK (bom_ref <> ''),
    purl           text        CHECK (purl ~ '^pkg:[a-z0-9.+-]+/'),
    name           text        NOT NULL,
    version        text,
    component_hash text        CHECK (component_hash ~ '^sha(256|384|512):[0-9a-f]+$'),
    envelope_id    uuid,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, sbom_digest, bom_ref),
    FOREIGN KEY (tenant_id, envelope_id) REFERENCES proofchain.dsse_envelopes (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('proofchain.sbom_entries');
CREATE INDEX sbom_entries_purl ON proofchain.sbom_entries (tenant_id, purl);

COMMENT ON TABLE proofchain.sbom_entries IS
    'Components of SBOMs (one row per component of a document identified by sbom_digest, the content id of the SBOM), optionally tied to the attestation envelope that carried the SBOM.';

CREATE TABLE proofchain.spines (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    tenant_id       text        NOT NULL REFERENCES core.tenants,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    sbom_entry_id   uuid        NOT NULL,
    evidence_ids    text[]      NOT NULL,
    reasoning_id    text        NOT NULL,
    vex_verdict_id  text        NOT NULL,
    root_hash       bytea       NOT NULL CHECK (length(root_hash) = 32),
    segment_count   integer     NOT NULL CHECK (segment_count = cardinality(evidence_ids) + 3),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, root_hash),
    FOREIGN KEY (tenant_id, sbom_entry_id) REFERENCES proofchain.sbom_entries (tenant_id, id)
);
SELECT _pgattest.enable_tenancy('proofchain.spines');

COMMENT ON TABLE proofchain.spines IS
    'Proof spines: an RFC 9162 Merkle root over the segments sbom:<sbom entry id>, evidence:<id> (each, in order), reasoning:<id> and verdict:<VEX verdict id>, so one hash commits to the whole chain from component to verdict. Written by proofchain.create_spine; equal inputs give the same root (unique per tenant).';

GRANT SELECT, INSERT ON proofchain.sbom_entries TO pgattest_app;
GRANT SELECT ON proofchain.sbom_entries, proofchain.spines TO pgattest_app, pgattest_admin;

RESET ROLE;
CREATE FUNCTION proofchain.create_spine(sbom_entry_id uuid, evidence_ids text[], reasoning_id text, vex_verdict_id text)
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
ALTER FUNCTION proofchain.create_spine(uuid, text[], text, text) OWNER TO pgattest_owner;

COMMENT ON FUNCTION proofchain.create_spine(uuid, text[], text, text) IS
    'Creates (or returns, when equal) the proof spine of the current tenant over an SBOM entry, evidence ids, a reasoning id and a VEX verdict id; returns its id. For pgattest_app. Raises 42501 without a tenant, 22004 for a NULL segment, 22023 for an unknown SBOM entry.';

REVOKE ALL ON FUNCTION proofchain.create_spine(uuid, text[], text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.create_spine(uuid, text[], text, text) TO pgattest_app;

COMMIT;
