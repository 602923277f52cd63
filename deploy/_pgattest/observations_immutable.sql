-- Deploy pgattest:_pgattest/observations_immutable to pg
-- requires: schemas
-- VEX observations and hub statements are history: never deleted, never rewritten. The
-- one change allowed is setting the Rekor link, once. The triggers are created by the
-- table changes (vex/observations, vexhub/statements).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.observations_immutable()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    linkage CONSTANT text[] := ARRAY['rekor_uuid', 'rekor_log_index', 'rekor_integrated_time', 'rekor_entry_id',
                                     'rekor_linked_at', 'updated_at'];
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '% row % is immutable and cannot be deleted', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, OLD.id
            USING ERRCODE = '23PA2', HINT = 'Record a new observation that supersedes it.';
    END IF;
    IF (to_jsonb(NEW) - linkage) IS DISTINCT FROM (to_jsonb(OLD) - linkage) THEN
        RAISE EXCEPTION '% row % is immutable: only its Rekor link may be set', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, OLD.id
            USING ERRCODE = '23PA2',
                  HINT = 'Record a new observation that supersedes it (vex.update_status or vex.record_status_change).';
    END IF;
    -- Once linked, the whole link (entry, uuid, index, time, when) stays as it is.
    IF to_jsonb(OLD) ->> 'rekor_entry_id' IS NOT NULL
       AND (to_jsonb(NEW) - 'updated_at') IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at') THEN
        RAISE EXCEPTION '% row % is already linked to Rekor entry %', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, OLD.id,
                        to_jsonb(OLD) ->> 'rekor_entry_id'
            USING ERRCODE = '23PA2', HINT = 'A Rekor link is set once.';
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION _pgattest.observations_immutable() IS
    'BEFORE UPDATE OR DELETE trigger of VEX observations and hub statements: rejects (23PA2) deletes and every change except setting the Rekor link once.';
REVOKE ALL ON FUNCTION _pgattest.observations_immutable() FROM PUBLIC;

COMMIT;
