-- Deploy pgattest:attestor/record_checkpoint to pg
-- requires: roles schemas attestor/rekor_checkpoints _pgattest/verified_checkpoint _pgattest/store_verified_checkpoint proofchain/verify_consistency
-- The workers' and operators' way to store a checkpoint they fetched from a log, with an
-- optional consistency proof against the latest stored one.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION attestor.record_checkpoint(log_id text, note text, consistency_proof bytea[] DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cp record;
    prev attestor.rekor_checkpoints;
BEGIN
    IF log_id IS NULL OR note IS NULL THEN
        RAISE EXCEPTION 'log_id and note are required' USING ERRCODE = '22004', HINT = 'Pass the log id and the checkpoint note.';
    END IF;
    SELECT * INTO cp FROM _pgattest.verified_checkpoint(log_id, note);
    IF consistency_proof IS NOT NULL THEN
        SELECT * INTO prev FROM attestor.rekor_checkpoints c
         WHERE c.log_id = record_checkpoint.log_id AND c.tree_size <= cp.tree_size
         ORDER BY c.tree_size DESC LIMIT 1;
        IF FOUND AND NOT proofchain.verify_consistency(prev.tree_size, cp.tree_size, prev.root_hash,
                                                       cp.root_hash, consistency_proof) THEN
            RAISE EXCEPTION 'checkpoint of log % at size % is not consistent with the stored one at size %',
                            log_id, cp.tree_size, prev.tree_size
                USING ERRCODE = '23PA1',
                      DETAIL = format('stored checkpoint %s; note: %s', prev.id, note),
                      HINT = 'Either the proof is wrong or the log forked; call attestor.record_split_view(log_id, note, consistency_proof) to keep the evidence.';
        END IF;
    END IF;
    -- Verified once, above: store what the signature covers.
    RETURN _pgattest.store_verified_checkpoint(log_id, note, cp.origin, cp.tree_size, cp.root_hash, cp.signatures);
END
$$;

COMMENT ON FUNCTION attestor.record_checkpoint(text, text, bytea[]) IS
    'Verifies a checkpoint (C2SP signed note) with the registered key of the log and stores it, returning its id (the existing id when already stored). With consistency_proof, also verifies it against the latest stored checkpoint of a size not above the new one. Raises 22023 for an unknown log, a bad signature or a malformed note; 23PA1 (split view) when the log signed a different root for a stored size or the consistency proof fails: the transaction is rolled back, so the caller keeps the evidence with attestor.record_split_view in a new one. For pgattest_worker and pgattest_admin.';
REVOKE ALL ON FUNCTION attestor.record_checkpoint(text, text, bytea[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.record_checkpoint(text, text, bytea[]) TO pgattest_worker, pgattest_admin;

COMMIT;
