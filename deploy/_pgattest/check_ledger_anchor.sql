-- Deploy pgattest:_pgattest/check_ledger_anchor to pg
-- requires: roles schemas proofchain/dsse_envelopes verdict/ledger_entries _pgattest/ledger_tree_roots
-- An anchor is recorded, when its Rekor entry is stored, from the checkpoint a tenant
-- signed (_pgattest/record_ledger_anchors); nothing compared that checkpoint with the
-- ledger. A wrong root, or a size beyond the head, made verdict.verify report the ledger
-- invalid for good (anchors are append-only), and, verify reporting the first problem
-- only, a bogus anchor at a low size hid real tampering after it. The check is made when
-- the envelope is stored (attestor.submit_envelope, as the tenant): refusing there
-- returns the error to the tenant, where refusing in the completion would fail the
-- worker's batch over and over. The statements checked are exactly those
-- record_ledger_anchors would record (same filter); others are ordinary attestations.
-- The ledger only grows, so a checkpoint that holds at submission holds at completion,
-- unless the ledger was tampered with in between: then the anchor is recorded and
-- verify shows the tampering.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.check_ledger_anchor()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    body text := NEW.statement #>> '{predicate,checkpoint}';
    size bigint;
    root bytea;
    head bigint;
    ledger_root bytea;
BEGIN
    -- From the statement: the generated predicate_type is not computed yet in a BEFORE trigger.
    IF NEW.statement ->> 'predicateType' IS DISTINCT FROM 'https://pgattest.dev/verdict-ledger-checkpoint/v1'
       OR body !~ E'^pgattest/verdict-ledger/[a-z][a-z0-9-]{1,62}\n[1-9][0-9]{0,17}\n[A-Za-z0-9+/]{43}=\n$'
       OR split_part(body, E'\n', 1) IS DISTINCT FROM 'pgattest/verdict-ledger/' || NEW.tenant_id
       OR NEW.statement #>> '{subject,0,digest,sha256}' IS DISTINCT FROM encode(sha256(convert_to(body, 'UTF8')), 'hex') THEN
        RETURN NEW;  -- not an anchor (record_ledger_anchors ignores it too)
    END IF;
    size := split_part(body, E'\n', 2)::bigint;
    root := decode(split_part(body, E'\n', 3), 'base64');
    SELECT e.seq INTO head FROM verdict.ledger_entries e WHERE e.tenant_id = NEW.tenant_id ORDER BY e.seq DESC LIMIT 1;
    IF size > coalesce(head, 0) THEN
        RAISE EXCEPTION 'ledger checkpoint of size % is beyond the head of tenant %''s ledger (%)',
                        size, NEW.tenant_id, coalesce(head, 0)
            USING ERRCODE = '22PA1',
                  HINT = 'Anchor a checkpoint of the ledger as it is: sign the statement verdict.checkpoint() returns.';
    END IF;
    SELECT r.root_hash INTO ledger_root
      FROM _pgattest.ledger_tree_roots(
               (SELECT string_agg(e.entry_hash, ''::bytea ORDER BY e.seq) FROM verdict.ledger_entries e
                 WHERE e.tenant_id = NEW.tenant_id AND e.seq <= size), ARRAY[size]) r;
    IF ledger_root IS DISTINCT FROM root THEN
        RAISE EXCEPTION 'ledger checkpoint root % at size % is not the root of tenant %''s ledger at that size (%)',
                        encode(root, 'base64'), size, NEW.tenant_id, coalesce(encode(ledger_root, 'base64'), 'none')
            USING ERRCODE = '22PA1',
                  HINT = 'Anchor a checkpoint of the ledger as it is: sign the statement verdict.checkpoint() returns.';
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION _pgattest.check_ledger_anchor() IS
    'BEFORE INSERT (row) trigger of proofchain.dsse_envelopes: an envelope whose statement would be recorded as a verdict ledger anchor (the filter of _pgattest.record_ledger_anchors) is refused with 22PA1 when its checkpoint''s size is beyond the tenant''s ledger head or its root is not the ledger''s root at that size.';
REVOKE ALL ON FUNCTION _pgattest.check_ledger_anchor() FROM PUBLIC;

CREATE TRIGGER check_ledger_anchor BEFORE INSERT ON proofchain.dsse_envelopes
    FOR EACH ROW EXECUTE FUNCTION _pgattest.check_ledger_anchor();

COMMIT;
