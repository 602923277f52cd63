-- Deploy pgattest:proofchain/verify_stored_entry to pg
-- requires: roles schemas proofchain/rekor_entries attestor/rekor_checkpoints _pgattest/bundle_entry attestor/trusted_root proofchain/verify_tlog_entry core/require_tenant
-- Offline re-verification of a stored entry from the database alone. Row security is
-- forced, so even run as its owner it finds only the current tenant's entries.

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
    note text;
    result jsonb;
BEGIN
    PERFORM core.require_tenant();
    SELECT * INTO e FROM proofchain.rekor_entries r WHERE r.id = rekor_entry_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no Rekor entry % for this tenant', rekor_entry_id
            USING ERRCODE = '22023', HINT = 'Check the id in proofchain.rekor_entries.';
    END IF;
    SELECT c.note INTO note FROM attestor.rekor_checkpoints c WHERE c.id = e.checkpoint_id;
    -- attestor.trusted_root leaves out a log with a recorded split view, and then
    -- nothing verifies; a log that is merely inactive still vouches for its old entries.
    result := proofchain.verify_tlog_entry(_pgattest.bundle_entry(e, note), attestor.trusted_root(e.log_id));
    RETURN result || jsonb_build_object('rekor_entry_id', e.id, 'uuid', e.uuid, 'checkpoint_id', e.checkpoint_id);
END
$$;

COMMENT ON FUNCTION proofchain.verify_stored_entry(uuid) IS
    'Re-verifies a stored Rekor entry of the current tenant from the database alone (offline): leaf hash of the stored canonicalized body, its inclusion proof, the stored checkpoint''s signature with the log''s registered key and that its size and root equal the proof''s, and the signed entry timestamp when present. Returns proofchain.verify_tlog_entry''s result ({"verified", "checks", "error", ...}) plus the entry and checkpoint ids. Raises 42501 without a tenant and 22023 for an unknown entry.';
REVOKE ALL ON FUNCTION proofchain.verify_stored_entry(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION proofchain.verify_stored_entry(uuid) TO pgattest_app, pgattest_admin;

COMMIT;
