-- Deploy pgattest:_pgattest/envelope_digest to pg
-- requires: roles schemas
-- What identifies a DSSE envelope (issue 15 item 10): the bytes its signatures cover,
-- the DSSE pre-authentication encoding of payload type and payload, and its set of
-- signatures. Members the signatures do not cover (extra JSON members, keyids, the
-- order and repetition of signatures, base64 variants) change nothing, so a client
-- cannot make the same signed payload a new envelope, and a new queue item, by adding
-- {"x_junk": 1}. Plain SQL over the stored columns: the payload is hashed in C, not
-- copied into Python and canonicalized as JSON.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.envelope_digest(payload_type text, payload bytea, signatures jsonb)
RETURNS text
LANGUAGE sql
IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    -- PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body (lengths in
    -- bytes), then each distinct signature (standard base64, as _pgattest.parse_dsse_envelope
    -- gives them) in code-point order, each framed by its length: no two different inputs
    -- share a byte string.
    SELECT 'sha256:' || encode(sha256(
               convert_to(format('DSSEv1 %s %s %s ', octet_length(convert_to(payload_type, 'UTF8')), payload_type,
                                 octet_length(payload)), 'UTF8')
               || payload
               || convert_to(coalesce((SELECT string_agg(format(' %s %s', length(d.sig), d.sig), '' ORDER BY d.sig COLLATE "C")
                                         FROM (SELECT DISTINCT s ->> 'sig' AS sig FROM jsonb_array_elements(signatures) AS s) d),
                                      ''), 'UTF8')), 'hex')
$$;

COMMENT ON FUNCTION _pgattest.envelope_digest(text, bytea, jsonb) IS
    'The content digest of a DSSE envelope (proofchain.dsse_envelopes.content_digest): ''sha256:'' and the hex SHA-256 of the DSSE pre-authentication encoding of payload_type and payload followed by the distinct signatures (sig values of _pgattest.parse_dsse_envelope''s signatures) in order, each framed by its length. Equal for envelopes that differ only in what the signatures do not cover.';
REVOKE ALL ON FUNCTION _pgattest.envelope_digest(text, bytea, jsonb) FROM PUBLIC;

COMMIT;
