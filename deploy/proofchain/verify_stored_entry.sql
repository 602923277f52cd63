-- Deploy pgattest:proofchain/verify_stored_entry to pg
-- requires: proofchain/verify_stored_entry@v1.0.0 proofchain/verify_tlog_entry
-- requires: roles schemas proofchain/rekor_entries attestor/rekor_checkpoints _pgattest/bundle_entry attestor/trusted_root core/require_tenant
-- Offline re-verification of a stored entry from the database alone. Row security is
-- forced, so even run as its owner it finds only the current tenant's entries. An entry
-- without a signed entry timestamp (every Rekor v2 entry) has no integrated time to hold
-- against the log key's window: the time its checkpoint was verified stands for it, as
-- the completion held the window against the time it verified (now, then).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION proofchain.verify_stored_entry(rekor_entry_id uuid)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e proofchain.rekor_entries;
    cp attestor.rekor_checkpoints;
    result jsonb;
BEGIN
    PERFORM core.require_tenant();
    SELECT * INTO e FROM proofchain.rekor_entries r WHERE r.id = rekor_entry_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no Rekor entry % for this tenant', rekor_entry_id
            USING ERRCODE = '22023', HINT = 'Check the id in proofchain.rekor_entries.';
    END IF;
    SELECT * INTO cp FROM attestor.rekor_checkpoints c WHERE c.id = e.checkpoint_id;
    -- attestor.trusted_root leaves out a log with a recorded split view, and then
    -- nothing verifies; a log that is merely inactive still vouches for its old entries.
    -- Stored entries always carry their checkpoint: SET-only entries are not allowed.
    result := proofchain.verify_tlog_entry(_pgattest.bundle_entry(e, cp.note), attestor.trusted_root(e.log_id),
                                           false, cp.verified_at);
    RETURN result || jsonb_build_object('rekor_entry_id', e.id, 'uuid', e.uuid, 'checkpoint_id', e.checkpoint_id,
                                        'checkpoint_verified_at', cp.verified_at);
END
$$;

COMMENT ON FUNCTION proofchain.verify_stored_entry(uuid) IS
    'Re-verifies a stored Rekor entry of the current tenant from the database alone (offline): leaf hash of the stored canonicalized body, its inclusion proof, the stored checkpoint''s signature with the log''s registered key and that its size and root equal the proof''s (Rekor v2: its origin is the log''s name and the index is the proof''s), the signed entry timestamp when present, and the log key''s validity window at the SET''s integrated time or, without a SET, at the time the checkpoint was verified (checkpoint_verified_at). Returns proofchain.verify_tlog_entry''s result ({"verified", "checks", "error", ...}) plus the entry and checkpoint ids. Raises 42501 without a tenant and 22023 for an unknown entry.';
REVOKE ALL ON FUNCTION proofchain.verify_stored_entry(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.verify_stored_entry(uuid) TO pgattest_app, pgattest_admin;

COMMIT;
