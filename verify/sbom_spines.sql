-- Verify pgattest:sbom_spines on pg

BEGIN;

SELECT id, tenant_id, sbom_digest, bom_ref, purl, name, version, component_hash, envelope_id
  FROM proofchain.sbom_entries WHERE false;
SELECT id, tenant_id, sbom_entry_id, evidence_ids, reasoning_id, vex_verdict_id, root_hash, segment_count
  FROM proofchain.spines WHERE false;

DO $verify$
BEGIN
    -- One segment: the root is its leaf hash.
    IF _pgattest.spine_root(ARRAY['sbom:x']) <> proofchain.rfc6962_leaf_hash(convert_to('sbom:x', 'UTF8')) THEN
        RAISE EXCEPTION '_pgattest.spine_root is not an RFC 9162 tree hash';
    END IF;
END
$verify$;

ROLLBACK;
