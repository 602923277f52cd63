-- Verify pgattest:_pgattest/record_watch_alerts on pg

BEGIN;

DO $verify$
BEGIN
    -- The rework's body counts a match once, through watchlist.rule_matches.
    IF NOT EXISTS (SELECT FROM pg_proc
                    WHERE oid = '_pgattest.record_watch_alerts(_pgattest.watch_match[])'::regprocedure
                      AND prosrc LIKE '%INSERT INTO watchlist.rule_matches%') THEN
        RAISE EXCEPTION '_pgattest.record_watch_alerts does not record its matches in watchlist.rule_matches';
    END IF;
END
$verify$;

ROLLBACK;
