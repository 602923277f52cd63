-- Deploy pgattest:vex/ingest_openvex to pg
-- requires: _pgattest/ingest_document
-- The OpenVEX importer (the parser is plpython/pgattest/vex.py).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION vex.ingest_openvex(document text, provider text)
RETURNS TABLE (observation_id uuid, content_id text)
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM _pgattest.ingest_document('openvex', document, provider) $$;

COMMENT ON FUNCTION vex.ingest_openvex(text, text) IS
    'Imports an OpenVEX v0.2.0 document from provider for the current tenant: one observation per statement and product (timestamps cascade from the document), the document in vexhub.documents, its statements in vexhub.statements; idempotent. Returns each observation''s observation_id (vex.observations.id) and content_id. For pgattest_app. Raises 42501 without a tenant, 22023 when the document lacks a required field (@context, @id, author, timestamp, version, statements; a statement''s vulnerability, products or status; justification or impact for not_affected; action for affected), naming its JSON path; 22007 for a bad timestamp; 22P02 for text that is not JSON; 22004 for NULL.';
REVOKE ALL ON FUNCTION vex.ingest_openvex(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.ingest_openvex(text, text) TO pgattest_app;

COMMIT;
