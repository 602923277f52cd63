-- Deploy pgattest:_pgattest/verified_checkpoint to pg
-- requires: roles schemas attestor/transparency_logs proofchain/parse_checkpoint proofchain/verify_checkpoint _pgattest/der_to_pem
-- A note verified with a registered log's key, parsed: what attestor.record_checkpoint and
-- attestor.record_split_view start from. A log with a recorded split view is refused.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.verified_checkpoint(log_id text, note text,
                                              OUT origin text, OUT tree_size bigint, OUT root_hash bytea,
                                              OUT signatures jsonb)
RETURNS record
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    log attestor.transparency_logs;
BEGIN
    SELECT * INTO log FROM attestor.transparency_logs l WHERE l.log_id = verified_checkpoint.log_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown transparency log %', log_id
            USING ERRCODE = '22023', HINT = 'Register it with attestor.register_transparency_log first.';
    END IF;
    IF log.split_view_at IS NOT NULL THEN
        RAISE EXCEPTION 'transparency log % has a recorded split view (%)', log_id, log.split_view_at
            USING ERRCODE = '23PA1', HINT = 'See attestor.split_views; nothing is accepted from this log until an operator resolves it.';
    END IF;
    SELECT c.origin, c.tree_size, c.root_hash, c.signatures INTO origin, tree_size, root_hash, signatures
      FROM proofchain.parse_checkpoint(note) c;
    IF NOT proofchain.verify_checkpoint(note, log.key_name, _pgattest.der_to_pem(log.public_key)) THEN
        RAISE EXCEPTION 'checkpoint for size % is not signed by the key of log %', tree_size, log_id
            USING ERRCODE = '22023', HINT = 'The note must carry a valid signature named ' || log.key_name || ' by the registered log key.';
    END IF;
END
$$;

COMMENT ON FUNCTION _pgattest.verified_checkpoint(text, text) IS
    'Verifies a checkpoint (C2SP signed note) with the registered key of the log and returns its origin, tree size, root hash and signatures. Raises 22023 when the log is unknown, the note is malformed or its signature does not verify; 23PA1 when the log has a recorded split view.';
REVOKE ALL ON FUNCTION _pgattest.verified_checkpoint(text, text) FROM PUBLIC;

COMMIT;
