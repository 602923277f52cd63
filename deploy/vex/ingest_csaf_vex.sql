-- Deploy pgattest:vex/ingest_csaf_vex to pg
-- requires: _pgattest/ingest_document
-- The CSAF 2.0 VEX importer (the parser is plpython/pgattest/vex.py).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION vex.ingest_csaf_vex(document text, provider text)
RETURNS TABLE (observation_id uuid, content_id text)
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM _pgattest.ingest_document('csaf', document, provider) $$;

COMMENT ON FUNCTION vex.ingest_csaf_vex(text, text) IS
    'Imports a CSAF 2.0 VEX document (profile csaf_vex) like vex.ingest_openvex: product_status categories map to OpenVEX statuses through vex.format_mappings, flags give justifications, impact threats the impact statement, remediations the action; products resolve to the purl of their product_identification_helper. Raises 22023 for a document that breaks the VEX profile (category, csaf_version, tracking, product_tree, product_status, a known_not_affected product without flag or impact, a known_affected one without remediation, an undeclared product id), with the errors of vex.ingest_openvex otherwise.';
REVOKE ALL ON FUNCTION vex.ingest_csaf_vex(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.ingest_csaf_vex(text, text) TO pgattest_app;

COMMIT;
