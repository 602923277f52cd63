-- Verify pgattest:_pgattest/log_validity on pg

BEGIN;

DO $verify$
BEGIN
    -- Infinite bounds: never started (clamped to the last RFC 3339 second) and open.
    IF (SELECT (w.start_epoch, w.end_epoch)::text FROM _pgattest.log_validity('infinity', 'infinity') AS w)
       <> '(253402300799,)' THEN
        RAISE EXCEPTION '_pgattest.log_validity does not read infinite bounds as never started and open';
    END IF;
    IF (SELECT (w.start_epoch, w.end_epoch)::text
          FROM _pgattest.log_validity('-infinity', '2026-01-01 00:00:00.9+00') AS w) <> '(0,1767225600)' THEN
        RAISE EXCEPTION '_pgattest.log_validity does not read no start as the epoch, or keeps fractions of a second';
    END IF;
    IF (SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
         WHERE p.oid = '_pgattest.log_validity(timestamptz, timestamptz)'::regprocedure) <> 'plpgsql' THEN
        RAISE EXCEPTION '_pgattest.log_validity must be plpgsql (a SQL function is planned at every call)';
    END IF;
    IF NOT coalesce((SELECT 'search_path=pg_catalog, pg_temp' = ANY (proconfig) FROM pg_proc
                      WHERE oid = '_pgattest.log_validity(timestamptz, timestamptz)'::regprocedure), false) THEN
        RAISE EXCEPTION '_pgattest.log_validity has no pinned search_path';
    END IF;
    IF NOT has_function_privilege('pgattest_app', '_pgattest.log_validity(timestamptz, timestamptz)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_worker', '_pgattest.log_validity(timestamptz, timestamptz)', 'EXECUTE')
       OR NOT has_function_privilege('pgattest_admin', '_pgattest.log_validity(timestamptz, timestamptz)', 'EXECUTE') THEN
        RAISE EXCEPTION '_pgattest.log_validity must be executable by whoever may call attestor.trusted_root';
    END IF;
END
$verify$;

ROLLBACK;
