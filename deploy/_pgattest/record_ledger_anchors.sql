-- Deploy pgattest:_pgattest/record_ledger_anchors to pg
-- requires: roles schemas verdict/anchors proofchain/rekor_entries proofchain/dsse_envelopes
-- The anchoring round trip's last step: when the Rekor entry of a tenant's signed ledger
-- checkpoint (verdict.checkpoint's statement, submitted through attestor.submit_envelope)
-- is stored by the completion, the anchor is recorded in the same transaction. Only a
-- well-formed checkpoint of the entry's own tenant, named by its statement's subject
-- digest, is recorded; anything else is an ordinary attestation and ignored, so the
-- trigger never fails a completion batch (every cast below is guarded by the pattern).
-- Whether the anchored root is the ledger's is verdict.verify's question, asked later.
-- The entries are stored by pgattest_system (the completion works across tenants): the
-- trigger runs as that role, with INSERT on verdict.anchors granted by its table.

BEGIN;

CREATE OR REPLACE FUNCTION _pgattest.record_ledger_anchors()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO verdict.anchors AS a (tenant_id, tree_size, root_hash, checkpoint, envelope_id, rekor_entry_id, anchored_at)
    SELECT e.tenant_id, split_part(c.body, E'\n', 2)::bigint, decode(split_part(c.body, E'\n', 3), 'base64'), c.body,
           e.envelope_id, e.id, coalesce(e.integrated_time, clock_timestamp())
      FROM added e
      JOIN proofchain.dsse_envelopes d ON d.tenant_id = e.tenant_id AND d.id = e.envelope_id
     CROSS JOIN LATERAL (SELECT d.statement #>> '{predicate,checkpoint}' AS body) c
     WHERE d.predicate_type = 'https://pgattest.dev/verdict-ledger-checkpoint/v1'
       AND c.body ~ E'^pgattest/verdict-ledger/[a-z][a-z0-9-]{1,62}\n[1-9][0-9]{0,17}\n[A-Za-z0-9+/]{43}=\n$'
       AND split_part(c.body, E'\n', 1) = 'pgattest/verdict-ledger/' || e.tenant_id
       AND d.statement #>> '{subject,0,digest,sha256}' = encode(sha256(convert_to(c.body, 'UTF8')), 'hex')
    ON CONFLICT (tenant_id, rekor_entry_id) DO NOTHING;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION _pgattest.record_ledger_anchors() IS
    'AFTER INSERT (statement) trigger of proofchain.rekor_entries: records a verdict.anchors row for every new entry that logs a tenant''s own verdict ledger checkpoint (predicate type https://pgattest.dev/verdict-ledger-checkpoint/v1, a well-formed C2SP body of origin pgattest/verdict-ledger/<tenant> in predicate.checkpoint, named by the statement''s subject digest). Other entries are ignored.';
REVOKE ALL ON FUNCTION _pgattest.record_ledger_anchors() FROM PUBLIC;

CREATE TRIGGER record_ledger_anchors AFTER INSERT ON proofchain.rekor_entries
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION _pgattest.record_ledger_anchors();

ALTER FUNCTION _pgattest.record_ledger_anchors() OWNER TO pgattest_system;

COMMIT;
