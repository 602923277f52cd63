-- Deploy pgattest:vex/verdict_id to pg
-- requires: proofchain/content_id
-- The content id of a VEX statement under the VEX API's name: what an observation's
-- content_id is, and what an attestation names to prove it.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION vex.verdict_id(statement text)
RETURNS text
LANGUAGE sql
IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT proofchain.content_id(statement) $$;

COMMENT ON FUNCTION vex.verdict_id(text) IS
    '''sha256:'' and the hex SHA-256 of the RFC 8785 canonical form of a JSON statement: equal for semantically equal JSON whatever its key order and whitespace. An observation''s content_id is the verdict id of its statement_text. Raises 22P02 for text that is not JSON, 22023 for JSON RFC 8785 cannot represent (duplicate keys, numbers beyond doubles).';
REVOKE ALL ON FUNCTION vex.verdict_id(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vex.verdict_id(text) TO pgattest_app, pgattest_worker, pgattest_admin;

COMMIT;
