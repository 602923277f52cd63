-- Deploy pgattest:proofchain/dsse_envelopes_signed_digest to pg
-- requires: proofchain/dsse_envelopes _pgattest/envelope_digest
-- Issue 15 item 10: an envelope is identified by what its signatures cover. content_digest
-- was proofchain.content_id of the whole envelope JSON, so adding an unsigned member made
-- a new row (and a new queue item, the same payload logged again); from here on it is
-- _pgattest.envelope_digest of the stored payload type, payload and signatures, which
-- attestor.submit_envelope looks up. Existing rows are rehashed by the deploying superuser
-- (row-level security does not apply to it); when several rows hold the same signed
-- content (the duplicates this change stops), the oldest takes the new digest and the
-- others keep theirs, so no row and no reference to one changes.

BEGIN;

UPDATE proofchain.dsse_envelopes e
   SET content_digest = n.digest
  FROM (SELECT DISTINCT ON (x.tenant_id, x.digest) x.tenant_id, x.id, x.digest
          FROM (SELECT d.tenant_id, d.id, d.created_at,
                       _pgattest.envelope_digest(d.payload_type, d.payload, d.signatures) AS digest
                  FROM proofchain.dsse_envelopes d) x
         ORDER BY x.tenant_id, x.digest, x.created_at, x.id) n
 WHERE e.tenant_id = n.tenant_id AND e.id = n.id AND e.content_digest <> n.digest;

SET LOCAL ROLE pgattest_owner;

COMMENT ON COLUMN proofchain.dsse_envelopes.content_digest IS
    'What identifies the envelope, unique per tenant: _pgattest.envelope_digest of payload_type, payload and signatures (sha256 of the DSSE pre-authentication encoding and the distinct signatures). Members the signatures do not cover do not count, so the same signed envelope is stored (and queued) once.';

COMMIT;
