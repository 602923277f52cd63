-- Deploy pgattest:_pgattest/trust_verdicts_immutable to pg
-- requires: schemas
-- A stored trust verdict is history: its body, fields and id never change and the row
-- is never deleted. Two facts are added later, each once: that a newer verdict
-- superseded it (superseded_at, superseded_by) and that it was deleted (the tombstone:
-- deleted_at, deletion_reason). The trigger is created by trustverdict/verdicts.

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.trust_verdicts_immutable()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    later CONSTANT text[] := ARRAY['superseded_at', 'superseded_by', 'deleted_at', 'deletion_reason', 'updated_at'];
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'trust verdict % cannot be removed', OLD.content_id
            USING ERRCODE = '23PA2', HINT = 'Delete it with trustverdict.delete(content_id, reason): a tombstone keeps the fact.';
    END IF;
    IF (to_jsonb(NEW) - later) IS DISTINCT FROM (to_jsonb(OLD) - later)
       OR (OLD.superseded_at IS NOT NULL AND (NEW.superseded_at, NEW.superseded_by) IS DISTINCT FROM (OLD.superseded_at, OLD.superseded_by))
       OR (OLD.deleted_at IS NOT NULL AND (NEW.deleted_at, NEW.deletion_reason) IS DISTINCT FROM (OLD.deleted_at, OLD.deletion_reason)) THEN
        RAISE EXCEPTION 'trust verdict % is immutable: only its supersession and its deletion are recorded, once', OLD.content_id
            USING ERRCODE = '23PA2', HINT = 'Store a new verdict for the subject: it supersedes this one.';
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION _pgattest.trust_verdicts_immutable() IS
    'BEFORE UPDATE OR DELETE trigger of trustverdict.verdicts: rejects (23PA2) deletes and every change except recording, once each, the supersession and the tombstone.';
REVOKE ALL ON FUNCTION _pgattest.trust_verdicts_immutable() FROM PUBLIC;

COMMIT;
