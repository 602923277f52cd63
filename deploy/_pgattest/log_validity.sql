-- Deploy pgattest:_pgattest/log_validity to pg
-- requires: roles schemas
-- A log's validity window in whole seconds since the epoch, as both verification paths
-- read it: attestor.trusted_root() formats it as RFC 3339 (which carries no fraction) and
-- the batch completion passes it as numbers, so the two never disagree at a boundary.
-- plpgsql, not SQL: it keeps its compiled body for the session, where a SQL function with
-- OUT parameters is parsed and planned at every call (it is on the completion's hot path).

BEGIN;

SET LOCAL ROLE pgattest_owner;

CREATE OR REPLACE FUNCTION _pgattest.log_validity(valid_from timestamptz, valid_until timestamptz,
                                                  OUT start_epoch bigint, OUT end_epoch bigint)
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- No start is the epoch (a trusted root must state one); a start of 'infinity' (never
    -- valid) and years past 9999 clamp to the last second RFC 3339 can write, so such a
    -- log vouches for nothing rather than for everything. No end, or 'infinity', is open.
    start_epoch := CASE WHEN valid_from = '-infinity' THEN 0
                        ELSE least(floor(extract(epoch FROM valid_from)), 253402300799)::bigint END;
    end_epoch := CASE WHEN isfinite(valid_until) THEN least(floor(extract(epoch FROM valid_until)), 253402300799)::bigint END;
END
$$;

COMMENT ON FUNCTION _pgattest.log_validity(timestamptz, timestamptz) IS
    'A transparency log''s validity window (valid_from, valid_until) in whole seconds since the epoch, as attestor.trusted_root() and the completion path both use it: start 0 when unbounded, clamped to 9999-12-31T23:59:59Z when ''infinity'' (the log vouches for nothing); end NULL when open.';
REVOKE ALL ON FUNCTION _pgattest.log_validity(timestamptz, timestamptz) FROM PUBLIC;
-- trusted_root runs as its caller: whoever may call it may compute the window; the
-- completion runs as pgattest_system.
GRANT EXECUTE ON FUNCTION _pgattest.log_validity(timestamptz, timestamptz) TO pgattest_app, pgattest_worker, pgattest_admin, pgattest_system;

COMMIT;
