-- Deploy pgattest:_pgattest/store_checkpoint to pg
-- requires: roles schemas _pgattest/verified_checkpoint _pgattest/store_verified_checkpoint
-- record_checkpoint's store: verify the note, then the shared store.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.store_checkpoint(log_id text, note text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cp record;
BEGIN
    SELECT * INTO cp FROM _pgattest.verified_checkpoint(log_id, note);
    RETURN _pgattest.store_verified_checkpoint(log_id, note, cp.origin, cp.tree_size, cp.root_hash, cp.signatures);
END
$$;

COMMENT ON FUNCTION _pgattest.store_checkpoint(text, text) IS
    'Verifies a checkpoint with the registered key of its log (_pgattest.verified_checkpoint) and stores it (_pgattest.store_verified_checkpoint), returning its id; raises 23PA1 (split view) when a different root is stored for its size.';
REVOKE ALL ON FUNCTION _pgattest.store_checkpoint(text, text) FROM PUBLIC;

COMMIT;
