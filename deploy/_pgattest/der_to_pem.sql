-- Deploy pgattest:_pgattest/der_to_pem to pg
-- requires: schemas
-- Logs store their key as DER; the verification functions take PEM.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.der_to_pem(der bytea)
RETURNS text
LANGUAGE sql
IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT E'-----BEGIN PUBLIC KEY-----\n'
        || rtrim(regexp_replace(translate(encode(der, 'base64'), E'\n', ''), '(.{64})', E'\\1\n', 'g'), E'\n')
        || E'\n-----END PUBLIC KEY-----\n'
$$;

COMMENT ON FUNCTION _pgattest.der_to_pem(bytea) IS 'PEM text (64-character lines) of a DER SubjectPublicKeyInfo.';
REVOKE ALL ON FUNCTION _pgattest.der_to_pem(bytea) FROM PUBLIC;
-- The cross-tenant queue functions run as pgattest_system.
GRANT EXECUTE ON FUNCTION _pgattest.der_to_pem(bytea) TO pgattest_system;

COMMIT;
