-- Deploy pgattest:attestor/record_checkpoint to pg
-- requires: attestor/record_checkpoint@v1.0.0 attestor/split_views_add_evidence
-- requires: roles schemas attestor/rekor_checkpoints _pgattest/verified_checkpoint _pgattest/store_verified_checkpoint proofchain/verify_consistency
-- The workers' and operators' way to store a checkpoint they fetched from a log, with an
-- optional consistency proof from a stored one: the caller's own older checkpoint
-- (old_size) or, by default, the latest stored one not above the new size. A proof that
-- fails is refused as bad input: it is no evidence of a fork (it may be for another base,
-- or broken). Only two validly signed roots for one size are (23PA1, from the store).

BEGIN;

SET LOCAL ROLE pgattest_owner;

DROP FUNCTION attestor.record_checkpoint(text, text, bytea[]);

CREATE OR REPLACE FUNCTION attestor.record_checkpoint(log_id text, note text, consistency_proof bytea[] DEFAULT NULL,
                                                      old_size bigint DEFAULT NULL)
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
    IF old_size IS NOT NULL AND consistency_proof IS NULL THEN
        RAISE EXCEPTION 'old_size % is given without a consistency_proof', old_size
            USING ERRCODE = '22023', HINT = 'old_size names the base of the consistency proof; pass both, or neither.';
    END IF;
    SELECT * INTO cp FROM _pgattest.verified_checkpoint(log_id, note);
    IF consistency_proof IS NOT NULL THEN
        IF old_size IS NOT NULL THEN
            IF old_size < 0 OR old_size > cp.tree_size THEN
                RAISE EXCEPTION 'old_size % is not between 0 and the checkpoint''s size %', old_size, cp.tree_size
                    USING ERRCODE = '22023', HINT = 'A consistency proof goes from an older (smaller) tree to this one.';
            END IF;
            SELECT * INTO prev FROM attestor.rekor_checkpoints c
             WHERE c.log_id = record_checkpoint.log_id AND c.tree_size = old_size;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'no stored checkpoint of log % at size %', log_id, old_size
                    USING ERRCODE = '22023', HINT = 'Record the older checkpoint first (attestor.record_checkpoint without a proof).';
            END IF;
        ELSE
            SELECT * INTO prev FROM attestor.rekor_checkpoints c
             WHERE c.log_id = record_checkpoint.log_id AND c.tree_size <= cp.tree_size
             ORDER BY c.tree_size DESC LIMIT 1;
        END IF;
        -- A stored checkpoint of the same size is compared by root in the store below
        -- (two signed roots for one size: 23PA1); a proof is about a smaller base.
        IF prev.id IS NOT NULL AND prev.tree_size < cp.tree_size
           AND NOT proofchain.verify_consistency(prev.tree_size, cp.tree_size, prev.root_hash, cp.root_hash,
                                                 consistency_proof) THEN
            RAISE EXCEPTION 'the consistency proof from size % to size % does not verify for log %',
                            prev.tree_size, cp.tree_size, log_id
                USING ERRCODE = '22023',
                      DETAIL = format('stored checkpoint %s (size %s); the new checkpoint was not stored', prev.id, prev.tree_size),
                      HINT = 'The proof may be for another base size (pass old_size) or broken; it is no evidence of a fork. To keep it for monitors, call attestor.record_split_view(log_id, note, consistency_proof, old_size) in a new transaction: it is recorded as inconclusive and freezes nothing.';
        END IF;
    END IF;
    -- Verified once, above: store what the signature covers.
    RETURN _pgattest.store_verified_checkpoint(log_id, note, cp.origin, cp.tree_size, cp.root_hash, cp.signatures);
END
$$;

COMMENT ON FUNCTION attestor.record_checkpoint(text, text, bytea[], bigint) IS
    'Verifies a checkpoint (C2SP signed note) with the registered key of the log and stores it, returning its id (the existing id when already stored). With consistency_proof, also verifies it from the stored checkpoint of size old_size (by default the latest stored one of a size not above the new one). Raises 22004 for a NULL log or note; 22023 for an unknown log, a bad signature, a malformed note, an old_size without a proof, not stored or above the new size, and a consistency proof that fails (no evidence of a fork: keep it with attestor.record_split_view, which records it as inconclusive); 23PA1 (split view) when the log signed a different root for a stored size: the transaction is rolled back, so the caller keeps the evidence with attestor.record_split_view in a new one. For pgattest_worker and pgattest_admin.';
REVOKE ALL ON FUNCTION attestor.record_checkpoint(text, text, bytea[], bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attestor.record_checkpoint(text, text, bytea[], bigint) TO pgattest_worker, pgattest_admin;

COMMIT;
