-- Verify pgattest:_pgattest/watch_new_entries on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_trigger
                    WHERE tgrelid = 'proofchain.rekor_entries'::regclass AND tgname = 'watch_new_entries'
                      AND tgfoid = '_pgattest.watch_new_entries()'::regprocedure) THEN
        RAISE EXCEPTION 'the watchlist trigger on proofchain.rekor_entries is missing';
    END IF;
END
$verify$;

ROLLBACK;
