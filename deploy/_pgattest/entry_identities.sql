-- Deploy pgattest:_pgattest/entry_identities to pg
-- requires: _pgattest/define_py_function _pgattest/pylib
-- Internal: the signer identities of a Rekor entry body, from plpython/pgattest/identity.py
-- (cryptography.x509 for Fulcio certificates). Called by the watchlist's trigger on
-- proofchain.rekor_entries, which runs as pgattest_system.

BEGIN;

SELECT _pgattest.define_py_function(
    '_pgattest.entry_identities(body bytea)', 'jsonb', 'IMMUTABLE STRICT PARALLEL SAFE', 'entry_identities');

COMMENT ON FUNCTION _pgattest.entry_identities(bytea) IS
    'Signer identities of a Rekor entry body as a JSON array of {kind, san_type, san, oidc_issuer, key_fingerprint}: one per URI or email SAN of a certificate (issuer from Fulcio extension 1.3.6.1.4.1.57264.1.8, else .1.1), one per public key; fingerprints are hex SHA-256 of the DER public key. A body or verifier that does not parse yields nothing (the entry was verified before it was stored).';
ALTER FUNCTION _pgattest.entry_identities(bytea) OWNER TO pgattest_owner;
REVOKE ALL ON FUNCTION _pgattest.entry_identities(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION _pgattest.entry_identities(bytea) TO pgattest_system;

COMMIT;
