-- Deploy pgattest:_pgattest/verified_checkpoint to pg
-- requires: _pgattest/verified_checkpoint@v1.0.0 proofchain/verify_checkpoint
-- requires: roles schemas attestor/transparency_logs proofchain/parse_checkpoint _pgattest/der_to_pem
-- A note verified with a registered log's key, parsed: what attestor.record_checkpoint and
-- attestor.record_split_view start from. A log with a recorded split view is refused.
-- Rekor v1 signature lines are matched by the key's 4-byte hint whatever their name (as
-- rekor, sigstore-go and sigstore-python do); a Rekor v2 checkpoint must also have the
-- log's name as its origin (rekor-tiles' VerifyCheckpoint). Both key ids are the first
-- 4 bytes of the log id (SHA-256 of the DER key; the C2SP key hash of name and key).

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
    pem text;
BEGIN
    SELECT * INTO log FROM attestor.transparency_logs l WHERE l.log_id = verified_checkpoint.log_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown transparency log %', left(log_id, 80)
            USING ERRCODE = '22023', HINT = 'Register it with attestor.register_transparency_log first.';
    END IF;
    IF log.split_view_at IS NOT NULL THEN
        RAISE EXCEPTION 'transparency log % has a recorded split view (%)', log_id, log.split_view_at
            USING ERRCODE = '23PA1', HINT = 'See attestor.split_views; nothing is accepted from this log until an operator resolves it (attestor.lift_split_view).';
    END IF;
    SELECT c.origin, c.tree_size, c.root_hash, c.signatures INTO origin, tree_size, root_hash, signatures
      FROM proofchain.parse_checkpoint(note) c;
    pem := _pgattest.der_to_pem(log.public_key);
    IF NOT proofchain.verify_checkpoint(note, log.key_name, pem) THEN
        RAISE EXCEPTION 'checkpoint for size % is not signed by the key of log %: no valid signature line with key id %',
                        tree_size, log_id,
                        left(log_id, 8) || CASE WHEN log.api_version = 'rekor_v2' THEN ' named ' || log.key_name ELSE '' END
            USING ERRCODE = '22023',
                  DETAIL = format('signature lines present (name, key id): %s',
                                  coalesce((SELECT string_agg(left(s ->> 'name', 80) || ' ' || (s ->> 'key_id'), ', ')
                                              FROM jsonb_array_elements(signatures) AS s), 'none')),
                  HINT = 'The note must carry a valid signature by the registered log key (attestor.update_transparency_log corrects a wrong key name).';
    END IF;
    IF log.api_version = 'rekor_v2' AND origin IS DISTINCT FROM log.key_name THEN
        RAISE EXCEPTION 'checkpoint for size % has origin %, not the name % of Rekor v2 log %',
                        tree_size, quote_literal(left(origin, 80)), quote_literal(log.key_name), log_id
            USING ERRCODE = '22023', HINT = 'A Rekor v2 log''s checkpoints name the log as their origin; this one is of another log.';
    END IF;
END
$$;

COMMENT ON FUNCTION _pgattest.verified_checkpoint(text, text) IS
    'Verifies a checkpoint (C2SP signed note) with the registered key of the log and returns its origin, tree size, root hash and signatures. Rekor v1: a line with the key''s hint, whatever its name; Rekor v2: a line of the log''s C2SP key id, and the origin must be the log''s name. Raises 22023 when the log is unknown, the note is malformed, its signature does not verify (naming the key id looked for, with the lines present in DETAIL) or a Rekor v2 origin is not the log''s; 23PA1 when the log has a recorded split view.';
REVOKE ALL ON FUNCTION _pgattest.verified_checkpoint(text, text) FROM PUBLIC;

COMMIT;
