-- Verify pgattest:dsse_envelopes on pg

BEGIN;

SELECT id, tenant_id, content_digest, envelope, payload_type, payload, signatures, trust_anchor_id,
       statement, statement_type, predicate_type FROM proofchain.dsse_envelopes WHERE false;
SELECT id, tenant_id, envelope_id, name, digest_algorithm, digest FROM proofchain.envelope_subjects WHERE false;

ROLLBACK;
