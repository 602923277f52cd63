-- Verify pgattest:verdict/verify on pg

BEGIN;

DO $verify$
BEGIN
    IF NOT has_function_privilege('pgattest_app', 'verdict.verify(bigint, bigint)', 'EXECUTE') THEN
        RAISE EXCEPTION 'verdict.verify must be executable by pgattest_app';
    END IF;
    -- The rework's body: the defaults start at entry 1 and the anchor roots are computed
    -- over the recomputed hashes (the v1.1.0 body started at the last anchor).
    IF NOT EXISTS (SELECT FROM pg_proc
                    WHERE oid = 'verdict.verify(bigint, bigint)'::regprocedure
                      AND prosrc LIKE '%lo := coalesce(from_seq, 1);%'
                      AND prosrc LIKE '%string_agg(c.computed,%') THEN
        RAISE EXCEPTION 'verdict.verify is not the version that rehashes every entry from 1';
    END IF;
END
$verify$;

ROLLBACK;
