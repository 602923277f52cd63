-- Deploy pgattest:vex/ingest_cyclonedx_vex to pg
-- requires: _pgattest/ingest_document
-- The CycloneDX VEX importer (the parser is plpython/pgattest/vex.py).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION vex.ingest_cyclonedx_vex(document text, provider text)
RETURNS TABLE (observation_id uuid, content_id text)
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM _pgattest.ingest_document('cyclonedx', document, provider) $$;

COMMENT ON FUNCTION vex.ingest_cyclonedx_vex(text, text) IS
    'Imports a CycloneDX 1.4 to 1.6 VEX (vulnerabilities[].analysis) like vex.ingest_openvex: analysis.state and analysis.justification map through vex.format_mappings, analysis.detail is the impact statement, recommendation the action, affects[].ref resolves to its component''s purl. Raises 22023 for a document that breaks the spec (bomFormat, specVersion, vulnerabilities, id, analysis.state, an unresolvable ref), with the errors of vex.ingest_openvex otherwise.';
REVOKE ALL ON FUNCTION vex.ingest_cyclonedx_vex(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.ingest_cyclonedx_vex(text, text) TO pgattest_app;

COMMIT;
