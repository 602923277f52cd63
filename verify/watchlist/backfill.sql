-- Verify pgattest:watchlist/backfill on pg

BEGIN;

DO $verify$
BEGIN
    -- The rework's body has no upper bound at the rule's updated_at (v1.1.0's had).
    IF EXISTS (SELECT FROM pg_proc
                WHERE oid = 'watchlist.backfill(uuid, timestamptz)'::regprocedure
                  AND prosrc LIKE '%i.created_at < r.updated_at%') THEN
        RAISE EXCEPTION 'watchlist.backfill still stops at the rule''s updated_at';
    END IF;
END
$verify$;

ROLLBACK;
